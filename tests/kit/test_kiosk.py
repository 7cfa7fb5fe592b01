"""The kiosk's server side (exhibitions/kit/kiosk.py): its page links nowhere else, its signed
manifest follows consent, syncs are recorded for curators without invalidating every cache, and
curators set the confirmation limit."""

import json
import re

import pytest
from django.core import signing

from archive import generation, services
from archive.models import AuditEvent
from exhibitions.kit import kiosk
from exhibitions.models import KioskSync
from tests.factories import ExhibitionEntryFactory, ExhibitionFactory, ItemFactory
from tests.kit.test_share_cards import BLUE, RED, coloured_photo

pytestmark = pytest.mark.django_db


def sync(client, exhibition, **sent):
    return client.post(f"/en/kiosk/{exhibition.slug}/sync", json.dumps(sent), content_type="application/json")


@pytest.fixture
def exhibition():
    exhibition = ExhibitionFactory()
    for position, colour in enumerate((RED, BLUE)):
        item, _use = coloured_photo(colour, content_warnings=["injury"] if colour == BLUE else [])
        ExhibitionEntryFactory(exhibition=exhibition, item=item, position=position)
    return exhibition


def test_the_page_links_only_to_itself_in_other_languages(client, exhibition):
    response = client.get(f"/ar/kiosk/{exhibition.slug}/")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    html = response.text
    links = re.findall(r'<a [^>]*href="([^"]+)"', html)
    assert len(links) == 6 and all(re.fullmatch(rf"/[\w-]+/kiosk/{exhibition.slug}/\?visitor=1", u) for u in links)
    assert "<form" not in html and "search" not in html.lower() and "contribute" not in html
    assert html.count('data-slide="entry"') == 2 and 'dir="rtl"' in html
    # The warned picture stands behind its gate: not loaded until the visitor asks.
    blue = exhibition.entries.get(position=1)
    assert f'data-entry="{blue.pk}"' in html and "data-gate" in html and 'data-src="' in html
    assert client.get(f"/en/kiosk/{ExhibitionFactory(status='draft').slug}/").status_code == 404
    worker = client.get("/fr/kiosk/sw.js")
    assert worker["Content-Type"].startswith("text/javascript") and b"addEventListener(\"fetch\"" in worker.content


def test_the_manifest_is_signed_and_follows_consent(client, exhibition):
    red, blue = (e for e in exhibition.entries.order_by("position"))
    answer = sync(client, exhibition, kiosk="kiosk-0001", lang="en").json()
    assert answer["entries"] == [red.pk, blue.pk]
    assert signing.loads(answer["token"], salt=kiosk.SALT)["entries"] == [red.pk, blue.pk]
    assert any(red.item.media.first().asset.public_token in f for f in answer["files"])
    assert answer["limit_seconds"] == 24 * 3600 and len(answer["pages"]) == 6

    services.record_consent(red.item, scopes=["web"], propagate=False, actor_label="test")  # narrowed
    answer = sync(client, exhibition, kiosk="kiosk-0001", lang="en", token=answer["token"]).json()
    assert answer["entries"] == [blue.pk]
    assert not any(red.item.media.first().asset.public_token in f for f in answer["files"])
    exhibition.status = "draft"
    exhibition.save()
    assert sync(client, exhibition, kiosk="kiosk-0001").status_code == 404  # the kiosk then shows nothing


def test_syncs_are_recorded_for_curators_without_a_new_generation(client, exhibition):
    before = generation.current_token()
    first = sync(client, exhibition, kiosk="kiosk-0001", lang="fr").json()
    row = KioskSync.objects.get(kiosk_id="kiosk-0001")
    assert row.language == "fr" and row.entries == 2 and row.held_since is None
    sync(client, exhibition, kiosk="kiosk-0001", lang="fr", token=first["token"])
    row.refresh_from_db()
    assert row.held_since.isoformat() == first["confirmed_at"]
    assert generation.current_token() == before  # kiosks syncing every minute must not empty every cache
    forged = signing.dumps({"exhibition": exhibition.slug, "confirmed_at": "2000-01-01T00:00:00+00:00"}, salt="other")
    for sent in ({"kiosk": "x"}, {"kiosk": "<script>"}, {}, {"kiosk": "kiosk-0002", "token": forged}):
        assert sync(client, exhibition, **sent).status_code == 200
    assert KioskSync.objects.get(kiosk_id="kiosk-0002").held_since is None
    assert KioskSync.objects.count() == 2
    assert client.post(f"/en/kiosk/{exhibition.slug}/sync", b"not json", content_type="application/json").status_code == 200


def test_curators_see_each_kiosk_and_set_the_limit(client, curator, as_user, exhibition):
    sync(client, exhibition, kiosk="abcdef0123456789", lang="ar")
    page = as_user(curator).get(f"/en/curator/exhibitions/{exhibition.pk}/")
    assert "abcdef01" in page.text and f'href="/en/kiosk/{exhibition.slug}/"' in page.text
    url = f"/en/curator/exhibitions/{exhibition.pk}/kiosk"
    client.post(url, {"minutes": "90"})
    exhibition.refresh_from_db()
    assert exhibition.kiosk_confirm_seconds == 90 * 60
    assert AuditEvent.objects.filter(action="exhibition.kiosk_limit").exists()
    for bad in ("0", "99999", "soon"):
        refused = client.post(url, {"minutes": bad}, follow=True)
        assert "minutes" in refused.text
    exhibition.refresh_from_db()
    assert exhibition.kiosk_confirm_seconds == 90 * 60


def test_a_placed_item_without_media_still_shows_as_text(client):
    exhibition = ExhibitionFactory()
    ExhibitionEntryFactory(exhibition=exhibition, item=ItemFactory(title={"en": "Words only"}))
    assert "Words only" in client.get(f"/en/kiosk/{exhibition.slug}/").text


def test_the_sync_endpoint_is_rate_limited_per_address(client, exhibition, settings):
    """Anonymous and cookie-less: the shipped rule (a low rate here) answers 429 past it."""
    from django.core.cache import caches

    caches["default"].clear()
    settings.RATE_LIMIT_ENABLED = True  # tests/settings.py turns limits off elsewhere
    rule = {**settings.RATE_LIMITS["kiosk_sync"], "per_ip": "3/h"}
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "kiosk_sync": rule}
    answers = [sync(client, exhibition, kiosk=f"kiosk-{n:04}", lang="en").status_code for n in range(4)]
    assert answers == [200, 200, 200, 429]


def test_the_narrative_before_a_memory_is_on_its_slide_and_goes_with_it(client, exhibition):
    """A titled section and a text block (the builder's "Add text here") sit on the slide of the
    memory after them, as in the one-memory-at-a-time view; a memory withdrawn takes them along."""
    from exhibitions.models import ExhibitionSection

    red, blue = (e for e in exhibition.entries.order_by("position"))
    room = ExhibitionSection.objects.create(exhibition=exhibition, position=1, title={"en": "What was kept"},
                                            text={"en": "Two keepsakes (synthetic)."})
    pause = ExhibitionSection.objects.create(exhibition=exhibition, position=2, text={"en": "A breath between them.",
                                                                                      "ar": "وقفة بينهما."})
    red.section, blue.section = room, pause
    red.save()
    blue.save()

    def slides(lang="en"):
        html = client.get(f"/{lang}/kiosk/{exhibition.slug}/").text
        return {int(pk): body for pk, body in re.findall(r'data-entry="(\d+)"[^>]*hidden>(.*?)</section>', html, re.S)}

    shown = slides()
    assert "What was kept" in shown[red.pk] and "Two keepsakes" in shown[red.pk] and "A breath" not in shown[red.pk]
    assert "A breath between them." in shown[blue.pk] and "What was kept" not in shown[blue.pk]
    assert "وقفة بينهما." in slides("ar")[blue.pk]
    services.record_consent(blue.item, scopes=["web"], propagate=False, actor_label="test")  # narrowed
    assert "A breath between them." not in client.get(f"/en/kiosk/{exhibition.slug}/").text

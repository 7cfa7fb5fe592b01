from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from archive import services
from archive.models import AuditEvent
from exhibitions import selectors
from exhibitions.models import Exhibition
from tests.factories import (
    ExhibitionEntryFactory,
    ExhibitionFactory,
    ItemFactory,
    RemembranceDayFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_exhibition_page_lists_entries_in_order_with_captions(client):
    exhibition = ExhibitionFactory(title={"en": "Objects that remember"}, summary={"en": "Kept things."})
    first = ExhibitionEntryFactory(exhibition=exhibition, position=2, item=ItemFactory(title={"en": "Second thing"}))
    ExhibitionEntryFactory(exhibition=exhibition, position=1, caption={"en": "Curator note one"},
                           item=ItemFactory(title={"en": "First thing"}))
    html = client.get(reverse("exhibition-detail", args=[exhibition.slug])).content.decode()
    assert "Objects that remember" in html and "Curator note one" in html
    assert html.index("First thing") < html.index("Second thing")
    assert first.item.title["en"] in html


def test_draft_and_unlisted_are_not_public_but_unlisted_has_a_preview_link(client):
    draft = ExhibitionFactory(status=Exhibition.Status.DRAFT)
    unlisted = ExhibitionFactory(status=Exhibition.Status.UNLISTED, title={"en": "Quiet preview"})
    for e in (draft, unlisted):
        assert client.get(reverse("exhibition-detail", args=[e.slug])).status_code == 404
    listing = client.get(reverse("exhibition-list")).content.decode()
    assert "Quiet preview" not in listing
    preview = client.get(reverse("exhibition-preview", args=[unlisted.preview_token]))
    assert preview.status_code == 200 and "Quiet preview" in preview.content.decode()
    assert "noindex" in preview["X-Robots-Tag"]
    assert client.get(reverse("exhibition-preview", args=[draft.preview_token])).status_code == 404
    assert client.get(reverse("exhibition-preview", args=["not-a-token"])).status_code == 404


def test_scheduled_exhibition_goes_live_by_itself(client):
    now = timezone.now()
    exhibition = ExhibitionFactory(publish_at=now + timedelta(days=3), unpublish_at=now + timedelta(days=10),
                                   title={"en": "On the day"})
    assert not selectors.live_exhibitions(now).filter(pk=exhibition.pk).exists()
    assert selectors.live_exhibitions(now + timedelta(days=3)).filter(pk=exhibition.pk).exists()
    assert not selectors.live_exhibitions(now + timedelta(days=10)).filter(pk=exhibition.pk).exists()
    assert client.get(reverse("exhibition-detail", args=[exhibition.slug])).status_code == 404


def test_withdrawn_item_disappears_without_breaking_the_exhibition_and_curators_are_told(
        client, django_capture_on_commit_callbacks):
    exhibition = ExhibitionFactory()
    kept = ExhibitionEntryFactory(exhibition=exhibition, item=ItemFactory(title={"en": "Kept object"}))
    gone = ExhibitionEntryFactory(exhibition=exhibition, item=ItemFactory(title={"en": "Withdrawn object"}))
    url = reverse("exhibition-detail", args=[exhibition.slug])
    assert "Withdrawn object" in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.record_consent(gone.item, scopes=[], withdrawn=True)

    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kept object" in html and "Withdrawn object" not in html
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert gone.unavailable_since is not None and "withdrawn" in gone.unavailable_reason
    assert kept.unavailable_since is None
    event = AuditEvent.objects.get(action="exhibition.entry_hidden")
    assert event.item_id_ref == gone.item.pk and exhibition.slug in event.target
    # Running propagation again tells nobody twice.
    from exhibitions.surfaces import ExhibitionSurface

    ExhibitionSurface().propagate(gone.item)
    assert AuditEvent.objects.filter(action="exhibition.entry_hidden").count() == 1


def test_exhibition_scope_is_required_for_placement(client):
    exhibition = ExhibitionFactory()
    ExhibitionEntryFactory(exhibition=exhibition, item=ItemFactory(title={"en": "Web only"}, consent={"scopes": ["web"]}))
    html = client.get(reverse("exhibition-detail", args=[exhibition.slug])).content.decode()
    assert "Web only" not in html


def test_exhibition_page_query_count_does_not_grow_with_entries(client, django_assert_max_num_queries):
    exhibition = ExhibitionFactory()
    for _ in range(8):
        ExhibitionEntryFactory(exhibition=exhibition)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("exhibition-detail", args=[exhibition.slug])).status_code == 200


def test_remembrance_day_page_shows_its_exhibitions_and_the_memorial_wall(client):
    day = RemembranceDayFactory(slug="21-august")
    ExhibitionFactory(remembrance_day=day, title={"en": "For the day"})
    ExhibitionFactory(title={"en": "Another exhibition"})
    ItemFactory(consent={"name_display": "full", "display_name": "Rana Fictional"})
    ItemFactory(consent={"name_display": "initials", "display_name": "Tomas Madeup"})
    ItemFactory(consent={"name_display": "full", "display_name": "No Wall Person",
                         "scopes": ["web", "exhibition"]})
    ItemFactory(consent={"name_display": "anonymous", "display_name": "Hidden Person"})
    withdrawn = ItemFactory(consent={"name_display": "full", "display_name": "Gone Person"})
    services.record_consent(withdrawn, scopes=[], withdrawn=True, propagate=False, display_name="Gone Person")
    html = client.get(reverse("remembrance-day", args=[day.slug])).content.decode()
    assert "For the day" in html and "Another exhibition" not in html
    assert "Rana Fictional" in html and "T. M." in html and "Tomas Madeup" not in html
    for absent in ("No Wall Person", "Hidden Person", "Gone Person"):
        assert absent not in html


def test_home_shows_featured_and_next_remembrance_day(client):
    RemembranceDayFactory(slug="21-august", name={"en": "Day of remembrance"})
    ExhibitionFactory(featured=True, title={"en": "Featured one"})
    html = client.get(reverse("home")).content.decode()
    assert "Featured one" in html and "Day of remembrance" in html


def test_entries_of_one_media_drop_when_that_media_is_excluded():
    from archive.models import ItemMedia
    from media_pipeline.models import MediaAsset

    exhibition = ExhibitionFactory()
    item = ItemFactory()
    photo = ItemMedia.objects.create(item=item, asset=MediaAsset.objects.create(kind="image"), role="photo")
    other = ItemMedia.objects.create(item=item, asset=MediaAsset.objects.create(kind="image"), role="photo", position=1)
    chosen = ExhibitionEntryFactory(exhibition=exhibition, item=item, media=photo)
    whole = ExhibitionEntryFactory(exhibition=exhibition, item=item)
    assert [(e.entry, e.media) for e in selectors.public_entries(exhibition)] == [(chosen, photo), (whole, photo)]
    services.record_consent(item, scopes=["web", "exhibition"], excluded_media=[photo.pk], propagate=False)
    item.refresh_from_db()
    # The curator's chosen media is excluded: that entry goes; the whole-item entry shows another media.
    assert [(e.entry, e.media) for e in selectors.public_entries(exhibition)] == [(whole, other)]


def test_exhibition_page_offers_its_iiif_collection(client):
    exhibition = ExhibitionFactory(slug="voices")
    html = client.get(reverse("exhibition-detail", args=[exhibition.slug])).content.decode()
    assert "/iiif/collection/exhibition/voices" in html
    assert "?collection=" in html  # the drag-and-drop link
    viewer = client.get(reverse("iiif-viewer") + "?collection=/iiif/collection/exhibition/voices")
    assert viewer.status_code == 200 and b"mirador.min.js" in viewer.content
    assert client.get(reverse("iiif-viewer") + "?manifest=https://elsewhere.example/manifest").status_code == 404


def test_cover_disappears_with_its_items_consent(client):
    from tests.iiif.media import photo_item

    item, use = photo_item()
    ExhibitionFactory(cover=use, title={"en": "With a cover"})
    thumb = use.asset
    from media_pipeline import services as media

    thumb_url = media.public_urls(thumb)["thumb"]
    assert thumb_url in client.get(reverse("exhibition-list")).content.decode()
    services.record_consent(item, scopes=["web"], propagate=False)  # no longer in exhibitions
    html = client.get(reverse("exhibition-list")).content.decode()
    assert "With a cover" in html and thumb_url not in html


def test_following_the_memorial_wall_pages_reaches_every_name_once(client, settings):
    import re

    settings.WALL_PAGE_SIZE = 2
    day = RemembranceDayFactory(slug="21-august")
    names = [f"Wall Name {n}" for n in range(5)]
    for name in names:
        ItemFactory(consent={"name_display": "full", "display_name": name})
    ItemFactory(consent={"name_display": "anonymous", "display_name": "Hidden Person"})  # no name: on no page
    url, query, seen = reverse("remembrance-day", args=[day.slug]), "", []
    for _ in range(10):
        html = client.get(f"{url}?{query}").content.decode()
        seen += re.findall(r"<bdi>(Wall Name \d)</bdi>", html)
        following = re.search(r'<a href="\?([^"#]*)#wall-heading" rel="next"', html)
        if not following:
            break
        query = following.group(1)
    assert sorted(seen) == names  # each exactly once, over three pages
    assert "Hidden Person" not in html
    back = re.search(r'<a href="\?([^"#]*)#wall-heading" rel="prev"', html).group(1)
    assert re.findall(r"<bdi>(Wall Name \d)</bdi>", client.get(f"{url}?{back}").content.decode()) == seen[2:4]

"""IIIF Change Discovery 1.0: Create/Update/Delete activities as consent changes, read-time future ones."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from archive import services
from exhibitions.models import Activity
from exhibitions.surfaces import IIIFSurface
from tests.factories import ExhibitionEntryFactory, ExhibitionFactory, ItemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

iiif_handler = IIIFSurface().propagate


def stream(client) -> list[tuple[str, str]]:
    collection = json.loads(client.get(reverse("iiif:activity_collection")).content)
    assert collection["type"] == "OrderedCollection"
    out = []
    url = collection["first"]["id"]
    while url:
        response = client.get(url[url.index("/iiif/"):])
        assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
        page = json.loads(response.content)
        assert page["type"] == "OrderedCollectionPage"
        out += [(a["type"], a["object"]["id"].rsplit("/iiif/", 1)[1]) for a in page["orderedItems"]]
        url = page.get("next", {}).get("id")
    # A harvester's usual walk, from the newest page back through `prev`, reads the same stream.
    back, url = [], collection["last"]["id"]
    while url:
        page = json.loads(client.get(url[url.index("/iiif/"):]).content)
        back = [(a["type"], a["object"]["id"].rsplit("/iiif/", 1)[1]) for a in page["orderedItems"]] + back
        url = page.get("prev", {}).get("id")
    assert back == out
    return out


def manifest_path(item):
    return f"item/{item.pk}/manifest"


def test_publication_change_and_withdrawal_arrive_as_create_update_delete(client, django_capture_on_commit_callbacks):
    item = ItemFactory(title={"en": "First title"})
    iiif_handler(item)
    iiif_handler(item)  # idempotent: same state, nothing new
    assert stream(client) == [("Create", manifest_path(item))]

    with django_capture_on_commit_callbacks(execute=True):
        services.record_consent(item, scopes=["web", "iiif"], name_display="initials", display_name="Rana Fictional")
    assert stream(client)[-1] == ("Update", manifest_path(item))

    with django_capture_on_commit_callbacks(execute=True):
        services.record_consent(item, scopes=[], withdrawn=True)
    assert stream(client)[-1] == ("Delete", manifest_path(item))
    iiif_handler(item)
    assert [t for t, _ in stream(client)] == ["Create", "Update", "Delete"]


def test_an_item_never_public_emits_nothing(client):
    item = ItemFactory(consent={"scopes": ["web"]})
    assert iiif_handler(item) == "IIIF already up to date"
    assert stream(client) == []


def test_embargo_end_and_expiry_are_listed_when_they_happen_without_a_job(client, monkeypatch):
    now = timezone.now()
    item = ItemFactory(consent={"embargo_until": now + timedelta(days=1), "expires_at": now + timedelta(days=5)})
    iiif_handler(item)
    assert stream(client) == []
    assert Activity.objects.filter(end_time__gt=now).count() == 2  # stored ahead, not listed yet
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(days=2))
    assert stream(client) == [("Create", manifest_path(item))]
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(days=6))
    assert stream(client) == [("Create", manifest_path(item)), ("Delete", manifest_path(item))]


def test_a_new_consent_replaces_the_scheduled_activities(client):
    now = timezone.now()
    item = ItemFactory(consent={"expires_at": now + timedelta(days=5)})
    iiif_handler(item)
    assert list(Activity.objects.values_list("type", flat=True)) == ["Create", "Delete"]
    services.record_consent(item, scopes=["iiif"], propagate=False)  # no expiry any more
    iiif_handler(item)
    assert list(Activity.objects.values_list("type", flat=True)) == ["Create", "Update"]


def test_scheduled_exhibition_collection_is_created_on_its_day(client, monkeypatch, django_capture_on_commit_callbacks):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        exhibition = ExhibitionFactory(publish_at=now + timedelta(days=1))
        ExhibitionEntryFactory(exhibition=exhibition)
    path = f"collection/exhibition/{exhibition.slug}"
    assert (("Create", path)) not in stream(client)
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(days=1, seconds=1))
    assert ("Create", path) in stream(client)


def test_pages_are_linked_and_bounded(client, settings):
    settings.CHANGE_DISCOVERY_PAGE_SIZE = 2
    items = [ItemFactory() for _ in range(5)]
    for item in items:
        iiif_handler(item)
    # Following `next` from `first` (and `prev` from `last`) reaches every activity exactly once,
    # in the order they happened, over three pages of at most two.
    assert stream(client) == [("Create", f"item/{i.pk}/manifest") for i in items]
    url = reverse("iiif:activity_page")
    pages = 0
    while url:
        page = json.loads(client.get(url[url.index("/iiif/"):]).content)
        assert len(page["orderedItems"]) <= 2 and "startIndex" not in page
        pages, url = pages + 1, page.get("next", {}).get("id")
    assert pages == 3
    newest = Activity.objects.order_by("-end_time", "-id").first()
    assert client.get(f"{reverse('iiif:activity_page')}?after={newest.pk}").status_code == 404  # past the end
    stale = json.loads(client.get(f"{reverse('iiif:activity_page')}?after=not-a-number").content)
    assert stale["id"].endswith("/iiif/activity/page") and len(stale["orderedItems"]) == 2  # read as the first


def test_an_activity_stored_ahead_joins_at_the_end_and_walked_pages_stay(client, settings, monkeypatch):
    """Keyset pages do not shift: an activity stored ahead joins the stream at its end when its
    moment passes, after everything a harvester has already read."""
    settings.CHANGE_DISCOVERY_PAGE_SIZE = 2
    now = timezone.now()
    later = ItemFactory(consent={"embargo_until": now + timedelta(hours=1)})
    iiif_handler(later)
    items = [ItemFactory() for _ in range(3)]
    for item in items:
        iiif_handler(item)
    first = json.loads(client.get(reverse("iiif:activity_page")).content)
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(hours=2))
    assert json.loads(client.get(first["id"][first["id"].index("/iiif/"):]).content) == first
    assert stream(client)[-1] == ("Create", manifest_path(later))


def test_deleting_a_live_exhibition_emits_delete(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        exhibition = ExhibitionFactory(slug="to-be-removed")
    path = "collection/exhibition/to-be-removed"
    assert stream(client) == [("Create", path)]
    with django_capture_on_commit_callbacks(execute=True):
        exhibition.delete()
    assert stream(client) == [("Create", path), ("Delete", path)]

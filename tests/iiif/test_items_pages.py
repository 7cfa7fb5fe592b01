"""The collection of every item shared for IIIF, split into pages: no document grows with the archive."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ItemFactory
from tests.iiif.schema import errors

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _get(client, url):
    response = client.get(url[url.index("/iiif/"):] if "/iiif/" in url else url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Access-Control-Allow-Origin"] == "*"
    doc = json.loads(response.content)
    assert errors(doc) == [], url
    return doc


def _harvest(client) -> list[str]:
    """What a harvester does: the top of the items collection, then every page it lists."""
    top = _get(client, reverse("iiif:items_collection"))
    manifests = []
    for ref in top["items"]:
        assert ref["type"] == "Collection"
        page = _get(client, ref["id"])
        assert page["id"] == ref["id"]
        assert page["partOf"] == [{"id": top["id"], "type": "Collection", "label": top["label"]}]
        assert all(m["type"] == "Manifest" for m in page["items"])
        manifests += [m["id"].rsplit("/iiif/", 1)[1] for m in page["items"]]
    return manifests


def test_following_the_pages_reaches_every_shared_item_exactly_once(client, settings):
    settings.IIIF_COLLECTION_PAGE_SIZE = 2
    shared = [ItemFactory() for _ in range(5)]
    ItemFactory(consent={"scopes": ["web"]})  # not shared for IIIF: on no page
    manifests = _harvest(client)
    assert sorted(manifests) == sorted(f"item/{i.pk}/manifest" for i in shared)
    top = _get(client, reverse("iiif:items_collection"))
    assert len(top["items"]) == 3 and top["items"][0]["label"]["en"] == ["All items shared for IIIF, page 1"]
    assert client.get(reverse("iiif:items_page", kwargs={"page": 4})).status_code == 404
    assert client.get(reverse("iiif:items_page", kwargs={"page": 0})).status_code == 404


def test_an_empty_archive_has_one_empty_page(client):
    assert _harvest(client) == []


def test_pages_follow_consent_and_embargo_at_read_time(client, settings, monkeypatch):
    """A page is cached on the shared generation and the next embargo or expiry: a withdrawal and
    an embargo that ends are both seen on the next request, with no job having run."""
    from archive import services

    settings.IIIF_COLLECTION_PAGE_SIZE = 2
    now = timezone.now()
    first, second = ItemFactory(), ItemFactory()
    later = ItemFactory(consent={"embargo_until": now + timedelta(hours=1)})
    assert sorted(_harvest(client)) == sorted(f"item/{i.pk}/manifest" for i in (first, second))
    services.record_consent(second, scopes=[], withdrawn=True, propagate=False)
    assert _harvest(client) == [f"item/{first.pk}/manifest"]
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(hours=1, seconds=1))
    assert sorted(_harvest(client)) == sorted(f"item/{i.pk}/manifest" for i in (first, later))


def test_pages_do_not_shift_when_items_come_and_go(client, settings):
    """A page is a fixed range of publication numbers: a withdrawal on page 1 leaves page 2 as it
    was (a harvester's copy of it stays right), and a new publication goes on the last page."""
    from archive import services

    settings.IIIF_COLLECTION_PAGE_SIZE = 2
    items = [ItemFactory() for _ in range(4)]
    second = _get(client, reverse("iiif:items_page", kwargs={"page": 2}))
    assert [m["id"].rsplit("/iiif/", 1)[1] for m in second["items"]] == [f"item/{i.pk}/manifest" for i in items[2:]]
    services.record_consent(items[0], scopes=[], withdrawn=True, propagate=False)
    newer = ItemFactory()
    assert _get(client, reverse("iiif:items_page", kwargs={"page": 2}))["items"] == second["items"]
    first = _get(client, reverse("iiif:items_page", kwargs={"page": 1}))
    assert [m["id"].rsplit("/iiif/", 1)[1] for m in first["items"]] == [f"item/{items[1].pk}/manifest"]
    third = _get(client, reverse("iiif:items_page", kwargs={"page": 3}))
    assert [m["id"].rsplit("/iiif/", 1)[1] for m in third["items"]] == [f"item/{newer.pk}/manifest"]


def test_an_item_is_numbered_once_at_its_first_publication():
    from archive.models import Item, PublicationCounter

    waiting = ItemFactory(status=Item.Status.SUBMITTED, published_at=None)
    assert waiting.publication_seq is None
    waiting.status, waiting.published_at = Item.Status.PUBLISHED, timezone.now()
    waiting.save(update_fields=["status", "published_at"])  # as moderation saves it
    waiting.refresh_from_db()
    number = waiting.publication_seq
    assert number == PublicationCounter.last()
    waiting.status = Item.Status.REJECTED
    waiting.save()
    ItemFactory()
    waiting.status = Item.Status.PUBLISHED
    waiting.save()
    waiting.refresh_from_db()
    assert waiting.publication_seq == number  # published again: the same place in the pages

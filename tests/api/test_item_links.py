"""The API links itself (issue 17): an item links its page in each language, its IIIF manifest and
image services where `iiif` allows, and the live exhibitions showing it where `exhibition` allows;
search results link manifests likewise. The links come from the registered surfaces."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from archive import surfaces
from archive.models import Item
from archive.search import get_backend
from exhibitions.models import Exhibition
from tests.factories import ExhibitionEntryFactory, ExhibitionFactory, ItemFactory
from tests.iiif.media import photo_item
from tests.search.helpers import documents

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]  # links and search on both databases

ALL_BUT = lambda *closed: [s for s in ("web", "search", "exhibition", "iiif", "memorial_wall") if s not in closed]  # noqa: E731


def _links(client, item) -> dict:
    response = client.get(f"/api/items/{item.pk}/")
    assert response.status_code == 200, response.content
    return response.json()["links"]


def test_an_item_links_its_pages_manifest_image_service_and_exhibitions(client):
    item, use = photo_item(width=900, height=600, title={"en": "Flowers on the square"})
    shown = ExhibitionFactory(slug="voices-after", title={"en": "Voices after", "fr": "Voix d'après"})
    ExhibitionEntryFactory(exhibition=shown, item=item)

    links = _links(client, item)

    assert set(links["pages"]) == {code for code, _ in settings.LANGUAGES}
    for code, url in links["pages"].items():
        assert url == f"http://testserver/{code}/items/{item.pk}/"
        assert client.get(url).status_code == 200
    manifest = client.get(links["manifest"]).json()
    assert manifest["id"] == links["manifest"] == f"{settings.SITE_URL}/iiif/item/{item.pk}/manifest"
    body = manifest["items"][0]["items"][0]["items"][0]["body"]
    assert links["image_services"] == [
        {"media": use.pk, "id": body["service"][0]["id"], "type": "ImageService3", "profile": "level0"}]
    assert links["exhibitions"] == [{
        "slug": "voices-after", "title": {"en": "Voices after", "fr": "Voix d'après"},
        "url": "http://testserver/en/exhibitions/voices-after/",
        "collection": f"{settings.SITE_URL}/iiif/collection/exhibition/voices-after",
    }]


def test_without_iiif_no_manifest_or_image_service_and_without_exhibition_no_exhibition(client):
    item, _use = photo_item(consent={"scopes": ALL_BUT("iiif")})
    hidden, _use = photo_item(consent={"scopes": ALL_BUT("exhibition")})
    for placed in (item, hidden):
        ExhibitionEntryFactory(exhibition=ExhibitionFactory(), item=placed)

    links = _links(client, item)
    assert links["manifest"] is None and links["image_services"] == []
    assert client.get(f"/iiif/item/{item.pk}/manifest").status_code == 404  # the policy's own answer
    assert len(links["exhibitions"]) == 1 and len(links["pages"]) == 6

    links = _links(client, hidden)
    assert links["exhibitions"] == [] and links["manifest"] and len(links["image_services"]) == 1


def test_only_live_exhibitions_are_linked(client):
    item = ItemFactory()
    now = timezone.now()
    for status, window in [(Exhibition.Status.DRAFT, {}), (Exhibition.Status.UNLISTED, {}),
                           (Exhibition.Status.PUBLISHED, {"publish_at": now + timedelta(days=3)}),
                           (Exhibition.Status.PUBLISHED, {"unpublish_at": now - timedelta(days=1)})]:
        ExhibitionEntryFactory(exhibition=ExhibitionFactory(status=status, **window), item=item)
    live = ExhibitionFactory(slug="live-now")
    ExhibitionEntryFactory(exhibition=live, item=item, position=1)
    ExhibitionEntryFactory(exhibition=live, item=item, position=2)  # placed twice: linked once

    assert [e["slug"] for e in _links(client, item)["exhibitions"]] == ["live-now"]


def test_a_withdrawn_item_is_gone_and_a_narrowed_one_loses_its_manifest_at_once(client):
    from archive import services

    item = ItemFactory()
    assert _links(client, item)["manifest"]
    services.record_consent(item, scopes=ALL_BUT("iiif"), propagate=False, actor_label="test")
    assert _links(client, Item.objects.get(pk=item.pk))["manifest"] is None


def test_search_results_link_manifests_where_iiif_allows(client):
    opened = ItemFactory(title={"en": "Umbrella by the gate"})
    kept = ItemFactory(title={"en": "Umbrella on the stairs"}, consent={"scopes": ALL_BUT("iiif")})
    get_backend().index(documents({"opened": opened, "kept": kept}))

    results = client.get("/api/search/", {"q": "umbrella"}).json()["results"]

    manifests = {r["id"]: r["manifest"] for r in results}
    assert manifests == {str(opened.pk): f"{settings.SITE_URL}/iiif/item/{opened.pk}/manifest",
                         str(kept.pk): None}


def test_the_links_come_from_the_registered_surfaces(client):
    """With only the archive's own surfaces registered, the item still links its pages, and nothing else."""
    item = ItemFactory()
    ExhibitionEntryFactory(exhibition=ExhibitionFactory(), item=item)
    with surfaces.register_temporarily(*(s for s in surfaces.registry.all() if s.name not in ("iiif", "exhibition")),
                                       only=True):
        links = _links(client, item)
    assert links["manifest"] is None and links["image_services"] == [] and links["exhibitions"] == []
    assert len(links["pages"]) == 6


def test_the_item_list_links_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    exhibition = ExhibitionFactory()
    for _ in range(2):
        ExhibitionEntryFactory(exhibition=exhibition, item=ItemFactory())
    client.get("/api/items/")  # warm what is cached per process (site, content types)
    with django_assert_max_num_queries(12) as few:
        assert client.get("/api/items/").status_code == 200
    for _ in range(6):
        ExhibitionEntryFactory(exhibition=exhibition, item=ItemFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get("/api/items/").json()
    assert len(body["results"]) == 8 and all(r["links"]["exhibitions"] for r in body["results"])

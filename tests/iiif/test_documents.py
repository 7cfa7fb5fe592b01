"""IIIF documents for items without media (media-bearing manifests: test_media_manifests.py)."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from archive import services
from archive.models import Item
from exhibitions.models import Exhibition
from tests.factories import EventFactory, ExhibitionEntryFactory, ExhibitionFactory, ItemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def manifest_url(item):
    return reverse("iiif:manifest", kwargs={"item_id": item.pk})


def get_json(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return response, json.loads(response.content)


def test_manifest_carries_language_maps_attribution_rights_and_provider(client, settings):
    settings.SITE_URL = "https://memories.example"
    item = ItemFactory(
        kind=Item.Kind.OBJECT_STORY,
        title={"en": "A blue scarf", "ar": "وشاح أزرق", "es": "Una bufanda azul", "fr": ""},
        story={"en": "She wore it to the market.", "es": "Lo llevaba al mercado."},
        rights="https://creativecommons.org/licenses/by-nc-nd/4.0/",
        event=EventFactory(name={"en": "Synthetic event", "fr": "Événement fictif"}),
        date_text="2011", date_start=timezone.datetime(2011, 5, 1).date(),
        consent={"name_display": "initials", "display_name": "Rana Fictional"},
    )
    response, doc = get_json(client, manifest_url(item))
    assert doc["@context"] == "http://iiif.io/api/presentation/3/context.json"
    assert doc["id"] == f"https://memories.example/iiif/item/{item.pk}/manifest"
    assert doc["label"] == {"en": ["A blue scarf"], "ar": ["وشاح أزرق"], "es": ["Una bufanda azul"]}
    assert doc["summary"] == {"en": ["She wore it to the market."], "es": ["Lo llevaba al mercado."]}
    assert doc["rights"] == "http://creativecommons.org/licenses/by-nc-nd/4.0/"
    assert doc["navDate"] == "2011-05-01T00:00:00Z"
    statement = json.dumps(doc["requiredStatement"], ensure_ascii=False)
    assert "R. F." in statement and "Rana" not in statement
    assert doc["provider"][0]["type"] == "Agent"
    assert doc["homepage"][0]["format"] == "text/html"
    labels = {m["label"]["en"][0]: m["value"] for m in doc["metadata"]}
    assert labels["Event"] == {"en": ["Synthetic event"], "fr": ["Événement fictif"]}
    assert labels["Story"]["es"] == ["Lo llevaba al mercado."]
    assert "placeholderCanvas" not in doc
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["ETag"] and "max-age" in response["Cache-Control"]
    assert response["Content-Type"].startswith("application/ld+json")


def test_anonymous_consent_puts_no_name_anywhere(client):
    contributor_name = "Zed Secretname"
    item = ItemFactory(consent={"name_display": "anonymous", "display_name": contributor_name},
                       contributor__name=contributor_name)
    _, doc = get_json(client, manifest_url(item))
    assert "Secretname" not in json.dumps(doc)
    assert "anonymously" in doc["requiredStatement"]["value"]["en"][0]


def test_content_warning_becomes_a_placeholder_canvas(client):
    item = ItemFactory(content_warnings=["violence"])
    _, doc = get_json(client, manifest_url(item))
    placeholder = doc["placeholderCanvas"]
    assert placeholder["type"] == "Canvas"
    assert "violence" in json.dumps(placeholder)
    body = placeholder["items"][0]["items"][0]["body"]
    assert body["type"] == "TextualBody" and "violence" in body["value"]


def test_etag_revalidation_answers_304(client):
    item = ItemFactory()
    response, _ = get_json(client, manifest_url(item))
    again = client.get(manifest_url(item), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again["Access-Control-Allow-Origin"] == "*"


def test_preflight_is_open(client):
    response = client.options(manifest_url(ItemFactory()))
    assert response.status_code == 204 and response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("case", ["withdrawn", "no_iiif_scope", "embargoed", "expired", "unpublished",
                                  "missing", "garbage"])
def test_forbidden_items_are_404_not_403(client, case):
    now = timezone.now()
    item = ItemFactory()
    url = manifest_url(item)
    get_json(client, url)  # warm the cache: it must not be served afterwards
    if case == "withdrawn":
        services.record_consent(item, scopes=[], withdrawn=True, propagate=False)
    elif case == "no_iiif_scope":
        services.record_consent(item, scopes=["web", "search"], propagate=False)
    elif case == "embargoed":
        services.record_consent(item, scopes=["iiif"], embargo_until=now + timedelta(days=5), propagate=False)
    elif case == "expired":
        services.record_consent(item, scopes=["iiif"], expires_at=now - timedelta(seconds=1), propagate=False)
    elif case == "unpublished":
        Item.objects.filter(pk=item.pk).update(status=Item.Status.SUBMITTED)
    elif case == "missing":
        url = reverse("iiif:manifest", kwargs={"item_id": "6f1c3a52-4b7e-4c55-9a71-3f0b8f5d2a10"})
    else:
        url = "/iiif/item/not-a-uuid/manifest"
    response = client.get(url)
    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"
    search = client.get(reverse("iiif:content_search", kwargs={"item_id": item.pk}) + "?q=a")
    assert search.status_code == (200 if case in ("missing", "garbage") else 404)


def test_exhibition_collection_lists_only_iiif_and_exhibition_allowed_items_in_order(client):
    exhibition = ExhibitionFactory(title={"en": "Voices after", "fr": "Les voix d'après"})
    second = ExhibitionEntryFactory(exhibition=exhibition, position=2)
    first = ExhibitionEntryFactory(exhibition=exhibition, position=1)
    ExhibitionEntryFactory(exhibition=exhibition, position=3, item=ItemFactory(consent={"scopes": ["web", "exhibition"]}))
    ExhibitionEntryFactory(exhibition=exhibition, position=4, item=ItemFactory(consent={"scopes": ["web", "iiif"]}))
    _, doc = get_json(client, reverse("iiif:exhibition_collection", kwargs={"slug": exhibition.slug}))
    assert doc["type"] == "Collection" and doc["label"]["fr"] == ["Les voix d'après"]
    assert [m["id"].rsplit("/", 2)[-2] for m in doc["items"]] == [str(first.item.pk), str(second.item.pk)]
    assert all(m["type"] == "Manifest" for m in doc["items"])


def test_collection_drops_a_withdrawn_item_even_when_cached(client):
    exhibition = ExhibitionFactory()
    entry = ExhibitionEntryFactory(exhibition=exhibition)
    url = reverse("iiif:exhibition_collection", kwargs={"slug": exhibition.slug})
    assert len(get_json(client, url)[1]["items"]) == 1
    # No propagation at all: the read-time key alone must move on.
    services.record_consent(entry.item, scopes=[], withdrawn=True, propagate=False)
    assert get_json(client, url)[1]["items"] == []


def test_collection_respects_embargo_end_without_any_job(client):
    now = timezone.now()
    exhibition = ExhibitionFactory()
    item = ItemFactory(consent={"embargo_until": now + timedelta(hours=1)})
    ExhibitionEntryFactory(exhibition=exhibition, item=item)
    from exhibitions.iiif import collections

    assert collections.build_exhibition_collection(exhibition, at=now)["items"] == []
    later = collections.build_exhibition_collection(exhibition, at=now + timedelta(hours=2))
    assert len(later["items"]) == 1


def test_publication_window_for_page_collection_and_top(client, monkeypatch):
    """Invisible until publish_at, visible after, with no job having run (time moved by a clock)."""
    now = timezone.now()
    exhibition = ExhibitionFactory(status=Exhibition.Status.PUBLISHED, publish_at=now + timedelta(days=2),
                                   title={"en": "Scheduled for the day"})
    ExhibitionEntryFactory(exhibition=exhibition)
    page = reverse("exhibition-detail", args=[exhibition.slug])
    collection = reverse("iiif:exhibition_collection", kwargs={"slug": exhibition.slug})
    top = reverse("iiif:top_collection")

    def visible():
        in_top = exhibition.slug in client.get(top).content.decode()
        return client.get(page).status_code == 200, client.get(collection).status_code == 200, in_top

    assert visible() == (False, False, False)
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(days=2, seconds=1))
    assert visible() == (True, True, True)
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(days=400))
    exhibition.unpublish_at = now + timedelta(days=30)
    exhibition.save()
    assert visible() == (False, False, False)


def test_top_collection_links_live_exhibitions_and_all_items(client):
    ExhibitionFactory(slug="open-one")
    ExhibitionFactory(slug="draft-one", status=Exhibition.Status.DRAFT)
    item = ItemFactory()
    ItemFactory(consent={"scopes": ["web"]})
    _, top = get_json(client, reverse("iiif:top_collection"))
    ids = [c["id"] for c in top["items"]]
    assert any(i.endswith("/collection/exhibition/open-one") for i in ids)
    assert not any("draft-one" in i for i in ids)
    _, everything = get_json(client, reverse("iiif:items_page", kwargs={"page": 1}))
    assert [m["id"] for m in everything["items"]] == [f"{top['id'].rsplit('/iiif/', 1)[0]}/iiif/item/{item.pk}/manifest"]


def test_items_and_top_collections_never_serve_a_stale_cache(client):
    first = ItemFactory()
    second = ItemFactory()
    items_url, top_url = reverse("iiif:items_page", kwargs={"page": 1}), reverse("iiif:top_collection")
    assert len(get_json(client, items_url)[1]["items"]) == 2
    services.record_consent(second, scopes=[], withdrawn=True, propagate=False)  # no propagation at all
    assert [m["id"] for m in get_json(client, items_url)[1]["items"]] == [
        get_json(client, manifest_url(first))[1]["id"]]
    exhibition = ExhibitionFactory(slug="soon", publish_at=timezone.now() + timedelta(seconds=3600))
    assert "soon" not in client.get(top_url).content.decode()
    Exhibition.objects.filter(pk=exhibition.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    assert "soon" in client.get(top_url).content.decode()


def test_a_cached_manifest_follows_an_edit_made_in_another_process(client, fresh_storage, settings):
    """A caption edited elsewhere (a queryset update sends no signal, like another process whose
    local cache generation this one never hears of) is in the next manifest."""
    from archive.models import ItemMedia
    from tests.iiif.media import photo_item

    settings.SITE_URL = "http://testserver"
    item, use = photo_item(600, 400)
    path = f"/iiif/item/{item.pk}/manifest"
    assert "A year later" in client.get(path).content.decode()
    ItemMedia.objects.filter(pk=use.pk).update(caption={"en": "Two years later"})
    assert "Two years later" in client.get(path).content.decode()

"""Manifests of items with real media: image service, A/V canvases, transcripts, content search."""

import json

import pytest
from django.conf import settings
from django.urls import reverse

from archive import services
from archive.models import ItemMedia
from media_pipeline import services as media
from tests.iiif import schema
from tests.iiif.media import photo_item, recorded_testimony

pytestmark = pytest.mark.django_db

VALIDATOR = schema.validator()


def manifest(client, item) -> dict:
    response = client.get(reverse("iiif:manifest", kwargs={"item_id": item.pk}))
    assert response.status_code == 200
    doc = json.loads(response.content)
    errors = [f"{list(e.absolute_path)}: {e.message[:200]}" for e in VALIDATOR.iter_errors(doc)]
    assert errors == []
    return doc


def local(client, url: str):
    """GET one of our own absolute URLs through the test client (media is served by Django here)."""
    assert url.startswith(settings.SITE_URL), url
    return client.get(url[len(settings.SITE_URL):])


def test_photograph_manifest_has_a_level0_image_service_whose_info_json_is_served(client):
    item, use = photo_item(content_warnings=["injury"])
    doc = manifest(client, item)
    [canvas] = doc["items"]
    assert canvas["width"] == 900 and canvas["height"] == 600
    assert canvas["label"] == {"en": ["A year later"], "fr": ["Un an après"]}
    body = canvas["items"][0]["items"][0]["body"]
    assert body["type"] == "Image" and body["format"] == "image/jpeg"
    [service] = body["service"]
    assert service["type"] == "ImageService3" and service["profile"] == "level0"
    info = local(client, service["id"] + "/info.json")
    assert info.status_code == 200
    info_doc = json.loads(b"".join(info.streaming_content) if info.streaming else info.content)
    assert info_doc["id"] == service["id"] and info_doc["width"] == 900
    assert local(client, body["id"]).status_code == 200
    assert doc["thumbnail"][0]["id"] == canvas["thumbnail"][0]["id"]
    assert "placeholderCanvas" in doc


def test_excluded_media_never_reaches_the_manifest(client):
    item, use = photo_item()
    services.record_consent(item, scopes=["web", "iiif"], excluded_media=[use.pk], propagate=False)
    doc = manifest(client, item)
    assert doc["items"] == [] and "thumbnail" not in doc
    assert use.asset.public_token not in json.dumps(doc)


def test_retracted_media_drops_out_rather_than_breaking(client):
    item, use = photo_item()
    media.retract(use.asset)
    assert manifest(client, item)["items"] == []


@pytest.mark.parametrize("video", [False, True])
def test_testimony_canvas_has_duration_painting_media_and_a_vtt_supplement(client, video):
    item, recording, transcript = recorded_testimony(video=video)
    doc = manifest(client, item)
    [canvas] = doc["items"]
    assert canvas["duration"] > 0
    body = canvas["items"][0]["items"][0]["body"]
    assert body["type"] == ("Video" if video else "Sound")
    assert body["format"] == ("video/mp4" if video else "audio/mp4")
    if video:
        assert canvas["width"] == 64 and canvas["height"] == 48
    [supplement] = canvas["annotations"][0]["items"]
    assert supplement["motivation"] == "supplementing" and supplement["target"] == canvas["id"]
    assert supplement["body"]["format"] == "text/vtt" and supplement["body"]["language"] == "en"
    vtt = local(client, supplement["body"]["id"])
    assert vtt.status_code == 200
    [service] = doc["service"]
    assert service["type"] == "SearchService2"


def test_content_search_returns_timed_hits_on_the_canvas(client):
    item, recording, transcript = recorded_testimony()
    doc = manifest(client, item)
    search_url = doc["service"][0]["id"]
    response = local(client, search_url + "?q=stranger+HAND")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    page = json.loads(response.content)
    assert page["@context"] == "http://iiif.io/api/search/2/context.json" and page["type"] == "AnnotationPage"
    [hit] = page["items"]
    assert hit["target"] == f"{doc['items'][0]['id']}#t=0.4,0.9"
    assert "stranger" in hit["body"]["value"]
    assert json.loads(local(client, search_url + "?q=nothing-like-this").content)["items"] == []
    ignored = json.loads(local(client, search_url + "?q=hand&motivation=painting").content)
    assert ignored["ignored"] == ["motivation"]


def test_content_search_ignores_a_transcript_the_consent_excludes(client):
    item, recording, transcript = recorded_testimony()
    services.record_consent(item, scopes=["web", "iiif"], excluded_media=[transcript.pk], propagate=False)
    doc = manifest(client, item)
    assert "service" not in doc and "annotations" not in doc["items"][0]
    search = reverse("iiif:content_search", kwargs={"item_id": item.pk})
    assert json.loads(client.get(search + "?q=stranger").content)["items"] == []


def test_every_id_is_absolute(client):
    item, _ = photo_item()
    doc = manifest(client, item)
    ids = [doc["id"], doc["items"][0]["id"], doc["items"][0]["items"][0]["items"][0]["body"]["id"]]
    assert all(i.startswith(("http://", "https://")) for i in ids)



def test_exhibition_collection_with_thumbnails_validates(client):
    from tests.factories import ExhibitionEntryFactory, ExhibitionFactory

    exhibition = ExhibitionFactory()
    item, use = photo_item()
    testimony, _, _ = recorded_testimony()
    ExhibitionEntryFactory(exhibition=exhibition, item=item, position=0)
    ExhibitionEntryFactory(exhibition=exhibition, item=testimony, position=1)
    response = client.get(reverse("iiif:exhibition_collection", kwargs={"slug": exhibition.slug}))
    doc = json.loads(response.content)
    assert [e.message for e in VALIDATOR.iter_errors(doc)] == []
    photo_ref, testimony_ref = doc["items"]
    assert photo_ref["thumbnail"][0]["id"] == media.public_urls(use.asset)["thumb"]
    assert testimony_ref["thumbnail"][0]["id"].endswith("poster.png")  # the audio's poster frame


def test_content_search_caps_hits_across_every_transcript(client, monkeypatch):
    from exhibitions.iiif import search as content_search

    item, recording, transcript = recorded_testimony()
    # A second transcript of the same recording (another language): two transcripts, one hit each.
    ItemMedia.objects.create(item=item, asset=transcript.asset, role=ItemMedia.Role.TRANSCRIPT,
                             transcribes=recording, language="fr")
    search = reverse("iiif:content_search", kwargs={"item_id": item.pk})
    assert len(json.loads(client.get(search + "?q=stranger").content)["items"]) == 2
    monkeypatch.setattr(content_search, "MAX_HITS", 1)
    assert len(json.loads(client.get(search + "?q=stranger").content)["items"]) == 1

"""Search results with real media (generated in code, run through the real pipeline): blurred
thumbnails for items with content warnings, transcript cues parsed by the pipeline, and nothing
from media the consent excludes."""

import pytest

from archive import services
from archive.search import selectors
from archive.search.base import SearchQuery
from archive.search.tasks import sync_item
from tests.site.media import make_photo, make_testimony

pytestmark = pytest.mark.django_db


def test_thumbnails_blurred_when_the_item_carries_a_content_warning(client):
    calm = make_photo(title={"en": "Candles on a square"}, content_warnings=[])
    hard = make_photo(title={"en": "Candles after the attack"}, content_warnings=["injury"])
    sync_item(calm.pk)
    sync_item(hard.pk)
    hits = {h.id: h for h in selectors.search(SearchQuery(text="candles")).hits}
    assert "thumb-blurred" not in hits[str(calm.pk)].document["thumbnail"]
    assert "thumb-blurred" in hits[str(hard.pk)].document["thumbnail"]
    page = client.get("/en/search/", {"q": "candles"}).content.decode()
    assert 'class="result-thumb is-blurred"' in page


def test_excluded_photo_gives_no_thumbnail():
    item = make_photo(title={"en": "Candles, excluded photo"})
    photo = item.media.get()
    services.record_consent(item, scopes=["web", "search"], excluded_media=[photo.pk], propagate=False)
    sync_item(item.pk)
    assert selectors.search(SearchQuery(text="excluded")).hits[0].document["thumbnail"] is None


def test_pipeline_cues_become_transcript_hits(client):
    item = make_testimony(title={"en": "A testimony"})
    sync_item(item.pk)
    body = client.get("/api/search/", {"q": "stranger"}).json()
    assert body["results"][0]["id"] == str(item.pk)
    hit = body["results"][0]["transcript_hits"][0]
    assert hit["start"] == pytest.approx(0.4) and "<mark>stranger</mark>" in hit["snippet"]

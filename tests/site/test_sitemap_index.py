"""/sitemap.xml is an index of paginated sitemaps: none grows past SITEMAP_PAGE_SIZE items."""

import re
from collections import Counter

import pytest
from django.conf import settings as django_settings

from archive import services
from tests.factories import ItemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

LOC = re.compile(r"<loc>([^<]+)</loc>")


def _harvest(client) -> Counter:
    pages = Counter()
    for sitemap in _locs(client, "/sitemap.xml", "sitemapindex"):
        pages.update(re.sub(r"^https?://[^/]+", "", loc) for loc in _locs(client, sitemap, "urlset"))
    return pages


def _locs(client, url: str, root: str) -> list[str]:
    response = client.get(re.sub(r"^https?://[^/]+", "", url))
    assert response.status_code == 200, url
    body = response.content.decode()
    assert f"<{root}" in body
    return LOC.findall(body)


def test_following_the_index_reaches_every_public_item_once_per_language(client, settings):
    settings.SITEMAP_PAGE_SIZE = 2
    public = [ItemFactory() for _ in range(5)]
    hidden = ItemFactory(consent={"scopes": ["iiif"]})  # not on the web: in no sitemap
    sitemaps = _locs(client, "/sitemap.xml", "sitemapindex")
    assert len(sitemaps) == 3 and all("sitemap-items.xml" in s for s in sitemaps)
    pages = Counter()
    for sitemap in sitemaps:
        locs = _locs(client, sitemap, "urlset")
        assert len(locs) <= 2 * len(django_settings.LANGUAGES)
        pages.update(re.sub(r"^https?://[^/]+", "", loc) for loc in locs)
    expected = {f"/{code}/items/{item.pk}/" for item in public for code, _ in django_settings.LANGUAGES}
    assert set(pages) == expected
    assert set(pages.values()) == {1}  # each exactly once
    assert not any(str(hidden.pk) in loc for loc in pages)
    # A withdrawal and a new item: the pages are split again on the next request (the page starts
    # are cached on the shared generation), still each item once.
    services.record_consent(public[2], scopes=[], withdrawn=True, propagate=False)
    newer = ItemFactory()
    again = _harvest(client)
    assert set(again.values()) == {1}
    assert {p.split("/")[3] for p in again} == {str(i.pk) for i in (*public[:2], *public[3:], newer)}


def test_a_page_past_the_last_is_not_found(client, settings):
    settings.SITEMAP_PAGE_SIZE = 2
    ItemFactory()
    assert client.get("/sitemap-items.xml?p=2").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404
    assert client.get("/sitemap-items.xml?p=²").status_code == 404

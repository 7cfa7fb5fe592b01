"""The sitemaps of public item pages: only items the consent policy allows on the web, now.

/sitemap.xml is Django's sitemap index; each sitemap it lists holds SITEMAP_PAGE_SIZE items (one
URL per item and language, within the protocol's 50,000). Nothing on one request walks the whole
archive: page n is the items whose publication number falls in a fixed range (archive/keyset.py),
one range read of that index; the number of pages is one row (the publication counter); no lastmod
is computed over every item.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sites.shortcuts import get_current_site
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from archive import consent, keyset

_MARKER = "00000000-0000-0000-0000-000000000000"


class _Pages:
    """What Django's sitemap index asks of a paginator (num_pages), over numbered ranges."""

    def __init__(self, count: int):
        self.num_pages = count


class ItemSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6
    i18n = True  # one <url> per language prefix

    @property
    def paginator(self) -> _Pages:
        return _Pages(keyset.numbered_page_count(settings.SITEMAP_PAGE_SIZE))

    def items(self):
        # Only ids and dates leave this query: a sitemap shows no titles or names.
        return consent.visible_items("web").select_related(None).only("pk", "updated_at")

    def get_latest_lastmod(self):
        return None  # the newest change over every item would read them all on each index request


sitemaps = {"items": ItemSitemap}


def sitemap_page(request, section: str) -> HttpResponse:
    """One sitemap of the index, as Django's sitemap view answers it but written out directly: its
    template and per-URL translation switches spend seconds on the tens of thousands of URLs a
    full page holds."""
    if section not in sitemaps:
        raise Http404
    sitemap = sitemaps[section]()
    number = request.GET.get("p", "1")
    if not (number.isascii() and number.isdigit()) or not 1 <= int(number) <= sitemap.paginator.num_pages:
        raise Http404
    rows = keyset.numbered_page(sitemap.items(), int(number), settings.SITEMAP_PAGE_SIZE)
    base = f"{request.scheme}://{get_current_site(request).domain}"
    paths = {}
    for code in sitemap._languages():
        with translation.override(code):
            paths[code] = escape(base + reverse("item-detail", kwargs={"item_id": _MARKER}))
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    tail = f"<changefreq>{sitemap.changefreq}</changefreq><priority>{sitemap.priority}</priority></url>"
    for item in rows:
        lastmod = f"<lastmod>{item.updated_at:%Y-%m-%d}</lastmod>" if item.updated_at else ""
        parts.extend(f"<url><loc>{path.replace(_MARKER, str(item.pk))}</loc>{lastmod}{tail}" for path in paths.values())
    parts.append("</urlset>\n")
    return HttpResponse("\n".join(parts), content_type="application/xml")

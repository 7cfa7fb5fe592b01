"""The sitemaps of public item pages: only items the consent policy allows on the web, now.

/sitemap.xml is Django's sitemap index; each sitemap it lists holds SITEMAP_PAGE_SIZE items (one
URL per item and language, within the protocol's 50,000). Nothing on one request walks the whole
archive: a page is one slice of an indexed order, and no lastmod is computed over every item.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from archive import consent

_MARKER = "00000000-0000-0000-0000-000000000000"


class _PerLanguage:
    """(item, language) pairs over a queryset, sliced in the database: Django's i18n sitemap
    would build the pair list for every item in memory on every request."""

    def __init__(self, items, languages: list[str]):
        self.items, self.languages = items, languages

    def count(self) -> int:
        return self.items.count() * len(self.languages)

    def __getitem__(self, window: slice) -> list:
        n = len(self.languages)
        first, end = window.start // n, -(-window.stop // n)
        pairs = [(item, code) for item in self.items[first:end] for code in self.languages]
        skip = window.start - first * n
        return pairs[skip:skip + window.stop - window.start]


class ItemSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6
    i18n = True  # one <url> per language prefix

    def __init__(self):
        self._paths: dict[str, str] = {}

    @property
    def limit(self) -> int:
        return settings.SITEMAP_PAGE_SIZE * len(self._languages())

    @property
    def paginator(self) -> Paginator:
        return Paginator(_PerLanguage(self.items(), self._languages()), self.limit)

    def items(self):
        # Only ids and dates leave this query: a sitemap shows no titles or names.
        return (consent.visible_items("web").select_related(None)
                .order_by("-published_at", "-pk").only("pk", "updated_at", "published_at"))

    def location(self, item) -> str:
        # One reverse() per language, not per URL: a page holds tens of thousands of them.
        code = translation.get_language()
        if code not in self._paths:
            self._paths[code] = reverse("item-detail", kwargs={"item_id": _MARKER})
        return self._paths[code].replace(_MARKER, str(item.pk))

    def lastmod(self, item):
        return item.updated_at

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
    try:
        page = sitemap.paginator.page(request.GET.get("p", 1))
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404 from exc
    base = f"{request.scheme}://{get_current_site(request).domain}"
    paths = {}
    for code in sitemap._languages():
        with translation.override(code):
            paths[code] = escape(base + reverse("item-detail", kwargs={"item_id": _MARKER}))
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    tail = f"<changefreq>{sitemap.changefreq}</changefreq><priority>{sitemap.priority}</priority></url>"
    for item, code in page.object_list:
        lastmod = f"<lastmod>{item.updated_at:%Y-%m-%d}</lastmod>" if item.updated_at else ""
        parts.append(f"<url><loc>{paths[code].replace(_MARKER, str(item.pk))}</loc>{lastmod}{tail}")
    parts.append("</urlset>\n")
    return HttpResponse("\n".join(parts), content_type="application/xml")

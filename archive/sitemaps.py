"""The sitemap of public item pages: only items the consent policy allows on the web, now."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from archive import consent


class ItemSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6
    i18n = True  # one <url> per language prefix
    limit = 5000

    def items(self):
        # Only ids and dates leave this query: a sitemap shows no titles or names.
        return consent.visible_items("web").order_by("-published_at", "pk")

    def location(self, item) -> str:
        return reverse("item-detail", kwargs={"item_id": item.pk})

    def lastmod(self, item):
        return item.updated_at


sitemaps = {"items": ItemSitemap}

"""URL wiring. Public pages live under a language prefix; /api/, /iiif/ and media do not."""

import os

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import index as sitemap_index_view
from django.http import Http404
from django.templatetags.static import static
from django.urls import include, path, re_path, reverse_lazy
from django.views.generic import RedirectView, TemplateView
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView

from archive.feeds import LatestItemsAtomFeed, LatestItemsFeed
from archive.sitemaps import sitemap_page
from archive.sitemaps import sitemaps as item_sitemaps
from exhibitions.kit.views import share_card
from media_pipeline import publication
from memorial import health, observability
from memorial.http_files import public_file

urlpatterns = [
    # Operations (memorial/health.py, memorial/observability.py): JSON, never cached, no record data.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", observability.metrics, name="metrics"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI over that schema (self-hosted; templates/api/docs.html, static/js/api-docs.js).
    path("api/docs/", TemplateView.as_view(template_name="api/docs.html", extra_context={"schema_url": reverse_lazy("api-schema")}),
         name="api-docs"),
    path("api/search/", include("archive.search.api_urls")),
    path("api/", include("archive.api.urls")),
    path("iiif/", include("exhibitions.iiif.urls")),
    path("cards/<str:kind>/<slug:slug>/<str:lang>.jpg", share_card, name="share-card"),
    path("oai/", include("exhibitions.oai.urls")),  # OAI-PMH 2.0 (docs/interoperability.md)
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("account/two-factor/", include("memorial.auth")),  # TOTP set-up and verification for staff
    # Browsers and crawlers ask for /favicon.ico whatever the page links; the icons live in static/icons.
    path("favicon.ico", RedirectView.as_view(url=static("icons/favicon.ico"), permanent=True)),
    # An index of paginated sitemaps: none grows past SITEMAP_PAGE_SIZE items, whatever the archive's size.
    path("sitemap.xml", sitemap_index_view, {"sitemaps": item_sitemaps, "sitemap_url_name": "sitemap-section"},
         name="sitemap"),
    path("sitemap-<section>.xml", sitemap_page, name="sitemap-section"),
]

urlpatterns += i18n_patterns(
    path("account/", include("memorial.accounts")),  # sign-in, sign-out, recovery codes (staff)
    path("curator/exhibitions/", include("exhibitions.curator_urls")),
    path("curator/research/", include("archive.research.urls")),
    path("curator/", include("archive.curator.urls")),
    path("search/", include("archive.search.urls")),
    path("feeds/items/", LatestItemsFeed(), name="feed-items"),
    path("feeds/items.atom", LatestItemsAtomFeed(), name="feed-items-atom"),
    path("", include("archive.urls")),
    path("", include("exhibitions.urls")),
    path("", include("exhibitions.kit.urls")),
    prefix_default_language=True,
)



def serve_public_media(request, path):
    # Normally answered by memorial.fastpath before Django; this serves what it leaves (a 404 for
    # anything missing, outside the folder or closed) and the test client. Read at request time,
    # with the asset's published state, so a consent change is seen the moment it commits.
    root = os.path.realpath(settings.STORAGES["public"]["OPTIONS"]["location"])
    if public_file(root, path) is None or not publication.readable(path):
        raise Http404
    return serve(request, path, document_root=root)


if settings.SERVE_PUBLIC_MEDIA:
    # Embedded mode: Django serves the public folder. Only public storage is ever served;
    # private storage (masters, quarantine) has no URL at all.
    urlpatterns += [re_path(r"^{}(?P<path>.*)$".format(settings.MEDIA_PUBLIC_URL.lstrip("/")), serve_public_media)]

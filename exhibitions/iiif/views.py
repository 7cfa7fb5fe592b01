"""IIIF endpoints. Thin: visibility is checked at read time, then builders (through the cache) answer."""

from __future__ import annotations

import functools
import uuid

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from archive import consent
from archive.models import Item
from exhibitions import selectors
from exhibitions.iiif import builders, cache, changes, collections, http, search
from exhibitions.models import Exhibition


def endpoint(view):
    """A public IIIF endpoint: GET and HEAD, and the CORS preflight answered here for all of them."""

    @require_http_methods(["GET", "HEAD", "OPTIONS"])
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "OPTIONS":
            return http.preflight()
        return view(request, *args, **kwargs)

    return wrapper


def _item(item_id: str, full: bool = True) -> Item | None:
    """The item with what a manifest needs (full) or just what the policy needs (the cache check)."""
    try:
        pk = uuid.UUID(str(item_id))
    except ValueError:
        return None
    qs = Item.objects.select_related("current_consent")
    if full:
        qs = qs.select_related("event", "contributor").prefetch_related("subjects", "media__asset")
    return qs.filter(pk=pk).first()


@endpoint
def manifest(request: HttpRequest, item_id) -> HttpResponse:
    now = timezone.now()
    item = _item(item_id, full=False)
    # Read-time policy first: a withdrawn item is a 404 even if a cached manifest exists.
    if item is None or not consent.allows(item, "iiif", now):
        return http.not_found()
    def build():
        full = _item(item_id)  # with event, subjects and media: only on a cache miss
        return builders.build_manifest(full, now) if full is not None else None

    doc = cache.cached("manifest", cache.item_version(item, now), build)
    return http.not_found() if doc is None else http.document_response(request, doc)


@endpoint
def content_search(request: HttpRequest, item_id) -> HttpResponse:
    item = _item(item_id)
    if item is None or not consent.allows(item, "iiif"):
        return http.not_found()
    page = search.search_transcripts(item, request.GET.get("q", ""), request.GET)
    if page is None:
        return http.not_found()
    response = http.document_response(request, cache.serialise(page), http.SEARCH)
    response["Cache-Control"] = "public, max-age=60"
    return response


@endpoint
def exhibition_collection(request: HttpRequest, slug: str) -> HttpResponse:
    now = timezone.now()
    try:
        exhibition = selectors.live_exhibitions(now).get(slug=slug)
    except Exhibition.DoesNotExist:
        return http.not_found()
    doc = cache.cached("exhibition", selectors.entries_version(exhibition, now),
                       lambda: collections.build_exhibition_collection(exhibition, now))
    return http.document_response(request, doc)


@endpoint
def items_collection(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    doc = cache.cached("items", selectors.iiif_items_version(now), lambda: collections.build_items_collection(now))
    return http.document_response(request, doc)


@endpoint
def items_page(request: HttpRequest, page: int) -> HttpResponse:
    now = timezone.now()
    version = (page, collections.items_page_size(), *selectors.iiif_items_version(now))
    doc = cache.cached("items-page", version, lambda: collections.build_items_page(page, now))
    return http.not_found() if doc is None else http.document_response(request, doc)


@endpoint
def top_collection(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    doc = cache.cached("top", selectors.live_exhibitions_version(now), lambda: collections.build_top_collection(now))
    return http.document_response(request, doc)


@endpoint
def activity_collection(request: HttpRequest) -> HttpResponse:
    return http.document_response(request, cache.serialise(changes.build_collection()), http.DISCOVERY)


@endpoint
def activity_page(request: HttpRequest) -> HttpResponse:
    doc = changes.build_page(after=request.GET.get("after"), before=request.GET.get("before"))
    return http.not_found() if doc is None else http.document_response(request, cache.serialise(doc), http.DISCOVERY)


@endpoint
def activity_last(request: HttpRequest) -> HttpResponse:
    return http.document_response(request, cache.serialise(changes.build_page(last=True)), http.DISCOVERY)


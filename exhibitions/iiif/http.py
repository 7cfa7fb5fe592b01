"""HTTP for IIIF documents: CORS open, ETag, Cache-Control, and 404 (never 403) for what is not public."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified

from exhibitions.iiif.cache import Document

PRESENTATION = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'
SEARCH = 'application/ld+json;profile="http://iiif.io/api/search/2/context.json"'
DISCOVERY = 'application/ld+json;profile="https://iiif.io/api/discovery/1/context.json"'
# Short: a withdrawal must stop being served by shared caches quickly.
CACHE_CONTROL = "public, max-age=60, must-revalidate"


def cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Allow-Headers"] = "Accept, If-None-Match"
    response["Access-Control-Expose-Headers"] = "ETag"
    return response


def document_response(request: HttpRequest, doc: Document, content_type: str = PRESENTATION) -> HttpResponse:
    match = request.headers.get("If-None-Match", "")
    if doc.etag in {t.strip() for t in match.split(",")} or match.strip() == "*":
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(doc.body, content_type=content_type)
    response["ETag"] = doc.etag
    response["Cache-Control"] = CACHE_CONTROL
    response["Vary"] = "Accept"
    return cors(response)


def not_found() -> HttpResponse:
    """The same answer for 'does not exist' and 'not allowed': existence is not revealed."""
    response = HttpResponse(b'{"error":"Not found"}', status=404, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return cors(response)


def preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Access-Control-Max-Age"] = "86400"
    return cors(response)

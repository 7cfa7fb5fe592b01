"""Thin views over archive.search.selectors: the search page and GET /api/search/."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from archive.api.links import manifest_links
from archive.search import labels, selectors
from archive.search.base import FACETS, SORTS, SearchQuery, SearchResults
from archive.search.serializers import SearchOut, SearchUnavailableOut

# Marked for the catalogues (gettext_noop), translated when shown: the outage message was left
# out of every catalogue while it was a plain string, so it showed in English everywhere.
UNAVAILABLE = gettext_noop(
    "Search is unavailable right now. The archive is still here: please try again in a few minutes.")
TIMED_OUT = gettext_noop(
    "This search took too long to answer. Please try other or fewer words, or a phrase without quotation marks.")


def _unavailable(results: SearchResults) -> str:
    if not results.unavailable:
        return ""
    return _(TIMED_OUT) if results.timed_out else _(UNAVAILABLE)


def query_from_request(request: HttpRequest) -> SearchQuery:
    params = request.GET
    page = params.get("page", "1")
    size = params.get("page_size", "20")
    return SearchQuery(
        text=params.get("q", "")[:500],
        filters={f: params.getlist(f)[:20] for f in FACETS if params.getlist(f)},
        sort=params.get("sort", "relevance"),
        page=int(page) if page.isdigit() and len(page) < 6 else 1,
        page_size=int(size) if size.isdigit() and len(size) < 4 else 20,
        language=_language(),
    )


def _language() -> str:
    return get_language() or "en"


def _pick(language_map: dict, language: str) -> tuple[str, str]:
    return selectors._pick(language_map or {}, language)


def item_url(item_id: str) -> str | None:
    try:
        return reverse("item-detail", kwargs={"item_id": item_id})
    except NoReverseMatch:
        return None


def present(results: SearchResults, language: str) -> list[dict]:
    """Hits as the page and the API show them (only fields from the search projection)."""
    out = []
    for hit in results.hits:
        doc = hit.document
        title_lang, title = _pick(doc.get("title"), language)
        summary_lang, summary = _pick(doc.get("summary"), language)
        url = item_url(hit.id)
        out.append({
            "id": hit.id,
            "url": url,
            "kind": doc.get("kind"),
            "kind_label": _kind_label(doc.get("kind")),
            "title": title,
            "title_language": title_lang,
            "summary": summary,
            "summary_language": summary_lang,
            "name": doc.get("name") or "",
            "place": doc.get("place") or "",
            "country": doc.get("country") or "",
            "date": doc.get("date"),
            "date_text": doc.get("date_text") or "",
            "event": doc.get("event") or "",
            "event_name": _pick(doc.get("event_name"), language)[1],
            "content_warnings": doc.get("content_warnings") or [],
            "content_warning_labels": [labels.content_warning_label(k) for k in doc.get("content_warnings") or []],
            # The curator's own words for the date ("spring 2011") when given, else CLDR's long form.
            "date_display": doc.get("date_text") or labels.long_date(doc.get("date"), language),
            "has_transcript": bool(doc.get("has_transcript")),
            "thumbnail": doc.get("thumbnail"),
            "score": round(hit.score, 4),
            "highlights": hit.highlights,
            "transcript_hits": [
                {"start": t.start, "end": t.end, "text": t.text, "snippet": t.snippet,
                 "url": f"{url}#t={t.start:g}" if url else None}
                for t in hit.transcript_hits
            ],
        })
    return out


def facets_json(results: SearchResults) -> dict:
    return {name: [{"value": b.value, "label": b.label, "count": b.count, "selected": b.selected} for b in buckets]
            for name, buckets in results.facets.items()}


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    query = query_from_request(request)
    language = _language()
    results = selectors.search(query, language=language)
    pages = max(1, -(-results.total // query.page_size))
    base = request.GET.copy()
    base.pop("page", None)
    context = {
        "query": query,
        "results": results,
        "hits": present(results, language),
        "facets": [(name, _facet_title(name), buckets) for name, buckets in results.facets.items() if buckets],
        "sorts": [("relevance", _("Relevance")), ("newest", _("Newest first")), ("oldest", _("Oldest first"))],
        "unavailable_message": _unavailable(results),
        "page": query.page,
        "pages": pages,
        "base_query": base.urlencode(),
        "chips": chips(request, results),
        "clear_all_url": _url_without(request, lambda name, value: name in FACETS),
    }
    response = render(request, "search/search.html", context)
    if results.unavailable:
        # A degraded answer must not be kept by any cache (memorial/pagecache.py honours this).
        response["Cache-Control"] = "no-store"
    return response


def _url_without(request: HttpRequest, drop) -> str:
    """This search's address without the parameters `drop(name, value)` names, back on page 1."""
    kept = [(name, value) for name, values in request.GET.lists() for value in values
            if name != "page" and not drop(name, value)]
    query = QueryDict(mutable=True)
    for name, value in kept:
        query.appendlist(name, value)
    return "?" + query.urlencode() if kept else request.path


def chips(request: HttpRequest, results: SearchResults) -> list[dict]:
    """One chip per chosen filter value: its facet, its label and the address without it."""
    query = results.query
    if query is None:
        return []
    out = []
    for name, values in query.filters.items():
        known = {b.value: b.label for b in results.facets.get(name, [])}
        for value in values:
            if value == "~none~":
                continue
            out.append({
                "facet": _facet_title(name), "label": known.get(value) or value,
                "remove_url": _url_without(request, lambda n, v, name=name, value=value: n == name and v == value),
            })
    return out


def _facet_title(name: str) -> str:
    return {
        "kind": _("Kind"), "event": _("Event"), "country": _("Country"), "decade": _("Decade"),
        "year": _("Year"), "language": _("Language"), "exhibition": _("Exhibition"),
        "has_transcript": _("Has a transcript"), "content_warning": _("Content warning"),
    }[name]


_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Free text; \"quoted phrases\"; the last word matches as a prefix."),
    OpenApiParameter("sort", OpenApiTypes.STR, enum=list(SORTS)),
    OpenApiParameter("page", OpenApiTypes.INT),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="1 to 50."),
    *[OpenApiParameter(f, OpenApiTypes.STR, many=True, description=f"Filter on the {f} facet.") for f in FACETS],
]


@extend_schema(parameters=_PARAMETERS, responses={200: SearchOut, 503: SearchUnavailableOut},
               description="Search what consent allows on the search surface, with facet counts. Each result "
                           "links its IIIF manifest where consent shares the item over IIIF.")
@api_view(["GET"])
@permission_classes([AllowAny])
def search_api(request) -> Response:
    query = query_from_request(request)
    language = _language()
    results = selectors.search(query, language=language)
    if results.unavailable:
        return Response({"detail": _unavailable(results), "unavailable": True}, status=503)
    return Response({
        "query": query.text,
        "total": results.total,
        "took_ms": round(results.took_ms, 2),
        "page": query.page,
        "page_size": query.page_size,
        "backend": results.backend,
        "results": _with_manifests(present(results, language), request),
        "facets": facets_json(results),
        # Counts estimated from a sample of a large result set (SEARCH_FACET_SAMPLE).
        "facets_approximate": results.approximate,
    })


def _with_manifests(rows: list[dict], request) -> list[dict]:
    manifests = manifest_links([row["id"] for row in rows], request)
    return [{**row, "manifest": manifests.get(str(row["id"]))} for row in rows]





def _kind_label(kind: str | None) -> str:
    from archive.models import Item

    try:
        return str(Item.Kind(kind).label)
    except ValueError:
        return kind or ""

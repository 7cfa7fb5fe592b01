"""Render every public surface that exists for one item, as a visitor would reach it.

Renderers are discovered by URL name (and skipped only when that URL is not wired at all), so
each surface joins the consent tests the moment its engineer wires it. Every renderer returns
{label: text}; a 5xx answer fails the test at once.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from tests import wsgi

_FAST = []


def _fast_app():
    """One fast-path application for the whole run, so that its copies outlive a request."""
    if not _FAST:
        from django.core.handlers.wsgi import WSGIHandler

        from memorial.fastpath import FastPath

        _FAST.append(FastPath(WSGIHandler()))
    return _FAST[0]


def prime_fast_path(item_id) -> None:
    """Ask the fast path for the item's documents now, so that later renders could replay these
    copies if it ever replayed across a consent change (the property test calls it after every
    consent version)."""
    for url in (_url("iiif:manifest", item_id=str(item_id)), _url("iiif:items_collection"),
                _url("iiif:items_page", page=1), _url("iiif:top_collection")):
        if url:
            assert wsgi.call(_fast_app(), url).status < 500, url


def _url(name: str, **kwargs) -> str | None:
    with translation.override("en"):
        try:
            return reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            return None


def _get(client, url: str) -> str:
    response = client.get(url, HTTP_ACCEPT="text/html,application/json;q=0.9,*/*;q=0.8")
    assert response.status_code < 500, f"{url} answered {response.status_code}"
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def web(client, item_id, marker: str) -> dict[str, str]:
    pages = {
        "api item": f"/api/items/{item_id}/",
        "api list": "/api/items/?limit=1000",
        "sitemap index": _url("sitemap"),
        "sitemap": _url("sitemap-section", section="items"),  # the one page a test's few items fill
        "feed": _url("feed-items"),
        "atom feed": _url("feed-items-atom"),
        "item page": _url("item-detail", item_id=item_id),
    }
    out = {label: _get(client, url) for label, url in pages.items() if url}
    return _with_linked_data(out, "item page")


def _with_linked_data(out: dict[str, str], label: str) -> dict[str, str]:
    """The page's Schema.org JSON-LD blocks as their own rendering, parsed as a consumer reads them."""
    if label in out:
        from tests.site.linked_data import blocks

        out[f"{label} JSON-LD"] = json.dumps([data for data, _nonce in blocks(out[label].encode())],
                                             ensure_ascii=False)
    return out


def oai(client) -> dict[str, str]:
    """Everything an OAI-PMH harvester gets, in both formats (the iiif scope governs it)."""
    url = _url("oai:endpoint")
    if not url:
        return {}
    return {f"OAI-PMH {prefix}": _get(client, f"{url}?verb=ListRecords&metadataPrefix={prefix}")
            for prefix in ("oai_dc", "memories")}


def search(client, item_id, marker: str) -> dict[str, str]:
    pages = {"search api": f"{_url('api-search')}?q={marker}" if _url("api-search") else None,
             "search page": f"{_url('search')}?q={marker}" if _url("search") else None}
    return {label: _get(client, url) for label, url in pages.items() if url}


def iiif(client, item_id, marker: str, exhibition_slug: str | None = None) -> dict[str, str]:
    pages = {
        "manifest": _url("iiif:manifest", item_id=str(item_id)),
        "content search": (_url("iiif:content_search", item_id=str(item_id)) or "") + f"?q={marker}",
        "items collection": _url("iiif:items_collection"),
        "items collection page": _url("iiif:items_page", page=1),
        "top collection": _url("iiif:top_collection"),
        "exhibition collection": _url("iiif:exhibition_collection", slug=exhibition_slug) if exhibition_slug else None,
    }
    out = {label: _get(client, url) for label, url in pages.items() if url and not url.startswith("?")}
    out.update(oai(client))
    # The same documents as a server answers them: through memorial/fastpath.py, whose copies
    # persist across the steps of a history (each asked twice: the second answer may be a replay).
    for label in ("manifest", "items collection", "items collection page", "top collection", "exhibition collection"):
        url = pages.get(label)
        if url:
            for attempt in (1, 2):
                answer = wsgi.call(_fast_app(), url)
                assert answer.status < 500, f"{url} answered {answer.status} through the fast path"
                out[f"{label} (fast path, {attempt})"] = answer.text
    activity = _url("iiif:activity_collection")
    if activity:
        collection = _get(client, activity)
        out["change stream"] = collection
        try:
            last = json.loads(collection).get("last", {}).get("id", "")
        except ValueError:
            last = ""
        if last:
            out["change stream last page"] = _get(client, last.replace(settings.SITE_URL, ""))
    return out


def exhibition(client, item_id, marker: str, exhibition_slug: str | None = None) -> dict[str, str]:
    pages = {"exhibition page": _url("exhibition-detail", slug=exhibition_slug) if exhibition_slug else None,
             "exhibition list": _url("exhibition-list"), "home": _url("home")}
    return _with_linked_data({label: _get(client, url) for label, url in pages.items() if url}, "exhibition page")


def memorial_wall(client, item_id, marker: str, day_slug: str | None = None) -> dict[str, str]:
    url = _url("remembrance-day", slug=day_slug) if day_slug else None
    return _with_linked_data({"remembrance day": _get(client, url)}, "remembrance day") if url else {}

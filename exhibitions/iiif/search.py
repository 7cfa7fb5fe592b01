"""IIIF Content Search 2.0 over a testimony's transcript cues.

Only transcripts the consent allows on `iiif` are searched (via the public projection), and
each hit is an annotation targeting the recording's canvas with a `#t=start,end` fragment.
"""

from __future__ import annotations

import itertools
from datetime import datetime

from archive.models import Item, ItemMedia
from archive.projection import PublicItem, public_projection
from exhibitions.iiif.builders import manifest_id, search_service_id
from exhibitions.iiif.common import encode_for_viewers, media_urls

SEARCH_CONTEXT = "http://iiif.io/api/search/2/context.json"
MAX_HITS = 200
UNSUPPORTED = ("motivation", "date", "user")


def _searchable_transcripts(pub: PublicItem):
    """The public transcripts of recordings the item also shows publicly."""
    allowed = {m.pk for m in pub.media}
    for media in pub.media:
        if media.role != ItemMedia.Role.TRANSCRIPT or media.transcribes_id not in allowed:
            continue
        if media_urls(media.asset):  # unpublished transcript: nothing public to point at
            yield media


def _matching_cues(media: ItemMedia, terms: list[str]):
    """(index, cue, text) for each cue holding every term (all terms, in any order)."""
    if not terms:
        return
    for n, cue in enumerate(media.asset.cues or []):
        text = str(cue.get("text", ""))
        folded = text.casefold()
        if all(t in folded for t in terms):
            yield n, cue, text


def _hit(service: str, canvas: str, media: ItemMedia, n: int, cue: dict, text: str) -> dict:
    body = {"type": "TextualBody", "value": text, "format": "text/plain"}
    if media.language:
        body["language"] = media.language
    return {
        "id": f"{service}/annotation/{media.pk}-{n}",
        "type": "Annotation",
        "motivation": "supplementing",
        "body": body,
        "target": f"{canvas}#t={float(cue['start']):g},{float(cue['end']):g}",
    }


def _hits(item: Item, pub: PublicItem, terms: list[str]) -> list[dict]:
    base = manifest_id(item.pk)
    service = search_service_id(item.pk)
    found = (
        _hit(service, f"{base}/canvas/{media.transcribes_id}", media, n, cue, text)
        for media in _searchable_transcripts(pub) for n, cue, text in _matching_cues(media, terms)
    )
    return list(itertools.islice(found, MAX_HITS))  # the cap holds across every transcript


def search_transcripts(item: Item, q: str, params: dict | None = None, at: datetime | None = None) -> dict | None:
    """The AnnotationPage answering `q`, or None where the item is not public on IIIF."""
    pub = public_projection(item, "iiif", at)
    if pub is None:
        return None
    params = params or {}
    terms = [t.casefold() for t in (q or "").split() if t.strip()]
    query = "&".join(f"{k}={v}" for k, v in (("q", q),) if v)
    page = {
        "@context": SEARCH_CONTEXT,
        "id": search_service_id(item.pk) + (f"?{query}" if query else ""),
        "type": "AnnotationPage",
        "items": _hits(item, pub, terms),
    }
    ignored = [p for p in UNSUPPORTED if params.get(p)]
    if ignored:
        page["ignored"] = ignored
    return encode_for_viewers(page)

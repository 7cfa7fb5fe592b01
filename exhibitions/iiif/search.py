"""IIIF Content Search 2.0 over a testimony's transcript cues.

Only transcripts the consent allows on `iiif` are searched (via the public projection), and
each hit is an annotation targeting the recording's canvas with a `#t=start,end` fragment.
"""

from __future__ import annotations

from datetime import datetime

from archive.models import Item, ItemMedia
from archive.projection import public_projection
from exhibitions.iiif.builders import manifest_id, search_service_id
from exhibitions.iiif.common import encode_for_viewers, media_urls

SEARCH_CONTEXT = "http://iiif.io/api/search/2/context.json"
MAX_HITS = 200
UNSUPPORTED = ("motivation", "date", "user")


def search_transcripts(item: Item, q: str, params: dict | None = None, at: datetime | None = None) -> dict | None:
    """The AnnotationPage answering `q`, or None where the item is not public on IIIF."""
    pub = public_projection(item, "iiif", at)
    if pub is None:
        return None
    params = params or {}
    terms = [t.casefold() for t in (q or "").split() if t.strip()]
    base = manifest_id(item.pk)
    allowed = {m.pk: m for m in pub.media}
    hits = []
    for media in pub.media:
        if media.role != ItemMedia.Role.TRANSCRIPT or media.transcribes_id not in allowed:
            continue
        if not media_urls(media.asset):  # unpublished transcript: nothing public to point at
            continue
        canvas = f"{base}/canvas/{media.transcribes_id}"
        for n, cue in enumerate(media.asset.cues or []):
            text = str(cue.get("text", ""))
            folded = text.casefold()
            if not terms or not all(t in folded for t in terms):
                continue
            body = {"type": "TextualBody", "value": text, "format": "text/plain"}
            if media.language:
                body["language"] = media.language
            hits.append({
                "id": f"{search_service_id(item.pk)}/annotation/{media.pk}-{n}",
                "type": "Annotation",
                "motivation": "supplementing",
                "body": body,
                "target": f"{canvas}#t={float(cue['start']):g},{float(cue['end']):g}",
            })
            if len(hits) >= MAX_HITS:
                break
    query = "&".join(f"{k}={v}" for k, v in (("q", q),) if v)
    page = {
        "@context": SEARCH_CONTEXT,
        "id": search_service_id(item.pk) + (f"?{query}" if query else ""),
        "type": "AnnotationPage",
        "items": hits,
    }
    ignored = [p for p in UNSUPPORTED if params.get(p)]
    if ignored:
        page["ignored"] = ignored
    return encode_for_viewers(page)

"""Schema.org JSON-LD for public pages, built only from what the page itself may show.

The item's data comes from its public page (archive.selectors.item_page, the `web` projection), so
nothing the policy hides can be in it; the name is the consent's display form (consent.name_for_display,
as on the page). Other floors add properties through the surface registry (`Surface.linked_data`):
the exhibitions the item is part of, its IIIF manifest.

`script()` writes the block: JSON with `<`, `>` and `&` escaped, so that user text containing
`</script>` cannot end it, and the CSP nonce, so that no policy change is needed.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from django.utils.html import format_html
from django.utils.safestring import SafeString

from archive import surfaces
from archive.i18n import pick

CONTEXT = "https://schema.org"
_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
            0x2028: "\\u2028", 0x2029: "\\u2029"}


def script(data: dict, nonce: str = "") -> SafeString:
    """The <script type="application/ld+json"> block for `data`."""
    body = json.dumps(data, ensure_ascii=False, default=_default).translate(_ESCAPES)
    return format_html('<script type="application/ld+json" nonce="{}">{}</script>', nonce, SafeString(body))


def _default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON-LD: {type(value).__name__}")


def _duration(seconds: float | None) -> str | None:
    return f"PT{round(seconds)}S" if seconds else None


def _type(page) -> str:
    kinds = {m.kind for m in page.recordings}
    if "video" in kinds:
        return "VideoObject"
    if "audio" in kinds:
        return "AudioObject"
    if page.item.kind == "photograph" and page.photos:
        return "Photograph"
    return "CreativeWork"


def _transcript(page) -> str:
    return "\n".join(str(cue.get("text", "")) for t in page.transcripts for cue in t.cues if cue.get("text"))


def item_data(page, request) -> dict:
    """The item page's JSON-LD: CreativeWork, Photograph, AudioObject or VideoObject."""
    item = page.item
    url = request.build_absolute_uri(request.path)
    data: dict = {
        "@context": CONTEXT, "@type": _type(page), "@id": url, "url": url,
        "name": page.title.text, "inLanguage": item.original_language,
    }
    if page.summary.text:
        data["description"] = page.summary.text
    if item.name:
        data["creator"] = {"@type": "Person", "name": item.name}
    if item.date_start:
        data["dateCreated"] = item.date_start
    if item.published_at:
        data["datePublished"] = item.published_at.date()
    if item.rights:
        data["license"] = item.rights
    if item.place:
        data["contentLocation"] = {"@type": "Place", "name": item.place}
    if item.event:
        data["about"] = {"@type": "Event", "name": pick(item.event["name"]).text}
    keywords = [pick(s["label"]).text for s in item.subjects if pick(s["label"]).text]
    if keywords:
        data["keywords"] = keywords
    if page.photos:
        data["image"] = [request.build_absolute_uri(p.urls.get("web") or next(iter(p.urls.values())))
                         for p in page.photos]
    recording = page.recordings[0] if page.recordings else None
    if recording:
        data["contentUrl"] = request.build_absolute_uri(next(iter(recording.urls.values())))
        if _duration(recording.duration):
            data["duration"] = _duration(recording.duration)
    if _transcript(page):
        data["transcript"] = _transcript(page)
    surfaces.registry.linked_data(page, request, data)
    return data


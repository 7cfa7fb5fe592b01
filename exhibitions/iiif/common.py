"""Shared helpers for IIIF documents: absolute ids, language maps, media URLs from the pipeline."""

from __future__ import annotations

import html
import mimetypes
import re
from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from media_pipeline import services as media_services

LANG_KEY = re.compile(r"^[a-zA-Z-]+$")
PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"

mimetypes.add_type("text/vtt", ".vtt")
mimetypes.add_type("audio/mp4", ".m4a")
mimetypes.add_type("image/webp", ".webp")


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def absolute(url: str) -> str:
    """IIIF ids must be absolute http(s) URIs; the pipeline may hand out site-relative URLs."""
    if url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return "https:" + url
    return site_url() + ("" if url.startswith("/") else "/") + url


def iiif_url(name: str, **kwargs) -> str:
    return site_url() + reverse(f"iiif:{name}", kwargs=kwargs)


def lang_map(values: dict | None) -> dict[str, list[str]]:
    """A stored language map ({"en": "..."}) as IIIF wants it ({"en": ["..."]}), empties dropped.

    Keys that are not plain BCP 47 letters-and-hyphens go under "none" rather than break the
    document.
    """
    out: dict[str, list[str]] = {}
    for key, value in (values or {}).items():
        texts = [str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v]
        if not texts:
            continue
        out.setdefault(key if LANG_KEY.match(key or "") else "none", []).extend(texts)
    return out


def as_text(value: str) -> str:
    """A value for a IIIF property that viewers may render as HTML, shown as the characters typed.

    Mirador renders summary, metadata and requiredStatement values, annotation bodies and search
    hits as (sanitised) HTML whatever their first character; the specification (Presentation 3
    §4.4) treats a value as HTML only if it starts with "<" and ends with ">". Escaped text inside
    a <span> is the one form both read as text: no contributor tag ever becomes an element.
    """
    if not any(c in value for c in "<>&"):
        return value
    return f"<span>{html.escape(value, quote=False)}</span>"


def _encode_map(values) -> None:
    if isinstance(values, dict):
        for texts in values.values():
            if isinstance(texts, list):
                texts[:] = [as_text(v) if isinstance(v, str) else v for v in texts]


def encode_for_viewers(doc):
    """Encodes, in place, every value of the document a viewer may read as HTML (see as_text).

    Labels stay as they are: they are plain text in the specification and in Mirador.
    """
    if isinstance(doc, list):
        for v in doc:
            encode_for_viewers(v)
        return doc
    if not isinstance(doc, dict):
        return doc
    for value in doc.values():
        if isinstance(value, dict | list):
            encode_for_viewers(value)
    _encode_map(doc.get("summary"))
    for row in doc.get("metadata") or ():
        if isinstance(row, dict):
            _encode_map(row.get("value"))
    if isinstance(doc.get("requiredStatement"), dict):
        _encode_map(doc["requiredStatement"].get("value"))
    if doc.get("type") == "TextualBody" and isinstance(doc.get("value"), str):
        encoded = as_text(doc["value"])
        if encoded != doc["value"]:
            doc["value"], doc["format"] = encoded, "text/html"
    return doc


@lru_cache(maxsize=512)
def _ui(msgid: str) -> tuple[tuple[str, str], ...]:
    english = str(msgid)
    pairs = [("en", english)]
    for code, _name in settings.LANGUAGES:
        if code == "en":
            continue
        with translation.override(code):
            text = translation.gettext(msgid)
        if text != english:  # only languages that really have the text: no English under "ar"
            pairs.append((code, text))
    return tuple(pairs)


def ui(msgid: str) -> dict[str, list[str]]:
    """A UI string (an English msgid) as a language map in every language it is translated into."""
    return {code: [text] for code, text in _ui(msgid)}


def ui_format(msgid: str, **values: str) -> dict[str, list[str]]:
    return {code: [text % values] for code, text in _ui(msgid)}


def media_urls(asset) -> dict[str, str]:
    """Public URLs of an asset's derivatives, absolute ({} while unpublished)."""
    return {name: absolute(url) for name, url in (media_services.public_urls(asset) or {}).items() if url}


def image_service(asset) -> str | None:
    sid = media_services.image_service_id(asset)
    return absolute(sid).rstrip("/") if sid else None


def media_format(url: str, default: str) -> str:
    guessed, _ = mimetypes.guess_type(url.split("?", 1)[0])
    return guessed or default


def item_page_url(item_id, lang: str = "en") -> str:
    """The item's public page (a route of the archive app, "item-detail")."""
    with translation.override(lang):
        try:
            return site_url() + reverse("item-detail", args=[item_id])
        except NoReverseMatch:  # the public site not routed (yet): the conventional path
            return f"{site_url()}/{lang}/items/{item_id}/"


def page_url(name: str, lang: str = "en", **kwargs) -> str:
    with translation.override(lang):
        return site_url() + reverse(name, kwargs=kwargs)


def provider() -> list[dict]:
    home = site_url() + "/"
    return [{
        "id": home,
        "type": "Agent",
        "label": {"en": [settings.SITE_NAME]},
        "homepage": [{"id": home, "type": "Text", "label": {"en": [settings.SITE_NAME]}, "format": "text/html"}],
    }]


def rights_uri(uri: str) -> str | None:
    """The rights URI in the form IIIF requires (http, rightsstatements.org or Creative Commons),
    or None when the item's rights are something else (then they go in metadata only)."""
    uri = (uri or "").strip()
    for host in ("creativecommons.org/licenses/", "creativecommons.org/publicdomain/", "rightsstatements.org/vocab/"):
        for scheme in ("http://", "https://"):
            if uri.startswith(scheme + host):
                return "http://" + uri[len(scheme):]
    return None


def _fix_dates(obj):
    # As iiif-prezi3's own json(): ISO dates in UTC end in "Z".
    if isinstance(obj, dict):
        return {k: _fix_dates(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_fix_dates(v) for v in obj]
    if isinstance(obj, str) and obj.endswith("+00:00") and "T" in obj:
        return obj[:-6] + "Z"
    return obj


def dump(resource) -> dict:
    """The resource as plain JSON data with the Presentation 3 context (prezi3's jsonld_dict keeps
    pydantic URL objects; this is its json() without the string round trip)."""
    data = resource.model_dump(exclude_none=True, by_alias=True, mode="json")
    return {"@context": PRESENTATION_CONTEXT, **encode_for_viewers(_fix_dates(data))}

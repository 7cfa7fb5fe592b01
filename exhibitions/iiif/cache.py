"""Caching of serialised IIIF documents.

The key is a fingerprint of everything a document depends on (see selectors.entries_version and
item_version below), including the next moment at which an embargo, expiry or publication
window changes the answer, and the shared generation token (archive/generation.py) that any
committed write to the record changes in every process. Callers check visibility at read time
*before* looking in the cache, so a withdrawn item or a closed exhibition is never served from it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import Max

from archive import consent
from archive import generation as shared
from archive.models import Item
from exhibitions.iiif.common import site_url

TIMEOUT = 60 * 60


@dataclass(frozen=True)
class Document:
    body: bytes
    etag: str


_JSON_ESCAPES = [(c, f"\\u{ord(c):04x}") for c in "<>&\u2028\u2029"]


def serialise(doc: dict) -> Document:
    # "<", ">", "&", U+2028 and U+2029 as \u escapes (as json_script does): the same JSON,
    # and no byte of a contributor's markup even if the document is ever read as HTML.
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _JSON_ESCAPES:
        if char in text:
            text = text.replace(char, escaped)
    body = text.encode()
    return Document(body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')


def cached(kind: str, version: tuple, build: Callable[[], dict | None]) -> Document | None:
    # The shared generation token (archive/generation.py) changes with every committed write to the
    # record in any process: edits the version tuple does not see (a caption, a removed media) still
    # miss the cache.
    raw = repr((kind, site_url(), shared.current_token(), version)).encode()
    key = "iiif:doc:" + hashlib.sha256(raw).hexdigest()
    hit = cache.get(key)
    if hit is not None:
        return hit
    doc = build()
    if doc is None:
        return None
    out = serialise(doc)
    cache.set(key, out, TIMEOUT)
    return out


def item_version(item: Item, at: datetime) -> tuple:
    upcoming = consent.next_boundary(item.current_consent, at)
    asset = item.media.aggregate(m=Max("asset__updated_at"), n=Max("id"))
    return (
        str(item.pk), item.updated_at.isoformat(), item.current_consent_id,
        asset["m"].isoformat() if asset["m"] else None, asset["n"],
        upcoming.isoformat() if upcoming else None,
    )

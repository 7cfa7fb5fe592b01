"""Reading a page's Schema.org JSON-LD as a consumer would: the blocks parsed from the HTML, then
processed with pyld (JSON-LD 1.1). schema.org's context is fetched by nobody here: a document
loader answers it with the vocabulary mapping it makes (`@vocab`), so expansion runs offline."""

from __future__ import annotations

import json

from lxml import html
from pyld import jsonld

SCHEMA = "https://schema.org/"


def _loader(url, options=None):
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": {"@context": {"@vocab": SCHEMA}}}
    raise jsonld.JsonLdError(f"no network in tests: {url}", "jsonld.LoadDocumentError", code="loading document failed")


def blocks(content: bytes) -> list[tuple[dict, str]]:
    """(data, nonce) of each <script type="application/ld+json"> in a page."""
    tree = html.fromstring(content)
    return [(json.loads(s.text), s.get("nonce", "")) for s in tree.xpath('//script[@type="application/ld+json"]')]


def expand(data: dict) -> list[dict]:
    return jsonld.expand(data, {"documentLoader": _loader})


def value(node: dict, prop: str):
    """The first value of a schema.org property in an expanded node."""
    found = node.get(SCHEMA + prop) or []
    if not found:
        return None
    first = found[0]
    return first.get("@value", first.get("@id", first))


def values(node: dict, prop: str) -> list:
    return [v.get("@value", v.get("@id", v)) for v in node.get(SCHEMA + prop) or []]

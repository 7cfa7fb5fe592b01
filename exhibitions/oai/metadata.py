"""The metadata formats: `oai_dc` (simple Dublin Core, one element per language with xml:lang) and
`memories` (this archive's record: language maps, the item's pages, its IIIF manifest and image
services, its exhibitions). Both are built from the public projection for the `iiif` surface, so
they hold nothing the policy does not share there; names as consent displays them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime

from django.conf import settings

from archive import consent
from archive.models import Item
from archive.projection import PublicItem, public_projection
from exhibitions.iiif.common import iiif_url, image_service, item_page_url, site_url

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MEMORIES = "urn:memories:oai:record:1"
SCHEMA_PATH = "/oai/schemas/memories-record-1.xsd"

# Characters XML 1.0 cannot carry at all (control characters, lone surrogates): a story pasted
# with them must not make the whole response unreadable to a harvester.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# DCMI Type Vocabulary terms for the kinds.
DCMI_TYPE = {Item.Kind.TESTIMONY: "Sound", Item.Kind.PHOTOGRAPH: "StillImage", Item.Kind.OBJECT_STORY: "Text"}


def text(value) -> str:
    return _NOT_XML.sub("", str(value))


def formats() -> dict[str, tuple[str, str]]:
    """prefix: (schema, namespace)."""
    return {
        "oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC),
        "memories": (site_url() + SCHEMA_PATH, MEMORIES),
    }


def _sub(parent, tag: str, value, lang: str | None = None, **attrs):
    el = ET.SubElement(parent, tag, {k: text(v) for k, v in attrs.items() if v})
    el.text = text(value)
    if lang:
        el.set(XML_LANG, text(lang))
    return el


_LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")


def _each_language(values: dict | None):
    """(language, text) of a language map; a key that is no language tag gives the text untagged."""
    for lang, value in sorted((values or {}).items(), key=lambda kv: str(kv[0])):
        if value:
            yield (lang if _LANGUAGE_TAG.match(str(lang)) else None), value


def _web_pages(item: Item, public: PublicItem, at: datetime) -> list[tuple[str, str]]:
    if not consent.allows(item, "web", at):
        return []
    return [(code, item_page_url(public.id, code)) for code, _name in settings.LANGUAGES]


def oai_dc(item: Item, at: datetime) -> ET.Element | None:
    public = public_projection(item, "iiif", at)
    if public is None:
        return None
    root = ET.Element(f"{{{OAI_DC}}}dc", {
        f"{{{XSI}}}schemaLocation": f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"})
    for lang, value in _each_language(public.title):
        _sub(root, f"{{{DC}}}title", value, lang)
    if public.name:
        _sub(root, f"{{{DC}}}creator", public.name)
    for subject in public.subjects:
        for lang, value in _each_language(subject["label"]):
            _sub(root, f"{{{DC}}}subject", value, lang)
    for lang, value in _each_language(public.summary):
        _sub(root, f"{{{DC}}}description", value, lang)
    _sub(root, f"{{{DC}}}publisher", settings.SITE_NAME)
    if public.date_start or public.date_text:
        _sub(root, f"{{{DC}}}date", public.date_start.isoformat() if public.date_start else public.date_text)
    _sub(root, f"{{{DC}}}type", DCMI_TYPE.get(public.kind, "Text"))
    _sub(root, f"{{{DC}}}identifier", iiif_url("manifest", item_id=public.id))
    pages = dict(_web_pages(item, public, at))
    if pages:  # one page for Dublin Core, in the item's own language; the richer format lists all
        _sub(root, f"{{{DC}}}identifier", pages.get(public.original_language) or pages["en"])
    _sub(root, f"{{{DC}}}language", public.original_language)
    if public.event:
        for lang, value in _each_language(public.event["name"]):
            _sub(root, f"{{{DC}}}relation", value, lang)
    for place in (public.place, public.country):
        if place:
            _sub(root, f"{{{DC}}}coverage", place)
    if public.rights:
        _sub(root, f"{{{DC}}}rights", public.rights)
    return root


def memories(item: Item, at: datetime, exhibitions: list[tuple[str, dict]]) -> ET.Element | None:
    public = public_projection(item, "iiif", at)
    if public is None:
        return None
    m = f"{{{MEMORIES}}}"
    root = ET.Element(f"{m}record", {f"{{{XSI}}}schemaLocation": f"{MEMORIES} {site_url()}{SCHEMA_PATH}"})
    _sub(root, f"{m}kind", public.kind)
    for lang, value in _each_language(public.title):
        _sub(root, f"{m}title", value, lang)
    for lang, value in _each_language(public.summary):
        _sub(root, f"{m}summary", value, lang)
    if public.name:
        _sub(root, f"{m}creator", public.name, relationship=public.relationship)
    if public.date_start or public.date_text:
        _sub(root, f"{m}date", public.date_text, start=public.date_start and public.date_start.isoformat(),
             end=public.date_end and public.date_end.isoformat())
    if public.place or public.country:
        _sub(root, f"{m}place", public.place, country=public.country)
    if public.event:
        event = ET.SubElement(root, f"{m}event", {"slug": text(public.event["slug"])})
        for lang, value in _each_language(public.event["name"]):
            _sub(event, f"{m}name", value, lang)
    for subject in public.subjects:
        node = ET.SubElement(root, f"{m}subject", {"slug": text(subject["slug"])})
        for lang, value in _each_language(subject["label"]):
            _sub(node, f"{m}label", value, lang)
    _sub(root, f"{m}language", public.original_language)
    _sub(root, f"{m}rights", public.rights)
    _sub(root, f"{m}manifest", iiif_url("manifest", item_id=public.id))
    for code, url in _web_pages(item, public, at):
        _sub(root, f"{m}page", url, code)
    for media in public.media:
        service = image_service(media.asset) if media.role == "photo" else None
        if service:
            _sub(root, f"{m}imageService", service)
    for slug, title in exhibitions:
        node = ET.SubElement(root, f"{m}exhibition", {"slug": text(slug)})
        for lang, value in _each_language(title):
            _sub(node, f"{m}title", value, lang)
    return root

"""IIIF Presentation 3 collections: an exhibition's, every item shared for IIIF, and the top one.

Each reference is to an item whose consent allows `iiif` (and, in an exhibition, `exhibition`
too), read through the exhibition selectors and the consent policy, as the manifests are.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch
from django.utils.translation import gettext_noop as N_
from iiif_prezi3 import Collection, CollectionRef, ManifestRef

from archive import consent, keyset
from archive.models import Item, ItemMedia
from exhibitions import selectors
from exhibitions.iiif.builders import manifest_id
from exhibitions.iiif.common import (
    absolute,
    dump,
    iiif_url,
    lang_map,
    media_format,
    media_urls,
    page_url,
    provider,
    ui,
    ui_format,
)
from exhibitions.models import Exhibition


def exhibition_collection_id(slug: str) -> str:
    return iiif_url("exhibition_collection", slug=slug)


def _manifest_ref(item: Item, at: datetime | None, manifest_url: str) -> ManifestRef:
    # Everything passed to the constructor: a prezi3 attribute set afterwards is validated again.
    fields = {"id": manifest_url, "type": "Manifest", "label": lang_map(item.title) or {"none": [str(item.pk)]}}
    for m in consent.allowed_media(item, "iiif", at):
        if m.role == ItemMedia.Role.TRANSCRIPT:
            continue
        urls = media_urls(m.asset)
        thumb = urls.get("thumb") or urls.get("poster")
        if thumb:
            fields["thumbnail"] = [{"id": thumb, "type": "Image", "format": media_format(thumb, "image/jpeg")}]
            break
    return ManifestRef(**fields)


def _manifest_urls():
    """item id -> manifest URL, reversing the route once rather than once per item."""
    marker = "00000000-0000-0000-0000-000000000000"
    template = manifest_id(marker)
    return lambda item_id: template.replace(marker, str(item_id))


def build_exhibition_collection(exhibition: Exhibition, at: datetime | None = None) -> dict:
    """A Collection of the exhibition's entries that consent allows both in an exhibition and on
    IIIF, in the curator's order. The caller checks the exhibition is live (or previewed)."""
    url_for = _manifest_urls()
    refs = [_manifest_ref(item, at, url_for(item.pk)) for item in selectors.collection_items(exhibition, at)]
    collection = Collection(
        id=exhibition_collection_id(exhibition.slug),
        label=lang_map(exhibition.title) or {"none": [exhibition.slug]},
        items=refs,
        provider=provider(),
        homepage=[{"id": page_url("exhibition-detail", slug=exhibition.slug), "type": "Text",
                   "label": lang_map(exhibition.title) or {"none": [exhibition.slug]}, "format": "text/html"}],
    )
    if lang_map(exhibition.summary):
        collection.summary = lang_map(exhibition.summary)
    if exhibition.publish_at:
        collection.navDate = exhibition.publish_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return dump(collection)


def items_page_size() -> int:
    from django.conf import settings

    return max(int(settings.IIIF_COLLECTION_PAGE_SIZE), 1)


def visible_iiif_items(at: datetime | None = None):
    return consent.visible_items("iiif", at)


def items_page_count(at: datetime | None = None) -> int:
    # Fixed ranges of the publication number (archive/keyset.py): one row read, at any size.
    return keyset.numbered_page_count(items_page_size())


def items_page_id(number: int) -> str:
    return iiif_url("items_page", page=number)


def build_items_collection(at: datetime | None = None) -> dict:
    """Every item whose consent allows IIIF, as a collection of pages: harvesters reach all
    manifests from the top, and no document grows with the archive (a page holds at most
    IIIF_COLLECTION_PAGE_SIZE references; the top one page reference per page)."""
    pages = items_page_count(at)
    # One reference made and checked by prezi3, the others copied from it with their number: at a
    # million items the top lists ~1,800 pages, and building each through prezi3 cost 120 ms cold.
    doc = dump(Collection(
        id=iiif_url("items_collection"),
        label=ui(N_("All items shared for IIIF")),
        items=[CollectionRef(id=items_page_id(1), type="Collection",
                             label=ui_format(N_("All items shared for IIIF, page %(number)s"), number=_MARK))],
        provider=provider(),
    ))
    ref = doc["items"][0]
    base = ref["id"].rsplit("/", 1)[0]
    doc["items"] = [{**ref, "id": f"{base}/{n}",
                     "label": {code: [t.replace(_MARK, str(n)) for t in texts] for code, texts in ref["label"].items()}}
                    for n in range(1, pages + 1)]
    return doc


_MARK = "\ue000"  # a private-use character: stands for the page number in the copied reference


def build_items_page(number: int, at: datetime | None = None) -> dict | None:
    """Page `number` (from 1) of the items collection; None past the last page."""
    if not 1 <= number <= items_page_count(at):
        return None
    # A reference needs the title and a thumbnail: the long texts stay in the database, and the
    # media come as plain lists (a Prefetch into the related manager copies its query per item).
    media = selectors.media_prefetch(exclude_transcripts=True)
    rows = keyset.numbered_page(visible_iiif_items(at), number, items_page_size()).defer(
        "story", "summary", "moderation_note").prefetch_related(
        Prefetch("media", queryset=media.queryset, to_attr="prefetched_media"))
    url_for = _manifest_urls()
    return dump(Collection(
        id=items_page_id(number),
        label=ui_format(N_("All items shared for IIIF, page %(number)s"), number=str(number)),
        partOf=[{"id": iiif_url("items_collection"), "type": "Collection",
                 "label": ui(N_("All items shared for IIIF"))}],
        items=[_manifest_ref(item, at, url_for(item.pk)) for item in rows],
        provider=provider(),
    ))


def build_top_collection(at: datetime | None = None) -> dict:
    from django.conf import settings

    refs = [CollectionRef(id=exhibition_collection_id(e.slug), type="Collection",
                          label=lang_map(e.title) or {"none": [e.slug]})
            for e in selectors.live_exhibitions(at).order_by("-featured", "-publish_at", "slug")]
    refs.append(CollectionRef(id=iiif_url("items_collection"), type="Collection", label=ui(N_("All items shared for IIIF"))))
    return dump(Collection(
        id=iiif_url("top_collection"),
        label={"en": [settings.SITE_NAME]},
        summary=ui(N_("Exhibitions of the Memories archive, and every item shared for IIIF.")),
        items=refs,
        provider=provider(),
        homepage=[{"id": absolute(page_url("exhibition-list")), "type": "Text",
                   "label": {"en": [settings.SITE_NAME]}, "format": "text/html"}],
    ))

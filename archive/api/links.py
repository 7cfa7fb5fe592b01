"""The links the REST API gives with each item, so a client can follow the archive from it.

The item's page in each of the site's languages is the archive's own (items in the API are already
those `web` allows). Everything else comes from the registered surfaces (archive/surfaces.py,
`Surface.links`): the IIIF surface adds the manifest and the image services where `iiif` allows
them, the exhibitions surface the live exhibitions where `exhibition` allows the item. The archive
never imports those apps; a link whose surface says nothing stays empty (null or []).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from archive import surfaces
from archive.models import Item

ITEM_LINKS = frozenset({"manifest", "image_services", "exhibitions"})
EMPTY = {"manifest": None, "image_services": [], "exhibitions": []}


def item_pages(request, item_id) -> dict[str, str]:
    """{language code: the item's public page in that language}, absolute."""
    pages = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            try:
                pages[code] = request.build_absolute_uri(reverse("item-detail", kwargs={"item_id": item_id}))
            except NoReverseMatch:  # the public pages not routed: no page to link
                continue
    return pages


def item_links(items: list[Item], request) -> dict:
    """{item pk: links} for items the API shows (one surface call for the whole page of items)."""
    found = surfaces.registry.links(items, request, ITEM_LINKS)
    return {item.pk: {"pages": item_pages(request, item.pk), **EMPTY, **found.get(item.pk, {})} for item in items}


def manifest_links(item_ids: Iterable[str], request) -> dict[str, str | None]:
    """{item id as in search hits: its IIIF manifest or None}, as the IIIF surface allows now."""
    keys = []
    for value in item_ids:
        try:
            keys.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    items = list(Item.objects.filter(pk__in=keys).select_related("current_consent"))
    found = surfaces.registry.links(items, request, frozenset({"manifest"}))
    return {str(pk): values.get("manifest") for pk, values in found.items()}

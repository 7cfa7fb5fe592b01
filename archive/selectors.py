"""Public reads for the site's pages. Everything here goes through archive.consent and
archive.projection: a page never looks at an item any other way (DESIGN.md, "The one rule")."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db.models import Prefetch

from archive import consent
from archive.i18n import Localised, pick
from archive.models import Item, ItemMedia
from archive.projection import PublicItem, public_projection
from media_pipeline import services as media_services


@dataclass
class PublicMedia:
    """One media use of an item, as the page may show it."""

    id: int
    role: str
    kind: str
    urls: dict
    alt: Localised
    caption: Localised
    width: int | None = None
    height: int | None = None
    duration: float | None = None
    cues: list = field(default_factory=list)
    language: str = ""
    asset_id: str = ""


@dataclass
class ItemPage:
    item: PublicItem
    title: Localised
    summary: Localised
    story: Localised
    photos: list[PublicMedia]
    recordings: list[PublicMedia]
    transcripts: list[PublicMedia]
    in_iiif: bool  # whether consent opens the IIIF surface (the "open in a IIIF viewer" link)
    has_warnings: bool


@dataclass
class ItemCard:
    """An item in a list: title, kind, a thumbnail (blurred when the item carries a warning)."""

    id: str
    kind: str
    title: Localised
    thumb: str
    thumb_alt: str
    blurred: bool
    content_warnings: list[str]
    duration: float | None = None  # a testimony's recording, in seconds


def _items_qs():
    return Item.objects.select_related("current_consent", "event", "contributor").prefetch_related(
        "subjects", Prefetch("media", queryset=ItemMedia.objects.select_related("asset"))
    )


def _urls(asset) -> dict:
    # The pipeline answers {} for an unpublished asset, so a retracted file is never linked.
    return media_services.public_urls(asset) or {}


def _public_media(m: ItemMedia, title: dict) -> PublicMedia:
    asset = m.asset
    # Curators write alt text before publication; until they have, the item's title says what it is.
    alt = pick(m.alt_text) if any((m.alt_text or {}).values()) else pick(title)
    return PublicMedia(
        id=m.pk, role=m.role, kind=asset.kind, urls=_urls(asset), alt=alt, caption=pick(m.caption),
        width=asset.width, height=asset.height, duration=asset.duration, cues=list(asset.cues or []),
        language=m.language, asset_id=str(asset.pk),
    )


def item_page(item_id: uuid.UUID | str) -> ItemPage | None:
    """The item as its public page may show it, or None when consent does not open the web."""
    item = _items_qs().filter(pk=item_id).first()
    if item is None:
        return None
    public = public_projection(item, "web")
    if public is None:
        return None
    media = [_public_media(m, public.title) for m in public.media]
    return ItemPage(
        item=public,
        title=pick(public.title),
        summary=pick(public.summary),
        story=pick(public.story),
        photos=[m for m in media if m.role == ItemMedia.Role.PHOTO and m.urls],
        recordings=[m for m in media if m.role == ItemMedia.Role.RECORDING and m.urls],
        transcripts=[m for m in media if m.role == ItemMedia.Role.TRANSCRIPT],
        in_iiif=consent.allows(item, "iiif"),
        has_warnings=bool(public.content_warnings),
    )


def card_for(item: Item, surface: str = "web") -> ItemCard | None:
    """A list entry for `item` on `surface` (None where consent does not open it)."""
    public = public_projection(item, surface)
    if public is None:
        return None
    thumb, alt = "", ""
    duration = next((m.asset.duration for m in public.media if m.role == ItemMedia.Role.RECORDING and m.asset.duration), None)
    for m in public.media:
        if m.role != ItemMedia.Role.PHOTO and m.asset.kind not in ("video", "audio"):
            continue
        urls = _urls(m.asset)
        sharp = urls.get("thumb", "") or urls.get("poster", "")  # a video's poster stands for it
        thumb = urls.get("thumb_blurred", "") if public.content_warnings else sharp
        if thumb:
            alt = pick(m.alt_text).text or pick(public.title).text
            break
    return ItemCard(
        id=public.id, kind=public.kind, title=pick(public.title), thumb=thumb, thumb_alt=alt,
        blurred=bool(public.content_warnings), content_warnings=public.content_warnings, duration=duration,
    )


def recent_cards(limit: int = 8) -> list[ItemCard]:
    """Recently published items for the home page, newest first.

    Being put forward on the front page is a placement, not just a page that exists: it needs the
    `exhibition` scope as well as `web` (a contributor who allowed only a page is not showcased).
    """
    items = (
        _items_qs().filter(consent.visible_q("web")).filter(consent.visible_q("exhibition"))
        .order_by("-published_at", "-pk")[:limit]  # the (published_at, id) index, read backwards: no sort
    )
    return [c for c in (card_for(i) for i in items) if c is not None]

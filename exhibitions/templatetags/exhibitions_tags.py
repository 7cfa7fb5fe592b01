"""Template helpers for exhibitions and viewers: public media URLs and IIIF links."""

from __future__ import annotations

from urllib.parse import quote

from django import template

from exhibitions.iiif.common import iiif_url, media_urls

register = template.Library()


@register.filter
def public_url(asset, name: str) -> str:
    """{{ media.asset|public_url:"thumb" }}: a published derivative's URL, '' if there is none."""
    if asset is None:
        return ""
    return media_urls(asset).get(name, "")


@register.filter
def entry_thumb(asset, item) -> str:
    """The thumbnail for a list entry: the blurred one (never the sharp file, not even hidden by CSS)
    when the item carries a content warning; otherwise the thumbnail, or a video's poster."""
    if asset is None:
        return ""
    urls = media_urls(asset)
    if item.content_warnings:
        return urls.get("thumb_blurred", "")
    return urls.get("thumb") or urls.get("poster", "")


@register.simple_tag
def manifest_url(item_id) -> str:
    return iiif_url("manifest", item_id=item_id)


@register.simple_tag
def collection_url(slug: str) -> str:
    return iiif_url("exhibition_collection", slug=slug)


@register.filter
def iiif_drag_link(url: str, kind: str = "manifest") -> str:
    """The IIIF drag-and-drop link: a link carrying ?manifest= (or ?collection=) that viewers accept
    when the IIIF logo is dropped on them."""
    return f"{url}?{kind}={quote(url, safe='')}"


@register.filter
def cover_thumb(exhibition) -> str:
    """{{ exhibition|cover_thumb }}: the cover's thumbnail URL, '' unless consent allows it."""
    from exhibitions.selectors import cover_media

    cover = cover_media(exhibition)
    return entry_thumb(cover.asset, cover.item) if cover is not None else ""


@register.filter
def cover_image(exhibition) -> str:
    """{{ exhibition|cover_image }}: the cover at page width ('' unless consent allows it; the
    blurred thumbnail for an item with a content warning, never the sharp picture)."""
    from exhibitions.selectors import cover_media

    cover = cover_media(exhibition)
    if cover is None or cover.asset is None:
        return ""
    if cover.item.content_warnings:
        return entry_thumb(cover.asset, cover.item)
    urls = media_urls(cover.asset)
    return urls.get("web") or urls.get("thumb", "")


@register.filter
def media_web_image(asset) -> str:
    """{{ asset|media_web_image }}: the asset's picture at page width (a video's poster), '' while
    it is not published."""
    urls = media_urls(asset) if asset is not None else {}
    return urls.get("web") or urls.get("thumb") or urls.get("poster") or ""

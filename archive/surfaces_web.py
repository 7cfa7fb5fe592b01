"""Registers the `web` surface (item pages, media derivatives) with archive.surfaces.

The handler brings the item's public files in line with the policy *now*: every media the
consent allows on the web is published (its IIIF tiles only if `iiif` allows them too), every other one (excluded, withdrawn, embargoed,
expired, unpublished, erased) is retracted, so its old derivative and tile URLs answer 404.
Cached pages and IIIF documents need nothing here: they are keyed on the shared generation
(archive/generation.py), which this change's own commit has already moved on.
"""

from __future__ import annotations

from archive import consent, surfaces
from archive.models import Item


def web_handler(item: Item) -> str:
    from media_pipeline import services as media
    from media_pipeline.models import MediaAsset
    from media_pipeline.publication import set_public_until

    item = Item.objects.select_related("current_consent").get(pk=item.pk)
    allowed = {m.pk for m in consent.allowed_media(item, "web")}
    # The deep-zoom tiles are the IIIF image service: public only where `iiif` is allowed as well.
    image_service = {m.pk for m in consent.allowed_media(item, "iiif")}
    published = retracted = waiting = 0
    for use in item.media.select_related("asset"):
        asset = use.asset
        if use.pk in allowed:
            if asset.status != MediaAsset.Status.READY:
                waiting += 1  # nothing to publish yet; approval waits for processing
                continue
            media.publish(asset, tiles=use.pk in image_service)
            set_public_until([asset], consent.closes_at(item.current_consent))
            published += 1
        else:
            # Only what is (or was half) public needs retracting: retract() rotates the token.
            if asset.is_published or asset.stale_tokens:
                media.retract(asset)
                retracted += 1
    parts = [f"{published} media published", f"{retracted} retracted"]
    if waiting:
        parts.append(f"{waiting} still processing")
    if consent.allows(item, "web"):
        parts.append("page public")
    else:
        parts.append("page gone")
    return ", ".join(parts)


class WebSurface(surfaces.Surface):
    name = "web"
    label = "Item pages and media files"

    def propagate(self, item: Item) -> str:
        return web_handler(item)


surfaces.register(WebSurface())

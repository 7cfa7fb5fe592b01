"""Publication: derivatives (and the IIIF tile set) copied to public storage under the asset's
public token; retraction and erasure take them away again."""

from __future__ import annotations

import os

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from media_pipeline import publication, storage, tiles
from media_pipeline.exceptions import MediaPipelineError
from media_pipeline.models import MediaAsset
from media_pipeline.services.keys import absolute, private_prefix, public_key, public_prefix


def _copy_to_public(asset: MediaAsset, private_key: str, public_key: str) -> None:
    priv, pub = storage.private(), storage.public()
    with storage.fetched(priv, private_key) as path:
        storage.put_file(pub, public_key, path, link=True)


def image_service_id(asset: MediaAsset) -> str | None:
    """The IIIF Image API 3 service id (the public URL of the tile set), or None."""
    if not asset.is_published or not asset.tiles_public or "iiif" not in asset.derivatives:
        return None
    return absolute(storage.public().url(f"{public_prefix(asset)}/iiif"))


def publish(asset: MediaAsset, *, tiles: bool = True) -> None:
    """Copy derivatives to public storage under the asset's public token (idempotent), and the IIIF
    tile set with its info.json when `tiles` (the IIIF image service; callers pass what consent
    allows). Tiles made public before and not wanted now are withdrawn with a new token."""
    asset.refresh_from_db()
    if asset.status != MediaAsset.Status.READY:
        raise MediaPipelineError(_("Only processed media can be published (this one is %(status)s).")
                                 % {"status": asset.get_status_display()})
    # Tiles closed since (publication.close(tiles_only=True)) may still lie under the token.
    if not tiles and (asset.tiles_public
                      or storage.exists(storage.public(), f"{public_prefix(asset)}/iiif/info.json")):
        retract(asset)  # old tile URLs die with the old token; derivatives come back below
        asset.refresh_from_db()
    tiles = tiles and "iiif" in asset.derivatives
    _clear_stale(asset)
    pub = storage.public()
    try:
        for name, key in asset.derivatives.items():
            if name == "iiif":
                continue
            _copy_to_public(asset, key, public_key(asset, key))
        if tiles:
            _publish_tiles(asset)
    except BaseException:
        # Nothing half-published stays behind: delete it now, or (storage down) move to a new token
        # and leave the old one to be cleared by the next publish or retract.
        try:
            storage.delete_prefix(pub, public_prefix(asset))
        except Exception:
            with transaction.atomic():
                publication.move_to_new_token(asset)
        raise
    MediaAsset.objects.filter(pk=asset.pk).update(is_published=True, tiles_public=tiles, published_at=timezone.now())
    asset.is_published, asset.tiles_public, asset.published_at = True, tiles, timezone.now()
    # info.json carries the public id, which is only known once the asset counts as published.
    if tiles:
        _write_info(asset)


def _publish_tiles(asset: MediaAsset) -> None:
    priv, pub = storage.private(), storage.public()
    prefix = asset.derivatives["iiif"]
    target = f"{public_prefix(asset)}/iiif"
    src_root = storage.local_path(priv, prefix)
    if src_root and os.path.isdir(src_root):
        storage.upload_tree(src_root, pub, target, link=True)
    else:
        # S3 (or another remote store): server-side copies on a small thread pool.
        storage.copy_tree(priv, prefix, pub, target)


def _write_info(asset: MediaAsset) -> None:
    priv, pub = storage.private(), storage.public()
    template = storage.read_bytes(priv, f"{asset.derivatives['iiif']}/info.json")
    key = f"{public_prefix(asset)}/iiif/info.json"
    local = storage.local_path(pub, key)
    if local and os.path.exists(local):
        os.unlink(local)  # it is a hard link to the private template: never write through it
    storage.put_bytes(pub, key, tiles.public_info(template, image_service_id(asset)))


def rebase(asset: MediaAsset) -> bool:
    """Rewrite the public info.json when its id is not the current public base (SITE_URL or the
    bucket's domain changed since publication); True when it was rewritten.

    The row is taken first (an update that matches only while the tiles are public: a row lock on
    PostgreSQL, the write lock on SQLite), so a withdrawal committing meanwhile waits, and its
    retraction deletes the old token's files after this write: the file is never re-created for
    closed tiles."""
    with transaction.atomic():
        held = MediaAsset.objects.filter(pk=asset.pk, is_published=True, tiles_public=True)
        if not held.update(updated_at=F("updated_at")):
            return False
        asset.refresh_from_db()
        key = f"{public_prefix(asset)}/iiif/info.json"
        wanted = tiles.public_info(storage.read_bytes(storage.private(), f"{asset.derivatives['iiif']}/info.json"),
                                   image_service_id(asset))
        if storage.exists(storage.public(), key) and storage.read_bytes(storage.public(), key) == wanted:
            return False
        _write_info(asset)
        return True


def _clear_stale(asset: MediaAsset) -> None:
    pub = storage.public()
    remaining = list(asset.stale_tokens)
    for token in list(remaining):
        storage.delete_prefix(pub, public_prefix(asset, token))
        remaining.remove(token)
        MediaAsset.objects.filter(pk=asset.pk).update(stale_tokens=remaining)
    asset.stale_tokens = remaining


def retract(asset: MediaAsset) -> None:
    """Delete every public file of the asset; a new token means old URLs stay dead after re-publishing."""
    with transaction.atomic():
        publication.move_to_new_token(asset)
    # Takes effect for readers at once (public_urls is {}); the files go now, or on the retry.
    _clear_stale(asset)


def erase(asset: MediaAsset) -> None:
    """Retract, then delete masters, originals, redaction sources and every private derivative,
    and clear what the row knew of the file: its name, checksums and size identify it too."""
    retract(asset)
    storage.delete_prefix(storage.private(), private_prefix(asset))
    asset.original_key = asset.master_key = asset.original_name = asset.failure_reason = ""
    asset.original_sha256 = asset.master_sha256 = ""
    asset.size_bytes = 0
    asset.capture_date = None
    asset.derivatives, asset.cues, asset.steps, asset.technical, asset.redactions = {}, [], {}, {}, []
    asset.status = MediaAsset.Status.ERASED
    asset.save()


def public_urls(asset: MediaAsset) -> dict[str, str]:
    """URLs of the published derivatives ({} unless published); "iiif" is the image service id."""
    if not asset.is_published:
        return {}
    pub = storage.public()
    urls = {name: absolute(pub.url(public_key(asset, key))) for name, key in asset.derivatives.items()
            if name != "iiif"}
    if image_service_id(asset):
        urls["iiif"] = image_service_id(asset)
    return urls


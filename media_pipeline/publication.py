"""The published state of public files: written with the change that closes them, read by every
file request.

A public file lives at `<PUBLIC_PREFIX>/<public_token>/...`. Whether it may be answered is held
in the asset's row (`is_published`, `tiles_public`, `public_until`), not in storage: the caller
closes the row inside its own transaction (no storage I/O there), so the file URL answers 404 the
moment that transaction commits, whether or not a worker ever runs. The bytes follow: deleted by
the caller's propagation task, or (remote storage, which no gate stands in front of) right after
commit, together with a purge of the CDN hook named in MEDIA_PIPELINE["PURGE_HOOK"].

The pipeline does not know *why* a file closes; upstairs decides, this module only holds state.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from media_pipeline import conf, storage
from media_pipeline.models import MediaAsset

logger = logging.getLogger(__name__)


def _prefix(token: str) -> str:
    return f"{conf.get('PUBLIC_PREFIX')}/{token}"


def close(assets: Iterable[MediaAsset], *, tiles_only: bool = False) -> list[str]:
    """Close the public files of `assets` in the caller's transaction; the storage prefixes closed.

    Whole assets move to a new token (the old one joins `stale_tokens`, whose files the next
    retract or publish deletes); `tiles_only` closes the IIIF image service (info.json, tiles)
    and leaves the web derivatives where they are.
    """
    closed: list[str] = []
    for asset in assets:
        if not (asset.is_published or asset.tiles_public):
            continue  # as read in the caller's transaction: nothing public to close
        row = MediaAsset.objects.select_for_update().filter(pk=asset.pk).values(
            "public_token", "stale_tokens", "is_published", "tiles_public").first()
        if row is None:
            continue
        if tiles_only:
            if row["tiles_public"]:
                MediaAsset.objects.filter(pk=asset.pk).update(tiles_public=False, updated_at=timezone.now())
                asset.tiles_public = False
                closed.append(f"{_prefix(row['public_token'])}/iiif")
            continue
        if not (row["is_published"] or row["tiles_public"]):
            continue
        closed.append(_prefix(move_to_new_token(asset, row)))
    if closed and (conf.get("PURGE_HOOK") or conf.get("REMOVE_CLOSED_AT_ONCE")
                   or not storage.is_local(storage.public())):
        transaction.on_commit(lambda: remove_now(closed))
    return closed


def move_to_new_token(asset: MediaAsset, row: dict | None = None) -> str:
    """Unpublish the asset under a new public token, in the caller's transaction (database only);
    the old token joins `stale_tokens`, whose files the next retract or publish deletes, so an old
    URL never answers again. `row`: the asset's token fields already read for update. Returns the
    old token."""
    if row is None:
        row = MediaAsset.objects.select_for_update().filter(pk=asset.pk).values("public_token", "stale_tokens").get()
    old = row["public_token"]
    stale = [*row["stale_tokens"], old] if old not in row["stale_tokens"] else row["stale_tokens"]
    fields = {"public_token": secrets.token_urlsafe(12), "stale_tokens": stale, "is_published": False,
              "tiles_public": False, "published_at": None}
    MediaAsset.objects.filter(pk=asset.pk).update(**fields, updated_at=timezone.now())
    for name, value in fields.items():
        setattr(asset, name, value)
    return old


def set_public_until(assets: Iterable[MediaAsset], until: datetime | None) -> None:
    """The moment after which the assets' public files answer 404 (None: no such moment)."""
    pks = [a.pk for a in assets]
    if pks:
        MediaAsset.objects.filter(pk__in=pks).exclude(public_until=until).update(public_until=until)


def remove_now(prefixes: list[str]) -> None:
    """After commit: delete closed files from a remote public store (S3 answers without asking us)
    or from a local folder that a proxy serves (REMOVE_CLOSED_AT_ONCE), then call the purge hook.
    Otherwise local files are already unreachable (see readable) and are deleted by the propagation
    task. A failure is logged, not raised: the change is committed, and the task deletes the stale
    tokens again."""
    pub = storage.public()
    try:
        if not storage.is_local(pub) or conf.get("REMOVE_CLOSED_AT_ONCE"):
            storage.delete_prefixes(pub, prefixes)
        hook = conf.get("PURGE_HOOK")
        if hook:
            import_string(hook)(list(prefixes))
    except Exception:
        logger.exception("removing closed public files %s failed; the propagation task retries", prefixes)


def readable(rel: str, now: datetime | None = None) -> bool:
    """Whether the public file at `rel` (its key in public storage) may be answered now: its asset
    is published, not past `public_until`, and for the image service, its tiles are public.

    Asked for every tile a viewer fetches, so it is one indexed query in plain SQL (the ORM's own
    cost is several times the query's)."""
    head = f"{conf.get('PUBLIC_PREFIX')}/"
    if not rel.startswith(head):
        return False
    token, _sep, rest = rel[len(head):].partition("/")
    if not token or not rest:
        return False
    moment = connection.ops.adapt_datetimefield_value(now or timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(_READABLE, [token, True, moment])
        row = cursor.fetchone()
    return row is not None and (bool(row[0]) or not rest.startswith("iiif/"))


# The table name is the model's own constant; every value is a parameter.
_READABLE = (f"SELECT tiles_public FROM {MediaAsset._meta.db_table} WHERE public_token = %s "  # noqa: S608
             "AND is_published = %s AND (public_until IS NULL OR public_until > %s)")

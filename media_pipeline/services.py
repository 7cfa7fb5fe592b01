"""The media pipeline's public services: the only functions upper floors call.

Contract (kept stable for archive/ and exhibitions/):
- intake(fileobj, original_name) -> MediaAsset: stores the upload in private quarantine under a
  generated key, decides the type from the bytes, refuses with IntakeError (translated message
  naming the file and the reason) and leaves nothing behind when the file is not acceptable.
- process(asset) -> MediaAsset: sanitise, master + sha256, derivatives, tiles (idempotent).
  Normally queued as a task (media_pipeline.tasks.process_asset) after commit.
- publish(asset, tiles=True): make derivatives (and, with `tiles`, the IIIF tiles) reachable at public URLs.
- retract(asset): remove every public file of the asset; old URLs 404 afterwards.
- erase(asset): retract and delete masters and originals as well.
- public_urls(asset) -> dict[str, str]: URLs of published derivatives ({} when unpublished).
- image_service_id(asset) -> str | None: the IIIF Image API 3 service id (level 0 tiles).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import secrets
import shutil
import socket
import tempfile
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

import pyvips
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from media_pipeline import av, conf, derivatives, jpegstrip, storage, tiles, transcripts
from media_pipeline.exceptions import (
    AssetBusy,
    IntakeError,
    MediaPipelineError,
    ProcessingError,
    TransientStorageError,
)
from media_pipeline.models import MediaAsset
from media_pipeline.sanitising import load_sanitised
from media_pipeline.validation import Detected, clean_name, detect, refuse

logger = logging.getLogger(__name__)
CHUNK = 1024 * 1024
MASTER_EXT = {"jpeg": "jpg", "png": "png"}


# --- keys -------------------------------------------------------------------------------------


def private_prefix(asset: MediaAsset) -> str:
    return f"{conf.get('PRIVATE_PREFIX')}/{asset.pk}"


def public_prefix(asset: MediaAsset, token: str | None = None) -> str:
    return f"{conf.get('PUBLIC_PREFIX')}/{token or asset.public_token}"


def _public_key(asset: MediaAsset, private_key: str) -> str:
    rel = private_key[len(private_prefix(asset)) + 1:]
    rel = rel[2:] if rel.startswith("d/") else rel
    return f"{public_prefix(asset)}/{rel}"


def _absolute(url: str) -> str:
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


# --- intake -----------------------------------------------------------------------------------


def _spool(fileobj, name: str, limit: int) -> tuple[str, int, str]:
    """Copy the upload to a private temporary file; (path, size, sha256). Refuses oversized files early."""
    with contextlib.suppress(AttributeError, OSError, ValueError):
        fileobj.seek(0)
    # Spooled beside private storage when it is local, so that an accepted file moves in by renaming.
    incoming = storage.local_path(storage.private(), ".incoming")
    if incoming:
        with storage.guard("preparing intake"):
            os.makedirs(incoming, exist_ok=True)
    fd, path = tempfile.mkstemp(prefix="mp-intake-", dir=incoming)
    digest, size = hashlib.sha256(), 0
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := fileobj.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise refuse(name, _("the file is larger than %(limit)s MB.") % {"limit": limit // (1024 * 1024)},
                                 "too_large")
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        os.unlink(path)
        raise
    return path, size, digest.hexdigest()


def intake(fileobj, original_name: str, *, kinds: Iterable[str] | None = None) -> MediaAsset:
    """Take in one upload (see the contract above). `kinds` optionally restricts what is welcome."""
    name = clean_name(original_name)
    path, size, sha = _spool(fileobj, name, conf.get("MAX_FILE_BYTES"))
    try:
        found = detect(path, name)
        if kinds is not None and found.kind not in set(kinds):
            raise refuse(name, _("a %(kind)s is not expected here.") % {"kind": MediaAsset.Kind(found.kind).label},
                         "unexpected_kind")
        return _store_upload(path, name, size, sha, found)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def _store_upload(path: str, name: str, size: int, sha: str, found: Detected) -> MediaAsset:
    asset = MediaAsset(kind=found.kind, original_name=name, detected_format=found.format, size_bytes=size,
                       original_sha256=sha, width=found.width, height=found.height, duration=found.duration,
                       technical={"frames": found.frames, **{k: v for k, v in found.extra.items() if k != "capture_date"}})
    if found.extra.get("capture_date"):
        asset.capture_date = found.extra["capture_date"]
    # The key is ours: the client's name never becomes a path.
    asset.original_key = f"{private_prefix(asset)}/original.{found.format}"
    storage.put_file(storage.private(), asset.original_key, path, move=True)
    try:
        asset.save()
    except BaseException:
        storage.delete_prefix(storage.private(), private_prefix(asset))
        raise
    return asset


def intake_submission(files: list[tuple[object, str]], *, kinds: Iterable[str] | None = None) -> list[MediaAsset]:
    """Take in all files of one submission, or none: a refusal removes what was already taken in."""
    total = 0
    for fileobj, _name in files:
        with contextlib.suppress(Exception):
            total += fileobj.size  # type: ignore[attr-defined]
    if total > conf.get("MAX_SUBMISSION_BYTES"):
        raise IntakeError(_("The submission was refused: together the files are larger than %(mb)s MB.")
                          % {"mb": conf.get("MAX_SUBMISSION_BYTES") // (1024 * 1024)}, reason_code="too_large")
    taken: list[MediaAsset] = []
    try:
        for fileobj, name in files:
            taken.append(intake(fileobj, name, kinds=kinds))
            total = sum(a.size_bytes for a in taken)
            if total > conf.get("MAX_SUBMISSION_BYTES"):
                raise IntakeError(_("The submission was refused: together the files are larger than %(mb)s MB.")
                                  % {"mb": conf.get("MAX_SUBMISSION_BYTES") // (1024 * 1024)},
                                  reason_code="too_large")
    except BaseException:
        for asset in taken:
            discard(asset)
        raise
    return taken


def discard(asset: MediaAsset) -> None:
    """Remove an asset that never made it (refused submission): files and row."""
    storage.delete_prefix(storage.private(), private_prefix(asset))
    storage.delete_prefix(storage.public(), public_prefix(asset))
    if asset.pk and MediaAsset.objects.filter(pk=asset.pk).exists():
        asset.delete()


def find_duplicate(original_sha256: str) -> MediaAsset | None:
    return (MediaAsset.objects.filter(original_sha256=original_sha256)
            .exclude(status=MediaAsset.Status.ERASED).first())


# --- processing -------------------------------------------------------------------------------


def _sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class _Work:
    """State shared by the steps of one process() run (the decoded image is kept between steps)."""

    asset: MediaAsset
    dir: str
    src: pyvips.Image | None = None  # the sanitised image, in memory (moderate sizes only)
    master_path: str | None = None
    reduced: dict | None = None
    stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    def original(self) -> str:
        return self.stack.enter_context(storage.fetched(storage.private(), self.asset.original_key))

    def master(self) -> str:
        if self.master_path is None:
            self.master_path = self.stack.enter_context(storage.fetched(storage.private(), self.asset.master_key))
        return self.master_path

    def in_memory(self) -> bool:
        return (self.asset.width or 0) * (self.asset.height or 0) <= conf.get("IN_MEMORY_PIXELS")

    def tee(self) -> pyvips.Image:
        """The sanitised image, decoded once and as it is read, shared by dzsave, the master encode
        and the derivatives. libvips has no tee; an unbounded, persistent strip cache acts as one."""
        img = load_sanitised(self.original(), self.asset.detected_format)
        strip = 64
        self.src = img.tilecache(tile_width=img.width, tile_height=strip, max_tiles=img.height // strip + 2,
                                 threaded=False, persistent=True)
        self.asset.width, self.asset.height = img.width, img.height
        return self.src

    def image(self) -> pyvips.Image:
        """The sanitised image: shared in memory when moderate, a fresh streaming read of the master otherwise."""
        if self.src is not None:
            return self.src
        return pyvips.Image.new_from_file(self.master(), access="sequential", fail_on="error")


# A step returns what it changed: {"fields": {...}, "derivatives": {...}}; process() applies it, so
# that steps may run side by side without sharing writes.
Update = dict


def _step_master(work: _Work) -> Update:
    asset = work.asset
    fmt = "png" if asset.detected_format in ("png", "tiff") else "jpeg"
    local = os.path.join(work.dir, f"master.{MASTER_EXT[fmt]}")
    img = work.src if work.src is not None else load_sanitised(work.original(), asset.detected_format)
    options = {"Q": conf.get("MASTER_QUALITY"), "keep": "none", "subsample_mode": "on"}
    stripped = _lossless_master(work) if asset.detected_format == "jpeg" else None
    if stripped is not None:
        # The original's own compressed pixels without its metadata (see jpegstrip): no re-encode.
        sha = hashlib.sha256(stripped).hexdigest()
        with open(local, "wb") as fh:
            fh.write(stripped)
        del stripped
    elif fmt == "png":
        img.pngsave(local, keep="none", compression=6)
        sha = _sha256_file(local)
    elif work.src is not None:
        # A moderate image: encoded in memory and hashed there, saving a second pass over the file.
        data = img.jpegsave_buffer(**options)
        sha = hashlib.sha256(data).hexdigest()
        with open(local, "wb") as fh:
            fh.write(data)
        del data
    else:
        img.jpegsave(local, **options)
        sha = _sha256_file(local)
    key = f"{private_prefix(asset)}/master.{MASTER_EXT[fmt]}"
    storage.put_file(storage.private(), key, local, move=True)
    work.master_path = local if os.path.exists(local) else storage.local_path(storage.private(), key)
    return {"fields": {"master_key": key, "master_format": fmt, "master_sha256": sha,
                       "width": img.width, "height": img.height}}


def _lossless_master(work: _Work) -> bytes | None:
    """The stripped original when it already is the sanitised image (sRGB, unrotated), else None."""
    path = work.original()
    header = pyvips.Image.jpegload(path)
    rotated = header.get("orientation") if header.get_typeof("orientation") else 1
    if (header.bands != 3 or header.format != "uchar" or header.interpretation != "srgb" or rotated != 1
            or header.get_typeof("icc-profile-data")):
        return None
    with open(path, "rb") as fh:
        return jpegstrip.strip(fh.read())


def _reduced(work: _Work) -> dict:
    if work.reduced is None:
        if work.src is not None:
            work.reduced = derivatives.chain(work.src)
        else:
            work.reduced = derivatives.chain(None, master_path=work.master())
    return work.reduced


def _step_derivatives(work: _Work, *, tile_source: pyvips.Image | None = None,
                      alongside: Callable[[], None] | None = None) -> Update:
    """Web derivatives and the IIIF tile set. dzsave (effectively one core) runs in a thread from
    `tile_source` (default: the sanitised image); this thread meanwhile runs `alongside` (process()
    decodes and encodes the master there) and the derivative encodes."""
    asset = work.asset
    out = os.path.join(work.dir, "d")
    prefix = f"{private_prefix(asset)}/iiif"
    priv = storage.private()
    root = storage.local_path(priv, prefix)
    # Tiles are written next to their final place and moved in with one rename (local storage), or
    # uploaded from a temporary folder (S3): either way a crash leaves no half tile set under `prefix`.
    with storage.guard("preparing tiles"):
        build_parent = (os.path.join(os.path.dirname(root), ".build") if root else work.dir)
        if root:  # whatever a killed worker left half-built goes first
            shutil.rmtree(build_parent, ignore_errors=True)
        os.makedirs(build_parent, exist_ok=True)
    build = tempfile.mkdtemp(prefix="iiif-", dir=build_parent)
    try:
        tiles_dir = os.path.join(build, "iiif")
        with ThreadPoolExecutor(max_workers=1) as pool:
            pyramid = pool.submit(tiles.make_pyramid, tile_source if tile_source is not None else work.image(),
                                  tiles_dir)
            try:
                if alongside is not None:
                    alongside()
                reduced = _reduced(work)
                names = derivatives.write(reduced, out)
                small = os.path.join(out, "small.jpg")
                reduced["small"].jpegsave(small, Q=82, keep="none")
            finally:
                pyramid.result()
        sized = [(reduced["web"].width, reduced["web"].height, os.path.join(out, "web.jpg")),
                 (reduced["thumb"].width, reduced["thumb"].height, os.path.join(out, "thumb.jpg")),
                 (reduced["small"].width, reduced["small"].height, small)]
        tiles.finish(asset.width, asset.height, sized, tiles_dir)
        found = {}
        for name, filename in names.items():
            key = f"{private_prefix(asset)}/d/{filename}"
            storage.put_file(priv, key, os.path.join(out, filename), move=True)
            found[name] = key
        storage.delete_prefix(priv, prefix)
        if root:
            with storage.guard("moving tiles"):
                os.replace(tiles_dir, root)
        else:
            storage.upload_tree(tiles_dir, priv, prefix)
    finally:
        shutil.rmtree(build_parent if root else build, ignore_errors=True)
    return {"derivatives": {**found, "iiif": prefix}}


def _step_av(work: _Work) -> Update:
    asset = work.asset
    result = av.transcode(work.original(), asset.detected_format if asset.detected_format != "m4a" else "mp4",
                          asset.kind, os.path.join(work.dir, "av"))
    found = {}
    for name, filename in result["files"].items():
        key = f"{private_prefix(asset)}/d/{filename}"
        storage.put_file(storage.private(), key, os.path.join(work.dir, "av", filename))
        found[name] = key
    rendition = found[asset.kind]
    # The re-encoded rendition is the sanitised master of a recording (no metadata, every packet decoded).
    fields = {"master_key": rendition, "master_format": os.path.splitext(rendition)[1].lstrip("."),
              "master_sha256": _sha256_file(os.path.join(work.dir, "av", result["files"][asset.kind])),
              "duration": result["duration"]}
    if asset.kind == "video":
        fields["width"], fields["height"] = result["width"], result["height"]
    return {"fields": fields, "derivatives": found}


def _step_transcript(work: _Work) -> Update:
    asset = work.asset
    with open(work.original(), "rb") as fh:
        data = fh.read()
    try:
        text = transcripts.decode_text(data, asset.original_name)
        fmt, cues = transcripts.parse(text)
    except (IntakeError, ValueError) as exc:
        raise ProcessingError(str(exc)) from exc
    found = {}
    plain = transcripts.to_text(cues).encode()
    key = f"{private_prefix(asset)}/d/transcript.txt"
    storage.put_bytes(storage.private(), key, plain)
    found["text"] = key
    if fmt in ("vtt", "srt"):
        vtt = transcripts.to_vtt(cues).encode()
        key = f"{private_prefix(asset)}/d/captions.vtt"
        storage.put_bytes(storage.private(), key, vtt)
        found["vtt"] = key
    return {"fields": {"cues": cues, "master_key": found["text"], "master_format": "txt",
                       "master_sha256": hashlib.sha256(plain).hexdigest()}, "derivatives": found}


STEPS: dict[str, list[tuple[str, Callable[[_Work], Update]]]] = {
    MediaAsset.Kind.IMAGE: [("master", _step_master), ("derivatives", _step_derivatives)],
    MediaAsset.Kind.AUDIO: [("av", _step_av)],
    MediaAsset.Kind.VIDEO: [("av", _step_av)],
    MediaAsset.Kind.TRANSCRIPT: [("transcript", _step_transcript)],
}


def _record_failure(asset: MediaAsset, reason: str, *, status: str) -> None:
    asset.failure_reason = reason[:2000]
    asset.status = status
    MediaAsset.objects.filter(pk=asset.pk).update(failure_reason=asset.failure_reason, status=status,
                                                  updated_at=timezone.now())


def _apply(asset: MediaAsset, step: str, update: Update) -> None:
    for name, value in update.get("fields", {}).items():
        setattr(asset, name, value)
    if update.get("derivatives"):
        asset.derivatives = {**asset.derivatives, **update["derivatives"]}
    asset.steps = {**asset.steps, step: timezone.now().isoformat()}
    asset.lease_until = timezone.now() + timedelta(seconds=conf.get("LEASE_SECONDS"))  # still alive
    asset.save()


def _lease_owner() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{threading.get_ident()}"


def _owner_is_dead(owner: str) -> bool:
    """A claim by a process on this host that no longer exists (a killed worker) can be taken over."""
    host, _sep, rest = owner.partition(":")
    pid = rest.split(":")[0]
    if host != socket.gethostname()[:40] or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _claim(asset: MediaAsset) -> bool:
    now = timezone.now()
    owner = _lease_owner()
    with transaction.atomic():
        row = MediaAsset.objects.select_for_update().filter(pk=asset.pk).values("lease_owner", "lease_until").get()
        held = row["lease_owner"] and row["lease_owner"] != owner and row["lease_until"] and row["lease_until"] > now
        if held and not _owner_is_dead(row["lease_owner"]):
            return False
        asset.lease_owner, asset.lease_until = owner, now + timedelta(seconds=conf.get("LEASE_SECONDS"))
        asset.status = MediaAsset.Status.PROCESSING
        MediaAsset.objects.filter(pk=asset.pk).update(lease_owner=asset.lease_owner, lease_until=asset.lease_until,
                                                      status=asset.status, updated_at=now)
    return True


def _release(asset: MediaAsset) -> None:
    MediaAsset.objects.filter(pk=asset.pk, lease_owner=asset.lease_owner).update(lease_owner="", lease_until=None)
    asset.lease_owner, asset.lease_until = "", None


def _image_side_by_side(work: _Work) -> None:
    """Both image steps at once, on two cores: the original is decoded once, as dzsave reads it
    (overlapped with tile encoding, as raw dzsave does), and this thread encodes the master and the web
    derivatives from the same decoded strips."""
    asset = work.asset
    tile_source = work.tee()
    master: dict = {}

    def alongside() -> None:
        master["update"] = _step_master(work)

    try:
        update = _step_derivatives(work, tile_source=tile_source, alongside=alongside)
    except BaseException:
        if "update" in master:  # keep the finished master; a rerun resumes with the rest
            _apply(asset, "master", master["update"])
        raise
    _apply(asset, "master", master["update"])
    _apply(asset, "derivatives", update)


def process(asset: MediaAsset) -> MediaAsset:
    """Sanitise, keep the master, make derivatives and tiles (see the contract above).

    Idempotent and resumable: every step writes to fixed private keys (replacing a half-written
    attempt), and finished steps are recorded, so a rerun after a crash only does what is missing.
    Raises ProcessingError (permanent; recorded on the asset) or TransientStorageError (retry).
    """
    asset.refresh_from_db()
    if asset.status == MediaAsset.Status.ERASED:
        raise ProcessingError(_("This media has been erased."))
    if asset.status == MediaAsset.Status.READY and all(s in asset.steps for s, _f in STEPS[asset.kind]):
        return asset
    if not _claim(asset):
        raise AssetBusy(_("Another worker is processing this media."))
    name = asset.original_name or str(asset.pk)
    try:
        with storage.guard("preparing a working folder"):
            tmp = storage.scratch_dir(storage.private(), str(asset.pk))
    except BaseException:
        _release(asset)
        raise
    try:
        work = _Work(asset, tmp)
        try:
            with work.stack:
                pending = [(step, fn) for step, fn in STEPS[asset.kind] if step not in asset.steps]
                if asset.kind == MediaAsset.Kind.IMAGE and len(pending) == 2 and work.in_memory():
                    _image_side_by_side(work)
                else:
                    for step, fn in pending:
                        _apply(asset, step, fn(work))
        except TransientStorageError as exc:
            _record_failure(asset, _("Storage could not be reached while processing “%(name)s”; it will be "
                                     "tried again. (%(err)s)") % {"name": name, "err": exc},
                            status=MediaAsset.Status.PROCESSING)
            raise
        except (ProcessingError, pyvips.Error) as exc:
            detail = str(exc) if isinstance(exc, ProcessingError) else _("the image is damaged or truncated")
            reason = _("“%(name)s” could not be processed: %(reason)s.") % {"name": name, "reason": detail}
            _record_failure(asset, reason, status=MediaAsset.Status.FAILED)
            raise ProcessingError(reason) from exc
        except Exception as exc:  # a decoder or library surprise: recorded for the curator, not retried
            logger.exception("processing asset %s failed", asset.pk)
            reason = _("“%(name)s” could not be processed: an unexpected error occurred (%(err)s).") % {
                "name": name, "err": exc.__class__.__name__}
            _record_failure(asset, reason, status=MediaAsset.Status.FAILED)
            raise ProcessingError(reason) from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        _release(asset)
    asset.status = MediaAsset.Status.READY
    asset.failure_reason = ""
    asset.next_attempt_at = None
    asset.save()
    return asset


# --- publication ------------------------------------------------------------------------------


def _copy_to_public(asset: MediaAsset, private_key: str, public_key: str) -> None:
    priv, pub = storage.private(), storage.public()
    with storage.fetched(priv, private_key) as path:
        storage.put_file(pub, public_key, path, link=True)


def image_service_id(asset: MediaAsset) -> str | None:
    """The IIIF Image API 3 service id (the public URL of the tile set), or None."""
    if not asset.is_published or not asset.tiles_public or "iiif" not in asset.derivatives:
        return None
    return _absolute(storage.public().url(f"{public_prefix(asset)}/iiif"))


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
            _copy_to_public(asset, key, _public_key(asset, key))
        if tiles:
            _publish_tiles(asset)
    except BaseException:
        # Nothing half-published stays behind: delete it now, or (storage down) move to a new token
        # and leave the old one to be cleared by the next publish or retract.
        try:
            storage.delete_prefix(pub, public_prefix(asset))
        except Exception:
            MediaAsset.objects.filter(pk=asset.pk).update(
                stale_tokens=[*asset.stale_tokens, asset.public_token], public_token=secrets.token_urlsafe(12))
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
    asset.refresh_from_db()
    with transaction.atomic():
        old = asset.public_token
        asset.stale_tokens = [*asset.stale_tokens, old] if old not in asset.stale_tokens else asset.stale_tokens
        asset.public_token = secrets.token_urlsafe(12)
        asset.is_published = asset.tiles_public = False
        asset.published_at = None
        asset.save(update_fields=["stale_tokens", "public_token", "is_published", "tiles_public", "published_at",
                                  "updated_at"])
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
    urls = {name: _absolute(pub.url(_public_key(asset, key))) for name, key in asset.derivatives.items()
            if name != "iiif"}
    if image_service_id(asset):
        urls["iiif"] = image_service_id(asset)
    return urls


# --- fixity -----------------------------------------------------------------------------------


@dataclass
class FixityResult:
    asset: MediaAsset
    ok: bool
    problems: list[str]


def verify_fixity(asset: MediaAsset) -> FixityResult:
    """Re-hash the original and the master in private storage and compare with the recorded sha256."""
    problems = []
    priv = storage.private()
    for label, key, expected in (("original", asset.original_key, asset.original_sha256),
                                 ("master", asset.master_key, asset.master_sha256)):
        if not key or not expected:
            continue
        digest = hashlib.sha256()
        try:
            with storage.guard(f"reading {key}"), priv.open(key, "rb") as fh:
                while chunk := fh.read(CHUNK):
                    digest.update(chunk)
        except FileNotFoundError:
            problems.append(_("%(what)s is missing") % {"what": label})
            continue
        if digest.hexdigest() != expected:
            problems.append(_("%(what)s does not match its recorded checksum") % {"what": label})
    asset.fixity_checked_at, asset.fixity_ok = timezone.now(), not problems
    MediaAsset.objects.filter(pk=asset.pk).update(fixity_checked_at=asset.fixity_checked_at, fixity_ok=asset.fixity_ok)
    return FixityResult(asset, not problems, problems)

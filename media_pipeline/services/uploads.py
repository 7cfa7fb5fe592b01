"""Intake of uploads: each one spooled to a private temporary file, typed from its bytes, kept in quarantine."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable

from django.utils.translation import gettext as _

from media_pipeline import conf, storage
from media_pipeline.exceptions import IntakeError
from media_pipeline.models import MediaAsset
from media_pipeline.services.keys import CHUNK, private_prefix, public_prefix
from media_pipeline.validation import Detected, clean_name, detect, refuse


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


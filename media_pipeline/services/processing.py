"""process(): run the steps an asset still lacks, under a lease, and record how it ended."""

from __future__ import annotations

import logging
import shutil
from datetime import timedelta

import pyvips
from django.utils import timezone
from django.utils.translation import gettext as _

from media_pipeline import conf, cpu, storage, tiles
from media_pipeline.exceptions import AssetBusy, ProcessingError, TransientStorageError
from media_pipeline.models import MediaAsset
from media_pipeline.services import leases
from media_pipeline.services.steps import STEPS, Update, Work, is_clean_jpeg, step_derivatives, step_master

logger = logging.getLogger(__name__)


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


def _image_side_by_side(work: Work) -> None:
    """Both image steps at once, on two cores: the original is decoded once, as dzsave reads it
    (overlapped with tile encoding, as raw dzsave does), and this thread encodes the master and the web
    derivatives from the same decoded strips."""
    asset = work.asset
    cut_from_pyramid = tiles.level_factor(asset.width or 0, asset.height or 0, conf.get("WEB_SIZE")) > 1
    if cut_from_pyramid and asset.detected_format == "jpeg" and is_clean_jpeg(work.original()):
        # Nothing needs the full-resolution pixels but dzsave (the master is the stripped original,
        # the derivatives are cut from dzsave's pyramid): dzsave reads the file as raw dzsave does.
        tile_source = work.fresh()
    else:
        tile_source = work.tee(decode_first=not cut_from_pyramid)
    master: dict = {}

    def alongside() -> None:
        master["update"] = step_master(work)

    beside = conf.get("DERIVATIVES_BESIDE_TILES")
    if beside is None:
        beside = cut_from_pyramid and asset.detected_format == "jpeg" and cpu.spare_core()
    try:
        update = step_derivatives(work, tile_source=tile_source, alongside=alongside, beside=bool(beside))
    except BaseException:
        if "update" in master:  # keep the finished master; a rerun resumes with the rest
            _apply(asset, "master", master["update"])
        raise
    _apply(asset, "master", master["update"])
    _apply(asset, "derivatives", update)


def process(asset: MediaAsset) -> MediaAsset:
    """Sanitise, keep the master, make derivatives and tiles (see the package's contract).

    Idempotent and resumable: every step writes to fixed private keys (replacing a half-written
    attempt), and finished steps are recorded, so a rerun after a crash only does what is missing.
    Raises ProcessingError (permanent; recorded on the asset) or TransientStorageError (retry).
    """
    asset.refresh_from_db()
    if asset.status == MediaAsset.Status.ERASED:
        raise ProcessingError(_("This media has been erased."))
    if asset.status == MediaAsset.Status.READY and all(s in asset.steps for s, _f in STEPS[asset.kind]):
        return asset
    if not leases.claim(asset):
        raise AssetBusy(_("Another worker is processing this media."))
    try:
        with storage.guard("preparing a working folder"):
            tmp = storage.scratch_dir(storage.private(), str(asset.pk))
    except BaseException:
        leases.release(asset)
        raise
    try:
        _run_recorded(Work(asset, tmp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        leases.release(asset)
    asset.status = MediaAsset.Status.READY
    asset.failure_reason = ""
    asset.next_attempt_at = None
    asset.save()
    return asset


def _run_recorded(work: Work) -> None:
    """Run the pending steps; a failure is recorded on the asset (for the curator and the retry) and
    raised as TransientStorageError (retried) or ProcessingError (permanent)."""
    asset = work.asset
    name = asset.original_name or str(asset.pk)
    try:
        with work.stack:
            _run_pending(work)
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


def _run_pending(work: Work) -> None:
    asset = work.asset
    pending = [(step, fn) for step, fn in STEPS[asset.kind] if step not in asset.steps]
    if asset.kind == MediaAsset.Kind.IMAGE and len(pending) == 2 and work.in_memory():
        _image_side_by_side(work)
        return
    for step, fn in pending:
        _apply(asset, step, fn(work))

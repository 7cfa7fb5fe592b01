"""The pipeline's tasks (django_tasks; the database backend by default). Thin: load, call services.

Transient storage trouble is retried with exponential backoff (the attempt and the reason are
recorded on the asset); permanent failures are recorded on the asset for a curator and not retried.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import default_task_backend, task

from media_pipeline import conf, services
from media_pipeline.exceptions import AssetBusy, ProcessingError, TransientStorageError
from media_pipeline.models import MediaAsset

logger = logging.getLogger(__name__)


def _retry(asset_id: str, the_task, exc: Exception) -> str:
    asset = MediaAsset.objects.get(pk=asset_id)
    attempts = asset.attempts + 1
    if attempts > conf.get("RETRY_LIMIT"):
        reason = _("Storage could not be reached after %(n)s attempts; a technician must look at it. (%(err)s)") % {
            "n": attempts - 1, "err": exc}
        MediaAsset.objects.filter(pk=asset_id).update(attempts=attempts, failure_reason=reason,
                                                      status=MediaAsset.Status.FAILED, next_attempt_at=None)
        return "failed"
    delay = conf.get("RETRY_BASE_SECONDS") * 2 ** (attempts - 1)
    when = timezone.now() + timedelta(seconds=delay)
    reason = _("Storage could not be reached (attempt %(n)s); retrying in %(s)s seconds. (%(err)s)") % {
        "n": attempts, "s": delay, "err": exc}
    MediaAsset.objects.filter(pk=asset_id).update(attempts=attempts, failure_reason=reason, next_attempt_at=when)
    if default_task_backend.supports_defer:
        the_task.using(run_after=when).enqueue(asset_id)
    else:  # e.g. the immediate backend in tests: a worker sweep (retry_due) picks it up
        logger.warning("task backend cannot defer; asset %s waits for retry_due()", asset_id)
    return "retry"


@task(queue_name="media")
def process_asset(asset_id: str) -> str:
    asset = MediaAsset.objects.get(pk=asset_id)
    try:
        services.process(asset)
    except TransientStorageError as exc:
        return _retry(asset_id, process_asset, exc)
    except AssetBusy:
        return "busy"  # another worker has it and will finish it
    except ProcessingError:
        return "failed"  # recorded on the asset by services.process
    MediaAsset.objects.filter(pk=asset_id).update(attempts=0)
    return "ready"


def _storage_step(asset_id: str, step, task, done: str) -> str:
    """Run one storage step on an asset; a transient storage fault queues the same task again later."""
    try:
        step(MediaAsset.objects.get(pk=asset_id))
    except TransientStorageError as exc:
        return _retry(asset_id, task, exc)
    return done


@task(queue_name="media")
def publish_asset(asset_id: str) -> str:
    return _storage_step(asset_id, services.publish, publish_asset, "published")


@task(queue_name="consent", priority=20)  # closes files: with consent work
def retract_asset(asset_id: str) -> str:
    return _storage_step(asset_id, services.retract, retract_asset, "retracted")


@task(queue_name="consent", priority=20)
def erase_asset(asset_id: str) -> str:
    return _storage_step(asset_id, services.erase, erase_asset, "erased")


def enqueue_processing(asset: MediaAsset) -> None:
    """Queue processing once the surrounding transaction has committed (the row must exist for the worker)."""
    asset_id = str(asset.pk)
    transaction.on_commit(lambda: process_asset.enqueue(asset_id))


def retry_due(now=None) -> int:
    """Re-queue processing whose backoff has expired (for backends that cannot defer). Returns the count."""
    now = now or timezone.now()
    due = MediaAsset.objects.filter(status=MediaAsset.Status.PROCESSING, next_attempt_at__lte=now)
    n = 0
    for asset_id in due.values_list("pk", flat=True):
        MediaAsset.objects.filter(pk=asset_id).update(next_attempt_at=None)
        process_asset.enqueue(str(asset_id))
        n += 1
    return n


def resume_stuck(older_than: timedelta = timedelta(minutes=10), now=None) -> int:
    """Re-queue assets a killed worker left half-done (or that were never queued), plus due retries.

    A killed worker's task is not run again by the queue; this sweep (`manage.py resume_media`, run
    when workers start) queues the asset once more, and process() resumes from its last finished step.
    """
    now = now or timezone.now()
    stuck = MediaAsset.objects.filter(
        status__in=[MediaAsset.Status.QUARANTINED, MediaAsset.Status.PROCESSING],
        next_attempt_at__isnull=True, updated_at__lte=now - older_than,
    )
    n = 0
    for asset_id in stuck.values_list("pk", flat=True):
        process_asset.enqueue(str(asset_id))
        n += 1
    return n + retry_due(now)

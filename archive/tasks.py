"""The archive's tasks. Thin: they load rows and call services."""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from archive import audit, consent, surfaces
from archive.models import ConsentVersion, Item, RemovalReport

logger = logging.getLogger(__name__)

# A surface that fails is retried this many times in all, with a growing delay where the task
# backend can defer (the database queue); the immediate backend retries at once.
MAX_ATTEMPTS = 5
RETRY_BASE_SECONDS = 2


def enqueue_propagation(item_id, consent_version_id: int, report_id: int | None = None,
                        attempt: int = 1) -> None:
    args = (str(item_id), consent_version_id, report_id, attempt)
    if attempt > 1 and default_task_backend.supports_defer:
        delay = timedelta(seconds=RETRY_BASE_SECONDS * 2 ** (attempt - 2))
        propagate_consent.using(run_after=timezone.now() + delay).enqueue(*args)
    else:
        propagate_consent.enqueue(*args)


def _entry_ok(entry: dict) -> bool:
    return "cleared_at" in entry and not entry.get("error")


@task(queue_name="consent", priority=20)
def propagate_consent(item_id: str, consent_version_id: int, report_id: int | None = None,
                      attempt: int = 1) -> int:
    """Carry a consent change to every registered surface and write the removal report.

    Idempotent: each surface handler brings its surface in line with the *current* policy answer,
    so running it twice, or for an older version after a newer one, converges on the truth. A
    surface that raises is recorded in the report with its error and retried (the others still
    run); the report is complete only when every surface has answered.
    """
    item = Item.objects.select_related("current_consent").get(pk=item_id)
    version = ConsentVersion.objects.get(pk=consent_version_id)
    if report_id is not None:
        report = RemovalReport.objects.get(pk=report_id)
    else:
        report = RemovalReport.objects.create(item=item, consent_version=version,
                                              requested_at=timezone.now())
    if report.completed_at is not None:
        return report.pk
    report.attempts += 1
    entries = {entry["surface"]: entry for entry in report.surfaces}
    for surface in surfaces.registered():
        if _entry_ok(entries.get(surface.name, {})):
            continue  # cleared by an earlier attempt of this same run
        try:
            # A savepoint: a surface that fails half-way must not leave half its rows behind.
            with transaction.atomic():
                detail = surface.propagate(item)
        except Exception as exc:
            logger.exception("Surface %s failed while propagating consent for item %s", surface.name, item.pk)
            entries[surface.name] = {"surface": surface.name, "label": str(surface.label),
                                     "error": f"{type(exc).__name__}: {exc}"[:500],
                                     "failed_at": timezone.now().isoformat(), "attempt": report.attempts}
        else:
            entries[surface.name] = {"surface": surface.name, "label": str(surface.label),
                                     "detail": str(detail or ""), "cleared_at": timezone.now().isoformat()}
        report.surfaces = list(entries.values())
        report.save(update_fields=["surfaces", "attempts"])
    failed = [name for name, entry in entries.items() if not _entry_ok(entry)]
    if failed:
        audit.record("consent.propagation_failed", actor_label="system", item=item,
                     target=f"consent v{version.number}",
                     after={"failed": failed, "attempt": report.attempts})
        if attempt < MAX_ATTEMPTS:
            enqueue_propagation(item.pk, version.pk, report.pk, attempt=attempt + 1)
        return report.pk
    report.completed_at = timezone.now()
    report.save(update_fields=["completed_at"])
    audit.record("consent.propagated", actor_label="system", item=item, target=f"consent v{version.number}",
                 after={"surfaces": [e["surface"] for e in report.surfaces], "trigger": report.trigger})
    return report.pk


# A report that failed whole rounds of retries waits longer before the sweep tries it again
# (older_than, doubled per spent round, up to this), so that a backend down for a day does not
# produce a round of errors and audit rows per report every minute.
SWEEP_BACKOFF_CAP = timedelta(hours=6)


def _last_activity(report: RemovalReport):
    moments = [report.requested_at]
    for entry in report.surfaces or []:
        for key in ("failed_at", "cleared_at"):
            with contextlib.suppress(TypeError, ValueError):
                moment = datetime.fromisoformat(entry.get(key))
                moments.append(moment if timezone.is_aware(moment) else timezone.make_aware(moment))
    return max(m for m in moments if m is not None)


def retry_incomplete(older_than: timedelta = timedelta(minutes=5), now=None) -> int:
    """Queue again every report left incomplete (a lost task, or all retries spent while a backend
    was down). Run by every `manage.py run_worker` periodically (memorial.worker.sweep), or by hand.
    """
    now = now or timezone.now()
    count = 0
    for report in RemovalReport.objects.filter(completed_at__isnull=True, requested_at__lte=now - older_than):
        rounds = report.attempts // MAX_ATTEMPTS
        wait = min(older_than * 2 ** min(rounds, 20), SWEEP_BACKOFF_CAP)
        if _last_activity(report) > now - wait:
            continue
        propagate_consent.enqueue(str(report.item_id), report.consent_version_id, report.pk, 1)
        count += 1
    return count


def propagate_time_boundaries(now=None) -> int:
    """Carry embargo ends and consent expiries that have passed to every surface.

    Pages, search and IIIF answer at read time, but files in public storage cannot: at expiry an
    item's derivatives and tiles must be retracted, and at the end of an embargo published. An item
    whose current consent has such a moment at or before `now`, and no propagation requested since
    that moment, gets one (trigger "time"). Idempotent: the new report is the "since". Run by every
    `manage.py run_worker` sweep (memorial.worker.sweep), so files follow within one sweep interval.
    """
    from django.db.models import Exists, OuterRef

    from archive.services import request_propagation

    now = now or timezone.now()
    count = 0
    for field in consent.TIME_FIELDS:
        handled = RemovalReport.objects.filter(item=OuterRef("pk"),
                                               requested_at__gte=OuterRef(f"current_consent__{field}"))
        due = Item.objects.filter(consent.crossed_q(field, now), ~Exists(handled)).select_related("current_consent")
        for item in due:
            request_propagation(item, item.current_consent, trigger="time")
            count += 1
    return count

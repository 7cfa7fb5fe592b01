"""Recovering tasks whose worker died: a task row left RUNNING by a killed worker is queued again.

django_tasks_db marks a task RUNNING when a worker claims it and SUCCESSFUL/FAILED when it ends; a
worker killed in between (kill -9, out of memory, a power cut) leaves the row RUNNING for ever and
nobody runs it again. Every task in this project is idempotent and resumable (DESIGN.md), so the
safe repair is to put such rows back to READY; the next run finishes what the dead one started.

A row counts as orphaned when
- its worker ran on this host (worker ids are "<host>:<pid>", see ``worker_id()``) and that process
  no longer exists, or
- it has been RUNNING for longer than ``stale_after`` (a worker on another host that vanished).

``manage.py run_worker`` (memorial/management/commands/run_worker.py) does this at start, then runs
django_tasks_db's db_worker with a host:pid worker id, sweeps periodically (``sweep()`` below; also
``manage.py run_sweeps`` for cron or a systemd timer) and writes a heartbeat that /readyz reads.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from django.db import connections, transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def _host() -> str:
    return socket.gethostname()[:40]


def worker_id(pid: int | None = None) -> str:
    return f"{_host()}:{pid or os.getpid()}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _orphaned(row: DBTaskResult, now, stale_after: timedelta) -> bool:
    last = row.worker_ids[-1] if row.worker_ids else ""
    host, _sep, pid = last.rpartition(":")
    if host == _host() and pid.isdigit() and int(pid) != os.getpid() and not _pid_alive(int(pid)):
        return True
    return row.started_at is not None and row.started_at < now - stale_after


def requeue_orphaned(stale_after: timedelta = timedelta(hours=2)) -> list[str]:
    """Put tasks of dead workers back in the queue; returns their ids."""
    now = timezone.now()
    requeued = []
    with transaction.atomic():
        for row in DBTaskResult.objects.select_for_update().filter(status=TaskResultStatus.RUNNING):
            if _orphaned(row, now, stale_after):
                # Only if still RUNNING: a live worker may have finished it meanwhile.
                updated = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(
                    status=TaskResultStatus.READY, started_at=None)
                if updated:
                    requeued.append(str(row.pk))
                    logger.warning("Task %s (%s) was left running by dead worker %s; queued again",
                                   row.pk, row.task_path, row.worker_ids[-1] if row.worker_ids else "?")
    return requeued


# --- periodic sweeps ---------------------------------------------------------------------------
# What used to need cron: every worker sweeps now and then (SWEEP_SECONDS, `run_worker
# --sweep-every`), so that propagation reports left incomplete and media left half-processed or
# never queued recover by themselves. Both sweeps are idempotent; several workers sweeping at once
# only queue tasks that find the work done (reports) or are refused by the processing lease (media).

SWEEP_SECONDS = 60.0


def sweep(*, reports_older_than: timedelta = timedelta(minutes=5),
          media_older_than: timedelta = timedelta(minutes=10),
          orphans_older_than: timedelta = timedelta(hours=2), now=None) -> dict[str, int]:
    """One sweep: {"orphans"/"reports"/"media": queued again (tasks of dead workers, incomplete
    reports, abandoned media), "time": embargo ends and expiries carried}; the planner statistics
    are refreshed too, hourly (memorial/statistics.py).
    A sweep that fails is logged and counted as -1; the others still run."""
    from archive.tasks import propagate_time_boundaries, retry_incomplete
    from media_pipeline.tasks import resume_stuck
    from memorial import statistics

    counts = {}
    # A worker killed mid-task on this host is seen at once (its pid is gone): the live workers
    # finish its task without waiting for anyone to restart it.
    for name, run in (("orphans", lambda: len(requeue_orphaned(orphans_older_than))),
                      ("reports", lambda: retry_incomplete(reports_older_than, now=now)),
                      ("media", lambda: resume_stuck(media_older_than, now=now)),
                      ("time", lambda: propagate_time_boundaries(now=now))):
        try:
            counts[name] = run()
        except Exception:
            logger.exception("Worker sweep %r failed; it runs again at the next sweep", name)
            counts[name] = -1
    try:
        statistics.refresh_if_due()
    except Exception:
        logger.exception("Refreshing the planner statistics failed; it runs again at the next sweep")
    if any(counts.values()):
        logger.info("Worker sweep queued again: %s", counts)
    return counts


HEARTBEAT_SECONDS = 15.0


def beat(worker: str, queues: str = "*", now=None) -> None:
    """Record that `worker` is alive and which queues it takes (memorial.models.WorkerHeartbeat)."""
    from memorial.models import WorkerHeartbeat

    WorkerHeartbeat.objects.update_or_create(worker_id=worker[:64], defaults={
        "queues": queues[:200], "seen_at": now or timezone.now()})


def forget(worker: str) -> None:
    from memorial.models import WorkerHeartbeat

    WorkerHeartbeat.objects.filter(worker_id=worker[:64]).delete()


class Heartbeat(threading.Thread):
    """A daemon thread beside the worker loop: a heartbeat every `interval` seconds; gone at exit."""

    def __init__(self, worker: str, queues: str, interval: float = HEARTBEAT_SECONDS) -> None:
        super().__init__(name="memories-heartbeat", daemon=True)
        self.worker, self.queues, self.interval = worker, queues, interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                beat(self.worker, self.queues)
            except Exception:  # the database is away: the worker loop will say so too
                logger.warning("Worker heartbeat could not be written", exc_info=True)
            finally:
                connections.close_all()
            self.stopped.wait(self.interval)

    def stop(self) -> None:
        self.stopped.set()


class Sweeper(threading.Thread):
    """A daemon thread beside the worker loop: one sweep at start, then one every `interval` seconds."""

    def __init__(self, interval: float = SWEEP_SECONDS) -> None:
        super().__init__(name="memories-sweeper", daemon=True)
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while True:
            try:
                sweep()
            finally:
                # This thread's own database connection: never held open between sweeps.
                connections.close_all()
            if self.stopped.wait(self.interval):
                return

    def stop(self) -> None:
        self.stopped.set()

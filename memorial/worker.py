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
django_tasks_db's db_worker with a host:pid worker id.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta

from django.db import transaction
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

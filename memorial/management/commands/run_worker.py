"""`manage.py run_worker`: db_worker that first re-queues tasks orphaned by a killed worker.

Same options as django_tasks_db's db_worker, plus --queue NAME (repeatable; without it the worker
takes every queue, consent and search work first by priority), --stale-after (seconds) and
--sweep-every (seconds; 0 turns sweeping off). The worker id defaults to "<host>:<pid>" so that the
next start on this host can tell a dead worker's tasks from a live one's. A sweeper thread beside
the worker loop re-queues incomplete propagation reports and abandoned media (memorial.worker.sweep;
`manage.py run_sweeps` does the same once, for cron), and a heartbeat thread tells /readyz the
worker is alive.
"""

from __future__ import annotations

import os
from datetime import timedelta

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from memorial.worker import SWEEP_SECONDS, Heartbeat, Sweeper, forget, requeue_orphaned, worker_id


class Command(DbWorkerCommand):
    help = "Run a database task worker, after re-queuing tasks left running by dead workers."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=worker_id(), queue_name="*")
        parser.add_argument("--queue", action="append", dest="queues", metavar="NAME",
                            help="Take tasks of this queue only (repeatable: --queue consent --queue search). "
                                 f"Queues: {', '.join(getattr(settings, 'TASK_QUEUES', ['default']))}. "
                                 "Default: every queue.")
        parser.add_argument("--stale-after", type=float, default=2 * 3600,
                            help="Seconds after which a RUNNING task of a worker on another host counts as "
                                 "orphaned (default: %(default)s)")
        parser.add_argument("--sweep-every", type=float,
                            default=float(os.environ.get("WORKER_SWEEP_SECONDS", SWEEP_SECONDS)),
                            help="Seconds between sweeps for incomplete propagation reports and abandoned "
                                 "media; 0 turns them off (default: %(default)s, env WORKER_SWEEP_SECONDS)")

    def handle(self, *args, stale_after: float, sweep_every: float, queues: list[str] | None = None,
               **options) -> None:
        if queues:
            unknown = sorted(set(queues) - set(getattr(settings, "TASK_QUEUES", ["default"])))
            if unknown:
                raise CommandError(f"Unknown queue(s): {', '.join(unknown)}. "
                                   f"Known: {', '.join(settings.TASK_QUEUES)}.")
            options["queue_name"] = ",".join(queues)
        requeued = requeue_orphaned(timedelta(seconds=stale_after))
        if requeued:
            self.stdout.write(f"Re-queued {len(requeued)} task(s) left running by dead workers.")
        # With --reload the parent process only watches files: sweep in the process that works.
        reloading_parent = options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if sweep_every > 0 and not options.get("batch") and not reloading_parent:
            Sweeper(sweep_every).start()
        heartbeat = None
        if not reloading_parent:
            heartbeat = Heartbeat(options["worker_id"], options["queue_name"])
            heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            if heartbeat is not None:
                heartbeat.stop()
                forget(options["worker_id"])

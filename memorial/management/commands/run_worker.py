"""`manage.py run_worker`: db_worker that first re-queues tasks orphaned by a killed worker.

Same options as django_tasks_db's db_worker, plus --stale-after (seconds) and --sweep-every
(seconds; 0 turns sweeping off). The worker id defaults to "<host>:<pid>" so that the next start on
this host can tell a dead worker's tasks from a live one's. A sweeper thread beside the worker loop
re-queues incomplete propagation reports and abandoned media (memorial.worker.sweep): no cron.
"""

from __future__ import annotations

import os
from datetime import timedelta

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from memorial.worker import SWEEP_SECONDS, Sweeper, requeue_orphaned, worker_id


class Command(DbWorkerCommand):
    help = "Run a database task worker, after re-queuing tasks left running by dead workers."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=worker_id())
        parser.add_argument("--stale-after", type=float, default=2 * 3600,
                            help="Seconds after which a RUNNING task of a worker on another host counts as "
                                 "orphaned (default: %(default)s)")
        parser.add_argument("--sweep-every", type=float,
                            default=float(os.environ.get("WORKER_SWEEP_SECONDS", SWEEP_SECONDS)),
                            help="Seconds between sweeps for incomplete propagation reports and abandoned "
                                 "media; 0 turns them off (default: %(default)s, env WORKER_SWEEP_SECONDS)")

    def handle(self, *args, stale_after: float, sweep_every: float, **options) -> None:
        requeued = requeue_orphaned(timedelta(seconds=stale_after))
        if requeued:
            self.stdout.write(f"Re-queued {len(requeued)} task(s) left running by dead workers.")
        # With --reload the parent process only watches files: sweep in the process that works.
        reloading_parent = options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if sweep_every > 0 and not options.get("batch") and not reloading_parent:
            Sweeper(sweep_every).start()
        super().handle(*args, **options)

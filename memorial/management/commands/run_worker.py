"""`manage.py run_worker`: db_worker that first re-queues tasks orphaned by a killed worker.

Same options as django_tasks_db's db_worker, plus --stale-after (seconds). The worker id defaults to
"<host>:<pid>" so that the next start on this host can tell a dead worker's tasks from a live one's.
"""

from __future__ import annotations

from datetime import timedelta

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from memorial.worker import requeue_orphaned, worker_id


class Command(DbWorkerCommand):
    help = "Run a database task worker, after re-queuing tasks left running by dead workers."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=worker_id())
        parser.add_argument("--stale-after", type=float, default=2 * 3600,
                            help="Seconds after which a RUNNING task of a worker on another host counts as "
                                 "orphaned (default: %(default)s)")

    def handle(self, *args, stale_after: float, **options) -> None:
        requeued = requeue_orphaned(timedelta(seconds=stale_after))
        if requeued:
            self.stdout.write(f"Re-queued {len(requeued)} task(s) left running by dead workers.")
        super().handle(*args, **options)

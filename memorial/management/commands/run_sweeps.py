"""`manage.py run_sweeps`: one sweep, for cron or a systemd timer (memorial.worker.sweep).

Carries embargo ends and expiries to every surface, queues incomplete removal reports again and
resumes media left half-processed. `run_worker` sweeps by itself every minute; this command is for
deployments whose workers run with --sweep-every 0, or as a second safety net. Idempotent: running
it beside sweeping workers only queues work that is found done. Exit status 1 when a sweep failed.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from memorial.worker import sweep


class Command(BaseCommand):
    help = "Run the periodic sweeps once (embargo/expiry propagation, report retries, stuck media)."

    def handle(self, *args, **options) -> None:
        counts = sweep()
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
        failed = [name for name, count in counts.items() if count == -1]
        if failed:
            raise CommandError(f"Sweep(s) failed: {', '.join(failed)} (see the log).")

"""`manage.py worker_alive`: exit 0 while a `run_worker` on this host has a fresh heartbeat.

A container's health check for a worker (compose.yaml): the worker's own row in the database,
younger than WORKER_HEARTBEAT_STALE, rather than "the process exists", so a worker stuck on a lost
database connection is reported unhealthy.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from memorial.models import WorkerHeartbeat
from memorial.worker import worker_id


class Command(BaseCommand):
    help = "Exit 0 when a task worker on this host has written its heartbeat recently, else 1."
    requires_system_checks: list = []  # run every few seconds: no checks

    def handle(self, *args, **options) -> None:
        host = worker_id(1).rsplit(":", 1)[0]
        fresh = timezone.now() - timedelta(seconds=settings.WORKER_HEARTBEAT_STALE)
        rows = WorkerHeartbeat.objects.filter(worker_id__startswith=f"{host}:", seen_at__gte=fresh)
        if not rows.exists():
            raise CommandError(f"no worker on {host} has beaten since {fresh:%H:%M:%S}")
        self.stdout.write(", ".join(f"{r.worker_id} ({r.queues})" for r in rows))

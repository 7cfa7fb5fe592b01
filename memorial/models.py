"""The project's one table: worker heartbeats for /readyz. (The shared generation row lives in the
archive: archive/generation.py, archive.models.Generation.)"""

from django.db import models


class WorkerHeartbeat(models.Model):
    """Written by every `run_worker` process each few seconds; read by /readyz and /metrics.

    In the database rather than the cache: every web process on every host must see every worker,
    whatever the cache is."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    queues = models.CharField(max_length=200, default="*")
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.queues}) at {self.seen_at:%Y-%m-%d %H:%M:%S}"

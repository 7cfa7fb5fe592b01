"""The project's tables: worker heartbeats for /readyz and staff recovery codes. (The shared
generation row lives in the archive: archive/generation.py, archive.models.Generation.)"""

from django.conf import settings
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


class RecoveryCode(models.Model):
    """One two-factor recovery code (memorial/recovery.py): kept only as a salted hash, usable once.

    A person who has lost their phone signs in with one of these instead of a TOTP code; they are
    shown once, when generated, and generating a new set deletes the old one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes")
    salt = models.CharField(max_length=32)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"recovery code of {self.user_id} ({'used' if self.used_at else 'unused'})"

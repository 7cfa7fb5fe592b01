"""The project's own small tables."""

from django.db import models


class PublicContentGeneration(models.Model):
    """One row: a token that changes whenever public content may have changed (memorial/pagecache.py).

    Every process (gunicorn workers, db_worker) reads it and bumps it through the database, so a
    change made anywhere drops cached pages everywhere at once.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = "public content generation"

    def __str__(self) -> str:
        return f"generation {self.token} ({self.changed_at:%Y-%m-%d %H:%M:%S})"

"""Planner statistics: kept fresh by the worker's sweep and after every migrate.

Without statistics a database plans from guesses. At 100,000 items SQLite, never analysed, read the
exhibition page by walking every published item (1.9 s; 22 ms once analysed), and an index a
migration adds has no statistics until something analyses it. SQLite never analyses by itself, and
its `PRAGMA optimize` (3.40 here) skips tables that have no statistics yet, so the sweep runs a
full `ANALYZE` (2.2 s for the whole archive of a million items) and then `PRAGMA optimize`. Not a
bounded one (`analysis_limit`): it reads the first rows of each index only, and at a million items
took `status` for a column of a thousand distinct values, so the sitemaps' last page was planned
along every published item (0.86 s instead of 20 ms). PostgreSQL's autovacuum analyses by itself; an `ANALYZE` after migrate gives a
new index its statistics at once.
"""

from __future__ import annotations

import logging
import time

from django.db import connections

logger = logging.getLogger(__name__)

# How often a worker's sweep refreshes them (per process; several workers only repeat cheap work).
EVERY_SECONDS = 3600.0
_last_run: dict[str, float] = {}


def refresh(using: str = "default") -> str:
    """Analyse the database now; returns what ran."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA optimize")
            return "sqlite: ANALYZE, PRAGMA optimize"
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
            return "postgresql: ANALYZE"
    return "none"


def refresh_if_due(using: str = "default", now: float | None = None) -> int:
    """From the sweep: 1 when the statistics were refreshed, 0 when not yet due."""
    now = time.monotonic() if now is None else now
    last = _last_run.get(using)
    if last is not None and now - last < EVERY_SECONDS:
        return 0
    _last_run[using] = now
    logger.info("Planner statistics refreshed (%s)", refresh(using))
    return 1


def after_migrate(sender, using: str = "default", **kwargs) -> None:
    """post_migrate is sent once per app after every migration ran: analyse once, for this one."""
    if sender.name == "memorial":
        refresh(using)

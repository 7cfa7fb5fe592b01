"""Liveness and readiness for load balancers and orchestrators, as JSON, never cached.

``/healthz``: the process answers (no database, no other service): restart it when this fails.
``/readyz``: the database, public and private storage and the search backend answer (503 if any
does not), with the task queue depth per queue and the workers' heartbeats. A missing or stale
worker makes it 503 only with READYZ_REQUIRE_WORKER=1: web processes stay in the balancer while
workers restart. Neither says anything about items or consent.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import storages
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _storage() -> str:
    for alias in ("public", "private"):
        storages[alias].exists("readyz-probe")  # a HEAD on S3, a stat() on disk
    return "ok"


def _search() -> str:
    from archive.search import all_backends

    down = [backend.alias for backend in all_backends() if not backend.ping()]
    if down:
        raise RuntimeError(f"search backend(s) not answering: {', '.join(down)}")
    return "ok"


def _workers() -> dict:
    from memorial.models import WorkerHeartbeat

    stale = timezone.now() - timedelta(seconds=settings.WORKER_HEARTBEAT_STALE)
    alive = list(WorkerHeartbeat.objects.filter(seen_at__gte=stale).values_list("queues", flat=True))
    queues = sorted({q for entry in alive for q in entry.split(",")})
    return {"alive": len(alive), "queues": queues}


def _queue() -> dict:
    from memorial.observability import queue_depths

    return queue_depths()


CHECKS = {"database": _database, "storage": _storage, "search": _search}


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    started = time.perf_counter()
    checks, ready = {}, True
    for name, check in CHECKS.items():
        try:
            checks[name] = check()
        except Exception as exc:  # any failure means "not ready"; the reason is logged, not shown
            logger.warning("readyz: %s failed: %s", name, exc)
            checks[name], ready = "failed", False
    if ready:
        checks["task_queue"] = _queue()
        checks["workers"] = _workers()
        if getattr(settings, "READYZ_REQUIRE_WORKER", False) and not checks["workers"]["alive"]:
            ready = False
    body = {"status": "ready" if ready else "not ready", "checks": checks,
            "took_ms": round((time.perf_counter() - started) * 1000, 1)}
    return JsonResponse(body, status=200 if ready else 503)

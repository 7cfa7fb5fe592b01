"""Request ids and Prometheus metrics.

Every request gets an id: the proxy's ``X-Request-ID`` when it is a plain token, a new one
otherwise. It is on every log line the request causes (memorial.logging.RequestIdFilter) and sent
back in the response's ``X-Request-ID``, so a visitor's report can be matched to the logs.

``/metrics`` (Prometheus text format) is not public: it answers a staff session or
``Authorization: Bearer <METRICS_TOKEN>``; anyone else gets 404. It gives
- memories_http_requests_total{view,method,status} and memories_http_request_seconds{view}
  (per process; under gunicorn set PROMETHEUS_MULTIPROC_DIR to an empty folder to sum workers),
- memories_task_queue_depth{queue}, memories_task_failures{task}, memories_workers_alive, and
  memories_consent_propagation_seconds{stat} (p50/p95/max over the last day's removal reports),
  read from the database at scrape time, so they are the same whichever process answers.
"""

from __future__ import annotations

import hmac
import os
import re
import secrets
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

from memorial.logging import request_id

_INCOMING_ID = re.compile(r"^[A-Za-z0-9._\-]{8,64}$")

REQUESTS = Counter("memories_http_requests", "HTTP requests answered by Django", ["view", "method", "status"])
LATENCY = Histogram("memories_http_request_seconds", "Time Django took to answer, per view", ["view"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))


def _view_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unresolved>"
    return match.view_name or match._func_path  # noqa: SLF001 (unnamed views: their dotted path)


class RequestObservabilityMiddleware:
    """Sets the request id (context and response header) and counts the request per view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _INCOMING_ID.match(incoming) else secrets.token_hex(16)
        request.request_id = rid
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        view = _view_name(request)
        LATENCY.labels(view).observe(time.perf_counter() - started)
        REQUESTS.labels(view, request.method, str(response.status_code)).inc()
        response["X-Request-ID"] = rid
        return response


# --- scrape-time figures from the database --------------------------------------------------------

def queue_depths() -> dict[str, int]:
    """Tasks waiting per queue (the database task backend; empty for others)."""
    from django.db.models import Count
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    depths = dict.fromkeys(getattr(settings, "TASK_QUEUES", ["default"]), 0)
    rows = DBTaskResult.objects.filter(status=TaskResultStatus.READY).values("queue_name").annotate(n=Count("id"))
    depths.update({row["queue_name"]: row["n"] for row in rows})
    return depths


def _percentile(values: list[float], fraction: float) -> float:
    return values[min(len(values) - 1, int(round(fraction * (len(values) - 1))))] if values else 0.0


def propagation_latencies(since: timedelta = timedelta(days=1)) -> dict[str, float]:
    """Seconds from a consent change to its complete removal report, over the recent reports."""
    from archive.models import RemovalReport

    rows = RemovalReport.objects.filter(completed_at__isnull=False,
                                        completed_at__gte=timezone.now() - since)
    values = sorted((r.completed_at - r.requested_at).total_seconds()
                    for r in rows.only("requested_at", "completed_at"))
    return {"p50": _percentile(values, 0.5), "p95": _percentile(values, 0.95),
            "max": values[-1] if values else 0.0, "count": float(len(values))}


class DatabaseCollector:
    """Figures shared by every process, read when Prometheus scrapes."""

    def collect(self):
        from django.db.models import Count
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        from memorial.models import WorkerHeartbeat

        depth = GaugeMetricFamily("memories_task_queue_depth", "Tasks waiting, per queue", labels=["queue"])
        for queue, count in queue_depths().items():
            depth.add_metric([queue], count)
        yield depth
        failures = GaugeMetricFamily("memories_task_failures", "Failed task results kept, per task",
                                     labels=["task"])
        rows = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).values("task_path").annotate(
            n=Count("id"))
        for row in rows:
            failures.add_metric([row["task_path"]], row["n"])
        yield failures
        stale = timezone.now() - timedelta(seconds=settings.WORKER_HEARTBEAT_STALE)
        yield GaugeMetricFamily("memories_workers_alive", "Workers with a fresh heartbeat",
                                value=WorkerHeartbeat.objects.filter(seen_at__gte=stale).count())
        latency = GaugeMetricFamily("memories_consent_propagation_seconds",
                                    "Consent change to complete removal report, last 24 h", labels=["stat"])
        for stat, value in propagation_latencies().items():
            latency.add_metric([stat], value)
        yield latency


def _allowed(request: HttpRequest) -> bool:
    token = getattr(settings, "METRICS_TOKEN", "")
    auth = request.headers.get("Authorization", "")
    given = auth[7:].strip().encode("utf-8", "surrogateescape")  # any header text, compared as bytes
    if token and auth.startswith("Bearer ") and hmac.compare_digest(given, token.encode()):
        return True
    user = getattr(request, "user", None)
    # StaffTwoFactorMiddleware has already held back a staff session without two-factor.
    return bool(user is not None and user.is_authenticated and user.is_staff)


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)  # every gunicorn worker's counters, summed
    else:
        for collector in (REQUESTS, LATENCY):
            registry.register(collector)
    registry.register(DatabaseCollector())
    return registry


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        raise Http404  # not advertised to the public
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)

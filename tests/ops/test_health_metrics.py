"""/healthz, /readyz, /metrics and request ids (memorial/health.py, memorial/observability.py)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from memorial import health
from memorial.models import WorkerHeartbeat
from memorial.worker import beat


def test_healthz_is_alive_without_the_database(client):
    # No django_db mark: pytest-django makes any database access in this test an error.
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_reports_each_part(client):
    beat("host-a:1", "consent,search")
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ready"
    checks = body["checks"]
    assert checks["database"] == checks["storage"] == checks["search"] == "ok"
    assert set(checks["task_queue"]) >= {"default", "consent", "search", "media"}
    assert checks["workers"] == {"alive": 1, "queues": ["consent", "search"]}
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_503_when_a_part_fails(client, monkeypatch):
    def broken():
        raise OSError("storage away")

    monkeypatch.setitem(health.CHECKS, "storage", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "failed"
    assert "storage away" not in response.text  # the reason goes to the log, not to the public


@pytest.mark.django_db
def test_readyz_can_require_a_live_worker(client, settings):
    settings.READYZ_REQUIRE_WORKER = True
    WorkerHeartbeat.objects.create(worker_id="old:1", seen_at=timezone.now() - timedelta(hours=1))
    assert client.get("/readyz").status_code == 503
    beat("host-a:2")
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_request_id_is_set_or_passed_through(client):
    response = client.get("/healthz")
    assert len(response["X-Request-ID"]) == 32
    assert client.get("/healthz", HTTP_X_REQUEST_ID="proxy-id-0001")["X-Request-ID"] == "proxy-id-0001"
    # Anything odd from outside is replaced, never echoed.
    assert client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


@pytest.mark.django_db
def test_metrics_are_not_public(client, settings):
    settings.METRICS_TOKEN = "metrics-secret-123"
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer é-not-ascii").status_code == 404  # not a 500
    user = get_user_model().objects.create_user("visitor", password="a-long-synthetic-pass-9")
    client.force_login(user)
    assert client.get("/metrics").status_code == 404


@pytest.mark.django_db
def test_metrics_with_the_token(client, settings):
    settings.METRICS_TOKEN = "metrics-secret-123"
    client.get("/healthz")
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer metrics-secret-123")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'memories_http_requests_total{method="GET",status="200",view="healthz"}' in text
    assert 'memories_http_request_seconds_bucket{le="0.005",view="healthz"}' in text
    assert 'memories_task_queue_depth{queue="consent"} 0.0' in text
    assert "memories_task_failures" in text and "memories_workers_alive" in text
    assert 'memories_consent_propagation_seconds{stat="p95"}' in text


@pytest.mark.django_db
def test_consent_propagation_latency_comes_from_the_removal_reports():
    from archive.models import RemovalReport
    from memorial.observability import propagation_latencies
    from tests.factories import ItemFactory

    now = timezone.now()
    for seconds in (1, 2, 3, 4, 30):
        item = ItemFactory()
        RemovalReport.objects.create(item=item, consent_version=item.current_consent,
                                     requested_at=now - timedelta(seconds=seconds), completed_at=now)
    item = ItemFactory()  # still running: not counted
    RemovalReport.objects.create(item=item, consent_version=item.current_consent, requested_at=now)
    figures = propagation_latencies()
    assert figures["count"] == 5 and figures["max"] == pytest.approx(30)
    assert figures["p50"] == pytest.approx(3)

"""Tasks: idempotent, resumable after a crash, transient storage failures retried with backoff."""

import io
import os
import re
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from media_pipeline import services, tasks, tiles
from media_pipeline.models import MediaAsset
from memorial.settings import TASK_QUEUES  # the named task queues (settings.TASKS)
from tests.media_pipeline import makers
from tests.media_pipeline.storages import FlakyRemoteStorage

pytestmark = pytest.mark.django_db


def normalised(keys, asset):
    return sorted(re.sub(str(asset.pk), "ID", k) for k in keys)


def test_processing_is_queued_after_commit_and_runs_as_a_task(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        asset = services.intake(io.BytesIO(makers.jpeg(120, 90)), "p.jpg")
        tasks.enqueue_processing(asset)
        assert MediaAsset.objects.get(pk=asset.pk).status == MediaAsset.Status.QUARANTINED
    assert len(callbacks) == 1
    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.READY and asset.failure_reason == ""


def test_processing_twice_leaves_no_duplicate_or_orphan_files(ingest, private_files, public_files):
    asset = ingest(makers.jpeg(300, 200), "p.jpg")
    services.process(asset)
    first = private_files()
    services.process(asset)  # finished: nothing to do
    assert private_files() == first
    # Forced full rerun (e.g. a worker ran it again): same keys, replaced in place.
    MediaAsset.objects.filter(pk=asset.pk).update(steps={}, status=MediaAsset.Status.PROCESSING)
    services.process(asset)
    assert private_files() == first and public_files() == []
    services.publish(asset)
    published = public_files()
    services.publish(asset)
    assert public_files() == published


def test_a_crash_mid_step_is_resumed_with_no_orphans(ingest, monkeypatch, private_files, public_files):
    reference = ingest(makers.jpeg(300, 200), "p.jpg")
    services.process(reference)
    clean = normalised([k for k in private_files() if str(reference.pk) in k], reference)

    asset = ingest(makers.jpeg(300, 200), "p.jpg")
    real = tiles.make_pyramid

    def dies_half_way(src, out_dir):
        real(src, out_dir)
        os.makedirs(os.path.join(out_dir, "half"), exist_ok=True)
        Path(os.path.join(out_dir, "half", "tile.jpg")).write_bytes(b"partial")
        raise SystemExit("worker killed")  # not an error the pipeline handles: like a kill

    monkeypatch.setattr(tiles, "make_pyramid", dies_half_way)
    monkeypatch.setattr("media_pipeline.services.processing.shutil.rmtree", lambda *a, **k: None)  # no cleanup ran
    with pytest.raises(SystemExit):
        services.process(asset)
    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.PROCESSING and set(asset.steps) == {"master"}
    assert any(".build" in k for k in private_files())  # the killed worker's leftovers
    monkeypatch.undo()

    services.process(asset)
    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.READY and set(asset.steps) == {"master", "derivatives"}
    mine = normalised([k for k in private_files() if str(asset.pk) in k], asset)
    assert mine == clean
    assert public_files() == []


@pytest.fixture
def flaky(settings, media_storage):
    """Swap a storage alias for FlakyRemoteStorage over the same folder; yields the class to break it."""
    FlakyRemoteStorage.broken, FlakyRemoteStorage.fail_after, FlakyRemoteStorage.writes = False, None, 0

    def use(alias):
        opts = dict(settings.STORAGES[alias]["OPTIONS"])
        settings.STORAGES = {**settings.STORAGES, alias: {
            "BACKEND": "tests.media_pipeline.storages.FlakyRemoteStorage", "OPTIONS": opts}}
        return FlakyRemoteStorage

    yield use
    FlakyRemoteStorage.broken, FlakyRemoteStorage.fail_after = False, None


def test_storage_unavailable_is_retried_with_backoff_and_nothing_is_public(flaky, ingest, public_files):
    asset = ingest(makers.jpeg(200, 150), "p.jpg")
    flaky("private").broken = True
    assert tasks.process_asset.enqueue(str(asset.pk)).return_value == "retry"
    asset.refresh_from_db()
    assert asset.attempts == 1 and asset.status == MediaAsset.Status.PROCESSING
    assert "Storage could not be reached" in asset.failure_reason and "30 seconds" in asset.failure_reason
    assert asset.next_attempt_at > timezone.now()
    assert public_files() == []
    assert tasks.retry_due() == 0  # not due yet
    tasks.process_asset.enqueue(str(asset.pk))
    asset.refresh_from_db()
    assert asset.attempts == 2 and "60 seconds" in asset.failure_reason  # the backoff doubles
    FlakyRemoteStorage.broken = False  # storage is back
    assert tasks.retry_due(now=asset.next_attempt_at) == 1
    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.READY and asset.failure_reason == "" and asset.attempts == 0


def test_retries_stop_after_the_limit_with_a_reason_for_the_curator(settings, flaky, ingest):
    asset = ingest(makers.jpeg(200, 150), "p.jpg")
    settings.MEDIA_PIPELINE = {"RETRY_LIMIT": 2}
    flaky("private").broken = True
    results = [tasks.process_asset.enqueue(str(asset.pk)).return_value for _ in range(3)]
    assert results == ["retry", "retry", "failed"]
    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.FAILED and "technician" in asset.failure_reason


def test_publishing_into_broken_public_storage_leaves_nothing_public(flaky, ingest, public_files):
    asset = ingest(makers.jpeg(200, 150), "p.jpg")
    services.process(asset)
    flaky("public").fail_after = 3  # the network goes away in the middle of publishing
    assert tasks.publish_asset.enqueue(str(asset.pk)).return_value == "retry"
    asset.refresh_from_db()
    assert not asset.is_published and services.public_urls(asset) == {}
    assert public_files() == []
    assert "Storage could not be reached" in asset.failure_reason
    FlakyRemoteStorage.fail_after = None
    assert tasks.publish_asset.enqueue(str(asset.pk)).return_value == "published"
    assert public_files()


def test_deferring_backend_gets_the_retry_with_run_after(settings, flaky, ingest):
    from django_tasks_db.models import DBTaskResult

    asset = ingest(makers.jpeg(64, 48), "p.jpg")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
    flaky("private").broken = True
    assert tasks.process_asset.call(str(asset.pk)) == "retry"
    queued = DBTaskResult.objects.get(task_path="media_pipeline.tasks.process_asset")
    assert queued.args_kwargs["args"] == [str(asset.pk)]
    assert 25 < (queued.run_after - timezone.now()).total_seconds() <= 30


def test_two_workers_never_process_one_asset(ingest, private_files):
    import socket
    import subprocess
    import sys
    from datetime import timedelta

    asset = ingest(makers.jpeg(120, 90), "p.jpg")
    host = socket.gethostname()[:40]
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        MediaAsset.objects.filter(pk=asset.pk).update(lease_owner=f"{host}:{alive.pid}:1",
                                                      lease_until=timezone.now() + timedelta(minutes=5))
        assert tasks.process_asset.enqueue(str(asset.pk)).return_value == "busy"
        asset.refresh_from_db()
        assert asset.steps == {} and [k for k in private_files() if "/d/" in k] == []
    finally:
        alive.kill()
        alive.wait()
    # The claim of a worker that died is taken over at once; an expired one too.
    assert tasks.process_asset.enqueue(str(asset.pk)).return_value == "ready"
    asset.refresh_from_db()
    assert asset.lease_owner == "" and asset.lease_until is None

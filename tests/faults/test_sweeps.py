"""The worker's periodic sweep (memorial.worker.sweep, run by `manage.py run_worker`): incomplete
propagation reports and abandoned media recover by themselves, with no cron. The sweep function is
called directly (tasks run at once on the test backend); no timer, no sleeping."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from archive import tasks as archive_tasks
from archive.models import RemovalReport
from media_pipeline import services as pipeline
from media_pipeline.models import MediaAsset
from memorial import worker
from tests.factories import ItemFactory
from tests.media_pipeline.makers import jpeg


@pytest.fixture(autouse=True)
def own_storage(fresh_storage):
    return fresh_storage


def lost_report(age: timedelta, **fields) -> RemovalReport:
    """A report whose task never ran (its worker's queue was lost), requested `age` ago."""
    item = ItemFactory()
    return RemovalReport.objects.create(item=item, consent_version=item.current_consent,
                                        requested_at=timezone.now() - age, **fields)


def abandoned_asset(age: timedelta) -> MediaAsset:
    """An upload taken in but never processed (its task was lost), last touched `age` ago."""
    asset = pipeline.intake(io.BytesIO(jpeg(320, 240)), "photo.jpg")
    MediaAsset.objects.filter(pk=asset.pk).update(updated_at=timezone.now() - age)
    return asset


@pytest.mark.django_db
def test_sweep_completes_lost_reports_and_processes_abandoned_media():
    old, fresh = lost_report(timedelta(minutes=10)), lost_report(timedelta(minutes=1))
    asset, recent = abandoned_asset(timedelta(minutes=20)), abandoned_asset(timedelta(minutes=1))
    assert asset.status == MediaAsset.Status.QUARANTINED

    assert worker.sweep() == {"orphans": 0, "reports": 1, "media": 1, "time": 0}

    old.refresh_from_db(), fresh.refresh_from_db(), asset.refresh_from_db(), recent.refresh_from_db()
    assert old.completed_at is not None and {e["surface"] for e in old.surfaces}
    assert fresh.completed_at is None  # its own task may still be on its way
    assert asset.status == MediaAsset.Status.READY and asset.derivatives
    assert recent.status == MediaAsset.Status.QUARANTINED
    # Nothing left to do: the next sweep queues nothing again.
    assert worker.sweep() == {"orphans": 0, "reports": 0, "media": 0, "time": 0}


@pytest.mark.django_db
def test_a_report_that_spent_its_retries_waits_longer_each_round():
    # A whole round of retries failed 6 minutes ago: the sweep waits 10 minutes (5, doubled).
    failed_at = timezone.now() - timedelta(minutes=6)
    report = lost_report(timedelta(hours=1), attempts=archive_tasks.MAX_ATTEMPTS, surfaces=[
        {"surface": "search", "error": "ConnectionError: down", "failed_at": failed_at.isoformat()}])
    assert archive_tasks.retry_incomplete(timedelta(minutes=5)) == 0
    report.refresh_from_db()
    assert report.completed_at is None
    later = timezone.now() + timedelta(minutes=5)
    assert archive_tasks.retry_incomplete(timedelta(minutes=5), now=later) == 1
    report.refresh_from_db()
    assert report.completed_at is not None


@pytest.mark.django_db
def test_one_failing_sweep_does_not_stop_the_other(monkeypatch):
    asset = abandoned_asset(timedelta(minutes=20))

    def broken(*args, **kwargs):  # a fault we cannot cause for real without breaking the database
        raise RuntimeError("reports table unavailable")

    monkeypatch.setattr(archive_tasks, "retry_incomplete", broken)
    assert worker.sweep() == {"orphans": 0, "reports": -1, "media": 1, "time": 0}
    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.READY


@pytest.mark.django_db(transaction=True)
def test_sweeper_thread_body_sweeps_once_then_stops_when_told():
    # Run in this thread with the stop already set: exactly one sweep, and run() returns.
    asset = abandoned_asset(timedelta(minutes=20))
    sweeper = worker.Sweeper(interval=3600)
    sweeper.stop()
    sweeper.run()
    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.READY

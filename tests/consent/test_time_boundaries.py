"""Embargo ends and expiries reach files in public storage, which cannot answer at read time.

Pages, search and IIIF follow the clock by themselves; public derivatives and tiles must be
retracted at expiry and published at the end of an embargo, by the worker's sweep.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from archive import services
from archive.models import ItemMedia
from archive.tasks import propagate_time_boundaries
from media_pipeline import services as media
from media_pipeline.models import MediaAsset
from tests.consent.media import photo
from tests.factories import ItemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _item_with_photo(**consent):
    item = ItemFactory(consent=False)
    asset = media.process(media.intake(photo(), "photo.jpg"))
    ItemMedia.objects.create(item=item, asset=asset, role="photo")
    services.record_consent(item, scopes=["web", "search", "iiif", "exhibition"], actor_label="test",
                            propagate=False, **consent)
    from archive.tasks import propagate_consent

    propagate_consent.call(str(item.pk), item.current_consent_id)
    asset.refresh_from_db()
    return item, asset


def _at(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_expiry_retracts_public_files_and_only_once(client, monkeypatch, fresh_storage,
                                                     django_capture_on_commit_callbacks):
    now = timezone.now()
    item, asset = _item_with_photo(expires_at=now + timedelta(hours=1))
    assert asset.is_published
    thumb = media.public_urls(asset)["thumb"]
    assert client.get(thumb).status_code == 200

    assert propagate_time_boundaries(now=now) == 0  # not yet
    later = now + timedelta(hours=2)
    _at(monkeypatch, later)
    with django_capture_on_commit_callbacks(execute=True):  # the sweep queues the task after commit
        assert propagate_time_boundaries(now=later) == 1
    asset.refresh_from_db()
    assert not asset.is_published
    assert client.get(thumb).status_code == 404
    assert not any(p.is_file() for p in fresh_storage["public"].rglob("*"))
    assert propagate_time_boundaries(now=later) == 0  # carried once


def test_embargo_end_publishes_files(monkeypatch, fresh_storage, django_capture_on_commit_callbacks):
    now = timezone.now()
    item, asset = _item_with_photo(embargo_until=now + timedelta(hours=1))
    assert asset.status == MediaAsset.Status.READY and not asset.is_published
    assert propagate_time_boundaries(now=now) == 0
    later = now + timedelta(hours=2)
    _at(monkeypatch, later)
    with django_capture_on_commit_callbacks(execute=True):  # the sweep queues the task after commit
        assert propagate_time_boundaries(now=later) == 1
    asset.refresh_from_db()
    assert asset.is_published

"""A web server in front (nginx serving the public folder from disk, SERVE_PUBLIC_MEDIA=0) asks no
gate of ours: closed files leave the disk right after the closing commit, with no worker running
(tests/stack proves it through a real nginx)."""

from __future__ import annotations

import os

import pytest

from memorial.settings import TASK_QUEUES
from tests.consent.files import public_item

pytestmark = pytest.mark.django_db
TOKEN = "n" * 43


def files(root) -> list[str]:
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs)


def test_withdrawal_takes_the_files_off_the_disk_before_returning(client, settings, fresh_storage,
                                                                   django_capture_on_commit_callbacks):
    settings.SITE_URL = "http://testserver"
    settings.MEDIA_PIPELINE = {**getattr(settings, "MEDIA_PIPELINE", {}), "REMOVE_CLOSED_AT_ONCE": True}
    # The database queue: the propagation task is only queued, never run, in this test.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
    public_item(TOKEN)
    assert any(f.endswith("/iiif/info.json") for f in files(fresh_storage["public"]))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/api/consent/{TOKEN}/withdraw").status_code == 200
    assert files(fresh_storage["public"]) == []

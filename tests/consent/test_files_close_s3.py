"""With S3 no gate of ours stands in front of the public bucket: the closed files are deleted (batch
DeleteObjects) and the CDN purge hook is called with their prefixes before the call returns, with no
worker running."""

from __future__ import annotations

import boto3
import pytest

from archive import services
from memorial.settings import TASK_QUEUES  # the named task queues (settings.TASKS)
from tests.consent.files import public_item
from tests.media_pipeline.test_s3 import s3_endpoint, s3_storages  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.s3]
TOKEN = "s" * 43
PURGED: list[list[str]] = []


def record_purge(prefixes: list[str]) -> None:
    PURGED.append(list(prefixes))


@pytest.fixture
def on_s3(settings, s3_storages, s3_endpoint):  # noqa: F811
    settings.SITE_URL = "http://testserver"
    settings.MEDIA_PIPELINE = {**getattr(settings, "MEDIA_PIPELINE", {}),
                               "PURGE_HOOK": f"{__name__}.record_purge"}
    item = public_item(TOKEN)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
    client = boto3.client("s3", endpoint_url=s3_endpoint, aws_access_key_id="testing",
                          aws_secret_access_key="testing", region_name="us-east-1")
    bucket = settings.STORAGES["public"]["OPTIONS"]["bucket_name"]
    PURGED.clear()

    def keys() -> list[str]:
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return sorted(o["Key"] for page in pages for o in page.get("Contents", []))

    return item, keys


def test_withdrawal_deletes_the_public_objects_and_purges_before_returning(client, on_s3,
                                                                            django_capture_on_commit_callbacks):
    item, keys = on_s3
    before = keys()
    tokens = {k.split("/")[1] for k in before}
    assert len(tokens) == 3 and any(k.endswith("/iiif/info.json") for k in before)
    # The test's transaction stands for the request's: its commit runs the callbacks.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/api/consent/{TOKEN}/withdraw").status_code == 200
    assert keys() == []
    assert sorted(p for batch in PURGED for p in batch) == sorted(f"p/{t}" for t in tokens)


def test_iiif_removed_deletes_the_image_service_only(on_s3, django_capture_on_commit_callbacks):
    item, keys = on_s3
    before = keys()
    current = item.current_consent
    with django_capture_on_commit_callbacks(execute=True):
        services.record_consent(item, scopes=["web", "search"], actor_label="test",
                                name_display=current.name_display, display_name=current.display_name)
    after = keys()
    assert [k for k in after if "/iiif/" in k] == []
    assert after == [k for k in before if "/iiif/" not in k] and any(k.endswith("/web.jpg") for k in after)
    assert [p for batch in PURGED for p in batch] == [k.rsplit("/iiif/", 1)[0] + "/iiif" for k in before
                                                      if k.endswith("/iiif/info.json")]

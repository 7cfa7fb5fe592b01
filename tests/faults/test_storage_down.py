"""Storage unavailable in the middle of an ingest: retried, nothing lost, nothing public.

Storage is S3 through django-storages against a real S3 API server (a moto_server process of
this test's own). A contribution with a photograph comes in through the REST API; the moment the
pipeline starts writing the processed files, the S3 server is frozen (SIGSTOP: connections hang,
exactly like an unreachable endpoint) and the writes time out. Then: the contribution is kept, the
quarantined original is intact, the item cannot be published, the public bucket is empty. With the
server back (SIGCONT) the retry finishes the processing and the item can be published.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from django.contrib.auth import get_user_model
from django.core.files.storage import storages
from django.utils import timezone
from rest_framework.test import APIClient

from archive import moderation
from archive.models import Item
from media_pipeline import services
from media_pipeline import tasks as media_tasks
from media_pipeline.models import MediaAsset
from tests.media_pipeline import makers

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
CREDS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}


@pytest.fixture
def moto():
    """A moto_server of our own: freezing the shared one would break other tests."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1)  # noqa: S310 (loopback)
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError("moto_server did not start") from None
            time.sleep(0.2)
    yield proc, url
    os.kill(proc.pid, signal.SIGCONT)
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def s3(settings, moto):
    proc, url = moto
    client = boto3.client("s3", endpoint_url=url, **CREDS)
    buckets = {"public": f"pub-{uuid.uuid4().hex[:10]}", "private": f"priv-{uuid.uuid4().hex[:10]}"}
    for bucket in buckets.values():
        client.create_bucket(Bucket=bucket)
    # Short timeouts and no botocore retries: the pipeline's own retry (with backoff) is under test.
    common = {"endpoint_url": url, "access_key": "testing", "secret_key": "testing", "region_name": "us-east-1",
              "file_overwrite": True, "addressing_style": "path",
              "client_config": Config(connect_timeout=1, read_timeout=1, retries={"max_attempts": 1})}
    private = {"BACKEND": "media_pipeline.storage_backends.PrivateS3Storage",
               "OPTIONS": {**common, "bucket_name": buckets["private"], "default_acl": "private"}}
    settings.SERVE_PUBLIC_MEDIA = False  # the public bucket serves itself; no local folder to serve
    settings.STORAGES = {
        **settings.STORAGES, "default": private, "private": private,
        "public": {"BACKEND": "media_pipeline.storage_backends.PublicS3Storage",
                   "OPTIONS": {**common, "bucket_name": buckets["public"], "querystring_auth": False}},
    }

    def keys(which: str) -> list[str]:
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=buckets[which])
        return sorted(o["Key"] for page in pages for o in page.get("Contents", []))

    def read(which: str, key: str) -> bytes:
        return client.get_object(Bucket=buckets[which], Key=key)["Body"].read()

    return {"proc": proc, "keys": keys, "read": read}


def _freeze_on_first_processed_write(proc: subprocess.Popen) -> dict:
    """Freeze the S3 server when the pipeline first writes something other than the original upload."""
    state = {"frozen": False}

    def before_send(request, **kwargs):
        if (not state["frozen"] and request.method in ("PUT", "POST") and "/assets/" in request.url
                and "/original." not in request.url):
            os.kill(proc.pid, signal.SIGSTOP)
            state["frozen"] = True

    storages["private"].connection.meta.client.meta.events.register("before-send.s3", before_send)
    return state


def test_storage_down_mid_ingest_is_retried_nothing_lost_nothing_public(s3, django_capture_on_commit_callbacks):
    photo = makers.jpeg(1200, 900)
    frozen = _freeze_on_first_processed_write(s3["proc"])
    api = APIClient()
    with django_capture_on_commit_callbacks(execute=True):  # processing runs as the request commits
        response = api.post("/api/contributions/", {
            "kind": "photograph", "title": "The bus stop, afterwards", "story": "A synthetic story.",
            "language": "en", "files": [io.BytesIO(photo)],
            "consent": json.dumps({"scopes": ["web", "search", "iiif"], "name_display": "anonymous"}),
        }, format="multipart")
    try:
        assert frozen["frozen"], "the pipeline never wrote a processed file: the fault was not injected"
        assert response.status_code == 201, response.content  # the contribution itself is safe
        item = Item.objects.get(contribution_id=response.json()["id"])
        asset = MediaAsset.objects.get(uses__item=item)
        assert asset.status == MediaAsset.Status.PROCESSING  # waiting for a retry, not failed for good
        assert asset.attempts == 1 and asset.next_attempt_at is not None
        assert "Storage could not be reached" in asset.failure_reason
        # A curator cannot publish half-made media, and the public sees nothing.
        curator = get_user_model().objects.create_user("curator-faults", password="x", is_staff=True)
        with pytest.raises(moderation.ModerationError):
            moderation.approve(item, actor=curator)
        assert api.get(f"/api/items/{item.pk}/").status_code == 404
    finally:
        os.kill(s3["proc"].pid, signal.SIGCONT)

    assert s3["keys"]("public") == []
    original = s3["read"]("private", asset.original_key)
    assert hashlib.sha256(original).hexdigest() == asset.original_sha256  # nothing lost

    # The retry sweep (what the worker runs for backends that cannot defer) finishes the job.
    assert media_tasks.retry_due(now=timezone.now() + timedelta(hours=1)) == 1
    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.READY and asset.failure_reason == ""
    assert MediaAsset.objects.count() == 1  # no duplicate asset from the retry
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(item, actor=curator)
    assert api.get(f"/api/items/{item.pk}/").status_code == 200
    asset.refresh_from_db()
    public = s3["keys"]("public")
    # Published now, and only under this asset's current public prefix (no stray earlier attempt).
    assert public and all(k.startswith(services.public_prefix(asset) + "/") for k in public)
    assert any(k.endswith("info.json") for k in public)

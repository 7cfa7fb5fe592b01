"""The pipeline on S3 (django-storages S3Storage) against a real S3 API server (moto_server)."""

import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import boto3
import pytest

from media_pipeline import services
from media_pipeline.models import MediaAsset
from tests.media_pipeline import makers
from tests.media_pipeline.test_images import run_iiif_validator, validator_image

pytestmark = [pytest.mark.django_db, pytest.mark.s3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    """MEMORIES_TEST_S3_ENDPOINT when the runner started one, else our own moto_server."""
    if os.environ.get("MEMORIES_TEST_S3_ENDPOINT"):
        yield os.environ["MEMORIES_TEST_S3_ENDPOINT"].rstrip("/")
        return
    port = _free_port()
    moto = Path(sys.executable).parent / "moto_server"
    proc = subprocess.Popen([str(moto), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1)
            break
        except Exception:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError("moto_server did not start") from None
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def s3_storages(settings, s3_endpoint):
    creds = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}
    client = boto3.client("s3", endpoint_url=s3_endpoint, **creds)
    buckets = {"public": f"pub-{uuid.uuid4().hex[:12]}", "private": f"priv-{uuid.uuid4().hex[:12]}"}
    for b in buckets.values():
        client.create_bucket(Bucket=b)
    # As in production: the public bucket (or its CDN) serves anyone; the private one nobody.
    client.put_bucket_policy(Bucket=buckets["public"], Policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                       "Resource": f"arn:aws:s3:::{buckets['public']}/*"}]}))
    common = {"endpoint_url": s3_endpoint, "access_key": "testing", "secret_key": "testing",
              "region_name": "us-east-1", "file_overwrite": True, "addressing_style": "path"}
    settings.STORAGES = {
        **settings.STORAGES,
        "public": {"BACKEND": "media_pipeline.storage_backends.PublicS3Storage",
                   "OPTIONS": {**common, "bucket_name": buckets["public"], "querystring_auth": False}},
        "private": {"BACKEND": "media_pipeline.storage_backends.PrivateS3Storage",
                    "OPTIONS": {**common, "bucket_name": buckets["private"], "querystring_auth": True,
                                "default_acl": "private"}},
    }

    def keys(which):
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=buckets[which])
        return sorted(o["Key"] for page in pages for o in page.get("Contents", []))

    keys.buckets = buckets
    return keys


def status_of(url):
    try:
        return urllib.request.urlopen(url).status
    except urllib.error.HTTPError as e:
        return e.code


def test_image_pipeline_on_s3(s3_storages, s3_endpoint):
    asset = services.intake(io.BytesIO(makers.jpeg(640, 480, orientation=6, gps=True)), "holiday.jpg")
    assert s3_storages("private") == [asset.original_key] and s3_storages("public") == []
    services.process(asset)
    assert asset.status == MediaAsset.Status.READY
    assert s3_storages("public") == []  # nothing public before publication
    private = s3_storages("private")
    assert asset.master_key in private and any("/iiif/full/max/0/default.jpg" in k for k in private)
    assert status_of(f"{s3_endpoint}/{s3_storages.buckets['private']}/{asset.master_key}") == 403
    services.process(asset)  # idempotent on S3 too
    assert s3_storages("private") == private

    services.publish(asset)
    urls = services.public_urls(asset)
    assert urls["web"].startswith(s3_endpoint)
    for name, url in urls.items():
        if name != "iiif":
            served = urllib.request.urlopen(url)
            assert served.headers["Cache-Control"] == "public, max-age=60"  # PublicS3Storage's own
            body = served.read()
            assert body and b"GPS" not in body and b"SERIAL-123456789" not in body
    info = json.load(urllib.request.urlopen(urls["iiif"] + "/info.json"))
    assert info["id"] == services.image_service_id(asset) == urls["iiif"]

    services.retract(asset)
    assert s3_storages("public") == []
    assert all(status_of(u) == 404 for k, u in urls.items() if k != "iiif")
    services.erase(asset)
    assert s3_storages("private") == []


def test_iiif_tiles_served_from_s3_pass_the_validator(s3_storages):
    asset = services.intake(io.BytesIO(validator_image()), "pattern.png")
    services.process(asset)
    services.publish(asset)
    outcome = run_iiif_validator(services.image_service_id(asset))
    assert outcome and all(v == "ok" for v in outcome.values()), outcome


def test_recording_and_transcript_on_s3(s3_storages):
    rec = services.intake(io.BytesIO(makers.wav(0.4)), "voice.wav")
    vtt = services.intake(io.BytesIO(makers.VTT.encode()), "voice.vtt")
    for a in (rec, vtt):
        services.process(a)
        services.publish(a)
    assert urllib.request.urlopen(services.public_urls(rec)["audio"]).read(12)[4:8] == b"ftyp"
    assert urllib.request.urlopen(services.public_urls(vtt)["vtt"]).read().startswith(b"WEBVTT")
    assert services.verify_fixity(rec).ok and services.verify_fixity(vtt).ok


def _spy_threads(monkeypatch) -> set[str]:
    """Names of the threads that stored files (an observation, not a fake: the real put_file runs)."""
    from media_pipeline import storage as mstorage

    names: set[str] = set()
    real = mstorage.put_file

    def recording(*args, **kwargs):
        names.add(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(mstorage, "put_file", recording)
    return names


def _copy_threads(monkeypatch) -> set[str]:
    """Names of the threads that asked S3 to copy (the real copy runs)."""
    from media_pipeline import storage as mstorage

    names: set[str] = set()
    real = mstorage._s3_copy

    def recording(*args, **kwargs):
        names.add(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(mstorage, "_s3_copy", recording)
    return names


def test_published_tile_set_is_complete_and_uploaded_side_by_side(s3_storages, settings, monkeypatch):
    settings.MEDIA_PIPELINE = {**getattr(settings, "MEDIA_PIPELINE", {}), "TILE_SIZE": 128}
    threads = _spy_threads(monkeypatch)
    asset = services.intake(io.BytesIO(makers.jpeg(1400, 1000)), "street.jpg")
    services.process(asset)
    assert len({t for t in threads if t.startswith("mp-transfer")}) > 1  # the tile set went in parallel
    services.publish(asset)
    prefix = asset.derivatives["iiif"]
    private = {k[len(prefix) + 1:] for k in s3_storages("private") if k.startswith(prefix + "/")}
    target = f"{services.public_prefix(asset)}/iiif"
    public = {k[len(target) + 1:] for k in s3_storages("public") if k.startswith(target + "/")}
    assert len(private) > 60 and public == private  # every tile, and nothing else
    base = services.image_service_id(asset)
    client = boto3.client("s3", endpoint_url=settings.STORAGES["private"]["OPTIONS"]["endpoint_url"],
                          aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1")
    for rel in sorted(private - {"info.json"})[::9]:
        served = urllib.request.urlopen(f"{base}/{rel}")
        assert served.headers["Content-Type"] == "image/jpeg"
        assert served.headers["Cache-Control"] == "public, max-age=60"  # set on the server-side copy too
        kept = client.get_object(Bucket=s3_storages.buckets["private"], Key=f"{prefix}/{rel}")["Body"].read()
        assert served.read() == kept


def test_copy_tree_between_buckets_in_parallel(s3_storages, tmp_path, monkeypatch):
    from django.core.files.storage import storages

    from media_pipeline import storage as mstorage

    for i in range(40):
        path = tmp_path / "tiles" / f"{i % 5}" / f"{i}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(makers.jpeg(16, 16) + bytes([i]))
    written = mstorage.upload_tree(str(tmp_path / "tiles"), storages["private"], "set/iiif")
    assert len(written) == 40 and s3_storages("private") == written
    threads = _copy_threads(monkeypatch)
    copied = mstorage.copy_tree(storages["private"], "set/iiif", storages["public"], "pub/iiif")
    assert copied == [k.replace("set/", "pub/", 1) for k in written] == s3_storages("public")
    assert len({t for t in threads if t.startswith("mp-transfer")}) > 1
    client = storages["public"].connection.meta.client
    for key in copied:
        assert mstorage.read_bytes(storages["public"], key) == (tmp_path / "tiles" / key.split("iiif/")[1]).read_bytes()
        assert client.head_object(Bucket=s3_storages.buckets["public"], Key=key)["ContentType"] == "image/jpeg"


def test_a_failed_parallel_upload_raises_a_retryable_error(s3_storages, settings, tmp_path):
    from django.core.files.storage import storages

    from media_pipeline import storage as mstorage
    from media_pipeline.exceptions import TransientStorageError

    settings.STORAGES = {**settings.STORAGES, "public": {**settings.STORAGES["public"], "OPTIONS": {
        **settings.STORAGES["public"]["OPTIONS"], "bucket_name": f"missing-{uuid.uuid4().hex[:8]}"}}}
    for i in range(12):
        (tmp_path / f"{i}.jpg").write_bytes(makers.jpeg(16, 16))
    with pytest.raises(TransientStorageError):
        mstorage.upload_tree(str(tmp_path), storages["public"], "x/iiif")

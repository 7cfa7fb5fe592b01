#!/usr/bin/env python
"""Benchmark: a tile set uploaded to and copied between S3 buckets, one by one vs on the pool.

    .venv/bin/python bench/s3_transfer.py [--tiles 400] [--endpoint http://127.0.0.1:PORT]

Starts its own moto_server (an S3 API server) unless --endpoint is given, writes `--tiles` small
JPEG-sized files, and times media_pipeline.storage.upload_tree (local -> private bucket) and
copy_tree (private bucket -> public bucket, a server-side copy per file) with the pool of
TRANSFER_THREADS and with one thread, plus the old way of copying (download + upload per file, one by
one) as the baseline in the same run. Prints files per second and the ratios.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_moto() -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1)
            return proc, url
        except Exception:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("moto_server did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tiles", type=int, default=400)
    parser.add_argument("--endpoint")
    args = parser.parse_args()
    proc, endpoint = (None, args.endpoint) if args.endpoint else start_moto()
    try:
        var_dir = tempfile.mkdtemp(prefix="bench-s3-")
        os.environ.update({"MEMORIES_VAR_DIR": var_dir, "DJANGO_SETTINGS_MODULE": "memorial.settings",
                           "LOG_LEVEL": "WARNING"})
        import boto3
        import django
        from django.conf import settings

        django.setup()
        from django.core.files.storage import storages

        from media_pipeline import storage as mstorage

        client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="bench", aws_secret_access_key="bench",
                              region_name="us-east-1")
        tiles = Path(var_dir) / "tiles"
        payload = os.urandom(12_000)  # about a 512 px JPEG tile
        for i in range(args.tiles):
            path = tiles / str(i % 8) / f"{i}.jpg"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(payload)
        common = {"endpoint_url": endpoint, "access_key": "bench", "secret_key": "bench",
                  "region_name": "us-east-1", "file_overwrite": True, "addressing_style": "path"}
        results = {}
        for threads in (1, mstorage.TRANSFER_THREADS):
            buckets = {name: f"bench-{name}-{uuid.uuid4().hex[:8]}" for name in ("private", "public")}
            for bucket in buckets.values():
                client.create_bucket(Bucket=bucket)
            settings.STORAGES = {**settings.STORAGES, **{
                name: {"BACKEND": f"media_pipeline.storage_backends.{name.title()}S3Storage",
                       "OPTIONS": {**common, "bucket_name": bucket}}
                for name, bucket in buckets.items()}}
            storages._storages = {}  # the handler caches instances; the buckets changed
            mstorage._pool = None
            mstorage.TRANSFER_THREADS = threads
            mstorage.upload_tree(str(tiles), storages["private"], "warm-up")  # connections made once
            started = time.perf_counter()
            mstorage.upload_tree(str(tiles), storages["private"], "set/iiif")
            upload = time.perf_counter() - started
            started = time.perf_counter()
            mstorage.copy_tree(storages["private"], "set/iiif", storages["public"], "pub/iiif")
            copy = time.perf_counter() - started
            if threads == 1:
                # The way without copy_tree: a download and an upload per file, one by one.
                started = time.perf_counter()
                for key in mstorage.walk(storages["private"], "set/iiif"):
                    with mstorage.fetched(storages["private"], key) as path:
                        mstorage.put_file(storages["public"], "old/" + key, path)
                old = time.perf_counter() - started
                print(f"   baseline fetch+put one by one: {args.tiles / old:7.1f} files/s")
            results[threads] = (args.tiles / upload, args.tiles / copy)
            print(f"{threads:>2} thread(s): upload_tree {results[threads][0]:7.1f} files/s, "
                  f"copy_tree {results[threads][1]:7.1f} files/s")
        one, many = results[1], results[max(results)]
        print(f"ratio pool/one: upload {many[0] / one[0]:.2f}x, copy {many[1] / one[1]:.2f}x "
              f"({args.tiles} files, moto_server on this machine)")
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()

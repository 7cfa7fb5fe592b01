"""nginx with deploy/nginx.conf in front of a real gunicorn: public media is sent from disk only
while the media gate says so. A closed file answers 404 through nginx at once (its bytes are
deleted at the closing commit, SERVE_PUBLIC_MEDIA=0), and one past its public_until answers 404
although its bytes are still on disk (the gate, whose answer nginx keeps for one second per
folder); the gate is unreachable from outside."""

from __future__ import annotations

import os
import pwd
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.ops.test_deploy import ROOT, _tool, render_nginx

pytestmark = pytest.mark.slow

SETUP = """
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from media_pipeline.models import MediaAsset
for _ in range(2):
    a = MediaAsset.objects.create(kind="image", status="ready", is_published=True, tiles_public=True)
    print(a.public_token)
"""
CLOSE = """
import sys, django; django.setup()
from datetime import timedelta
from django.db import transaction
from django.utils import timezone
from media_pipeline import publication
from media_pipeline.models import MediaAsset
first, second = (MediaAsset.objects.get(public_token=t) for t in sys.argv[1:3])
with transaction.atomic():
    publication.close([first])
publication.set_public_until([second], timezone.now() - timedelta(seconds=1))
"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _wait(url: str, procs: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert all(p.poll() is None for p in procs), "a server exited"
        try:
            _status(url)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


def start_web_and_nginx(tmp_path: Path, env: dict[str, str], **values: str) -> tuple[list[subprocess.Popen], int]:
    """One gunicorn and nginx with deploy/nginx.conf in front (public media under tmp_path/var/public,
    `values`: more placeholders), both answering; (processes, nginx's port)."""
    web, front = _port(), _port()
    (tmp_path / "nginx").mkdir()
    conf = tmp_path / "nginx" / "nginx.conf"
    conf.write_text(render_nginx.standalone(str(tmp_path / "nginx"), {
        "MEMORIES_UPSTREAM_SERVERS": f"server 127.0.0.1:{web};", "MEMORIES_LISTEN": f"127.0.0.1:{front}",
        "MEMORIES_STATIC_ROOT": f"{tmp_path}/static/", "MEMORIES_MEDIA_ROOT": f"{tmp_path}/var/public/", **values},
        user=pwd.getpwuid(os.getuid()).pw_name if os.getuid() == 0 else None))
    procs = [
        subprocess.Popen([sys.executable, "-m", "gunicorn", "memorial.wsgi:application", "-c",
                          "python:memorial.gunicorn_conf", "--bind", f"127.0.0.1:{web}", "--workers", "1",
                          "--access-logfile", os.devnull], env=env, cwd=ROOT,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        subprocess.Popen([_tool("nginx"), "-p", str(tmp_path / "nginx"), "-e", str(tmp_path / "nginx" / "error.log"),
                          "-c", str(conf), "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    ]
    try:
        _wait(f"http://127.0.0.1:{web}/healthz", procs)
        _wait(f"http://127.0.0.1:{front}/healthz", procs)
    except BaseException:
        stop(procs)
        raise
    return procs, front


def stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait(10)


def test_nginx_sends_public_media_only_while_the_gate_allows_it(tmp_path):
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "memorial.settings",
           "MEMORIES_VAR_DIR": str(tmp_path / "var"), "SERVE_PUBLIC_MEDIA": "0"}
    made = subprocess.run([sys.executable, "-c", SETUP], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert made.returncode == 0, made.stderr
    tokens = made.stdout.split()[-2:]
    for token in tokens:
        folder = tmp_path / "var" / "public" / "p" / token / "iiif" / "full"
        folder.mkdir(parents=True)
        (folder / "default.jpg").write_bytes(b"tile")
    procs, front = start_web_and_nginx(tmp_path, env)
    try:
        urls = [f"http://127.0.0.1:{front}/media/p/{t}/iiif/full/default.jpg" for t in tokens]
        assert [_status(u) for u in urls] == [200, 200]
        assert _status(f"http://127.0.0.1:{front}/internal/media-gate") == 404
        closed = subprocess.run([sys.executable, "-c", CLOSE, *tokens], env=env, cwd=ROOT, capture_output=True,
                                text=True, timeout=60)
        assert closed.returncode == 0, closed.stderr
        # The closed file is gone at once (deleted at its commit, whatever the gate's kept answer);
        # the expired one once the gate's kept answer for its folder has lapsed.
        assert _status(urls[0]) == 404
        time.sleep(2.1)  # nginx counts the kept answer's second in whole seconds: up to two
        assert [_status(u) for u in urls] == [404, 404]
        on_disk = [(tmp_path / "var" / "public" / "p" / t / "iiif" / "full" / "default.jpg").exists() for t in tokens]
        assert on_disk == [False, True]  # closed: deleted at commit; expired: still there, refused by the gate
    finally:
        stop(procs)

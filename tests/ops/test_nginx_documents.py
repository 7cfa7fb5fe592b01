"""nginx with deploy/nginx.conf in front of a real gunicorn sends built IIIF documents from disk
(IIIF_DOCUMENT_ROOT, memorial/document_files.py): a manifest the archive built once is then sent by
nginx alone; a withdrawal made by another process is a 404 through nginx as soon as its call has
returned; a consent expiry, which writes nothing, is a 404 within two seconds (the gate)."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.ops.test_deploy import ROOT
from tests.ops.test_nginx_gate import _status, start_web_and_nginx, stop

pytestmark = pytest.mark.slow

SETUP = """
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tests.factories import ItemFactory
print(ItemFactory(title={"en": "A synthetic watch, withdrawn"}).pk, ItemFactory().pk)
"""
CHANGE = """
import sys, django; django.setup()
from datetime import timedelta
from django.utils import timezone
from archive import services
from archive.models import Item
print("ready", flush=True)
for line in sys.stdin:  # "withdraw <pk>" or "expire <pk> <seconds>": another process's change, made at once
    what, pk, *rest = line.split()
    item = Item.objects.get(pk=pk)
    if what == "withdraw":
        services.record_consent(item, scopes=["web"], propagate=False, actor_label="test")
    else:
        services.record_consent(item, scopes=["web", "iiif"], propagate=False, actor_label="test",
                                expires_at=timezone.now() + timedelta(seconds=float(rest[0])))
    print("done", flush=True)
"""


def _get(url: str) -> tuple[int, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}
    except urllib.error.HTTPError as exc:
        return exc.code, {}


def _run(script: str, env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", script, *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _change(changer: subprocess.Popen, line: str) -> None:
    changer.stdin.write(line + "\n")
    changer.stdin.flush()
    assert changer.stdout.readline().strip() == "done"


def test_nginx_sends_built_documents_from_disk_and_never_after_a_withdrawal_or_expiry(tmp_path):
    documents = tmp_path / "var" / "documents"
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "memorial.settings",
           "MEMORIES_VAR_DIR": str(tmp_path / "var"), "SERVE_PUBLIC_MEDIA": "0",
           "IIIF_DOCUMENT_ROOT": str(documents), "PYTHONPATH": str(ROOT)}
    withdrawn, expiring = _run(SETUP, env).split()[-2:]
    procs, front = start_web_and_nginx(tmp_path, env, MEMORIES_DOCUMENT_ROOT=f"{documents}/")
    try:
        changer = subprocess.Popen([sys.executable, "-c", CHANGE], env=env, cwd=ROOT, text=True,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        procs.append(changer)
        assert changer.stdout.readline().strip() == "ready"
        url = f"http://127.0.0.1:{front}/iiif/item/{withdrawn}/manifest"
        built, headers = _get(url)
        assert built == 200 and headers["x-page-cache"] == "miss"  # built by the archive, written to disk
        sent, headers = _get(url)
        assert sent == 200 and "x-page-cache" not in headers  # sent by nginx from the file
        assert headers["content-type"].startswith("application/ld+json;profile=")
        assert headers["access-control-allow-origin"] == "*" and headers["cache-control"].startswith("public")
        assert _get(url + "?lang=en")[1].get("x-page-cache") == "miss"  # a query is the archive's
        assert _status(f"http://127.0.0.1:{front}/internal/document-gate") == 404

        # The gate's answer was just kept for a second: only the renewal at the change closes the file.
        assert _get(url)[0] == 200
        _change(changer, f"withdraw {withdrawn}")
        assert _status(url) == 404  # at once: its call has returned, the folder was renewed

        expiring_url = f"http://127.0.0.1:{front}/iiif/item/{expiring}/manifest"
        _change(changer, f"expire {expiring} 3")
        ends = time.monotonic() + 3
        assert _get(expiring_url)[0] == 200
        assert _get(expiring_url)[1].get("x-page-cache") is None  # from disk
        time.sleep(max(0.0, ends - time.monotonic()) + 2.1)  # the gate's kept answer: up to two seconds
        assert _status(expiring_url) == 404
    finally:
        stop(procs)  # the changer too (its stdin is left open)

"""Gunicorn's own access log (not Django's LOGGING) holds no token when run with our config."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

TOKEN = "Gk2" + "q" * 40


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_access_log_redacts_private_links(tmp_path):
    port = _free_port()
    log = tmp_path / "access.log"
    base = Path(settings.BASE_DIR)
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "memorial.settings",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "MEMORIES_VAR_DIR": str(tmp_path)}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "memorial.wsgi:application", "-c", "python:memorial.gunicorn_conf",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--access-logfile", str(log)],
        cwd=base, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for path in (f"/api/consent/{TOKEN}/", f"/en/manage/{TOKEN}/narrow/", "/en/receipt/short-one/"):
            for _ in range(100):
                try:
                    urllib.request.urlopen(urllib.request.Request(  # noqa: S310 (loopback)
                        f"http://127.0.0.1:{port}{path}", headers={"Referer": f"http://x/en/manage/{TOKEN}/"}),
                        timeout=10)
                    break
                except urllib.error.HTTPError:
                    break  # an answer (404): the line is written
                except OSError:
                    time.sleep(0.1)
        deadline = time.time() + 10
        while time.time() < deadline and log.read_text().count("\n") < 3 if log.exists() else True:
            time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(10)
    text = log.read_text()
    assert text.count("/api/consent/[redacted]/") == 1 and "/en/manage/[redacted]/narrow/" in text, text
    assert TOKEN not in text and "short-one" not in text, text

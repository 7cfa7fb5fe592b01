"""The servers' access lines hold no token: gunicorn's own access log (not Django's LOGGING) with
our config, and runserver's "django.server" lines in DEBUG."""

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


def _env(tmp_path) -> dict:
    return {"PATH": "/usr/bin:/bin", "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "memorial.settings",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "MEMORIES_VAR_DIR": str(tmp_path)}


def _get_all(port: int, paths) -> None:
    for path in paths:
        for _ in range(150):
            try:
                urllib.request.urlopen(urllib.request.Request(  # noqa: S310 (loopback)
                    f"http://127.0.0.1:{port}{path}", headers={"Referer": f"http://x/en/manage/{TOKEN}/"}),
                    timeout=10)
                break
            except urllib.error.HTTPError:
                break  # an answer (404, 405): the line is written
            except OSError:
                time.sleep(0.1)


PATHS = (f"/api/consent/{TOKEN}/", f"/en/manage/{TOKEN}/narrow/", "/en/receipt/short-one/")


def test_gunicorn_access_log_redacts_private_links(tmp_path):
    port = _free_port()
    log = tmp_path / "access.log"
    base = Path(settings.BASE_DIR)
    env = _env(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "memorial.wsgi:application", "-c", "python:memorial.gunicorn_conf",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--access-logfile", str(log)],
        cwd=base, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _get_all(port, PATHS)
        deadline = time.time() + 10
        while time.time() < deadline and (not log.exists() or log.read_text().count("\n") < 3):
            time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(10)
    text = log.read_text()
    assert text.count("/api/consent/[redacted]/") == 1 and "/en/manage/[redacted]/narrow/" in text, text
    assert TOKEN not in text and "short-one" not in text, text


def test_runserver_access_lines_redact_private_links(tmp_path):
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
        cwd=Path(settings.BASE_DIR), env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _get_all(port, PATHS)
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0]
    assert "/api/consent/[redacted]/" in output and "/en/receipt/[redacted]/" in output, output
    assert TOKEN not in output and "short-one" not in output, output

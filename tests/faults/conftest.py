"""Helpers for the fault tests: a real archive (file SQLite in a temp var dir) served by gunicorn."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PY = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def archive_env(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ELASTICSEARCH_URL",
                                                           "S3_PUBLIC_BUCKET", "S3_PRIVATE_BUCKET")}
    env.update({"MEMORIES_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "memorial.settings",
                "DEBUG": "1", "RATE_LIMIT_ENABLED": "0", "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


def manage(var_dir: Path, *args: str, env: dict | None = None, timeout: int = 300) -> str:
    result = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env or archive_env(var_dir),
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    var_dir: Path

    def get(self, path: str, timeout: float = 30) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=timeout) as r:  # noqa: S310 (loopback)
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()


def start_gunicorn(var_dir: Path, *, workers: int = 2, threads: int = 4, **env: str) -> Server:
    port = free_port()
    process = subprocess.Popen(
        [PY, "-m", "gunicorn", "memorial.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads), "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT, env=archive_env(var_dir, **env), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    server = Server(f"http://127.0.0.1:{port}", process, var_dir)
    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {process.stderr.read()[-3000:]}")
        try:
            if server.get("/en/", timeout=5)[0] == 200:
                return server
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def seeded_var_dir(tmp_path) -> Path:
    """A migrated archive with the synthetic demo content in a private var dir (file SQLite, WAL)."""
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    manage(var_dir, "migrate", "--noinput", "-v0")
    manage(var_dir, "seed_demo")
    return var_dir

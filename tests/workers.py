"""Helper processes for the tests that kill a worker mid-task (tests/media_pipeline/test_kill.py,
tests/archive/test_ingest_workers.py): a module run as its own Django process, and the kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(module: str, var_dir, *args, wait: bool = True):
    """`python -m module var_dir args…` with the project's own settings (not the tests'); its
    output, or the running process when `wait` is false."""
    cmd = [sys.executable, "-m", module, str(var_dir), *map(str, args)]
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    if not wait:
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=True,
                          timeout=120).stdout.strip()


def kill_inside_dzsave(worker: subprocess.Popen, var: Path, seconds: float = 60) -> None:
    """SIGKILL the worker once it signals (a file `in-dzsave`) that it is inside dzsave."""
    deadline = time.monotonic() + seconds
    while not (var / "in-dzsave").exists():
        assert worker.poll() is None, worker.stderr.read().decode()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()

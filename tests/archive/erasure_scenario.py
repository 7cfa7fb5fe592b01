"""Run by tests/archive/test_erasure_bytes.py in a child process, with the production settings
(memorial.settings: file SQLite in MEMORIES_VAR_DIR with its WAL, local storage, the database task
queue run by db_worker), so that the files the test scans are the ones the archive really writes.

    python tests/archive/erasure_scenario.py setup STATE.json   # markers in, item described, published
    python tests/archive/erasure_scenario.py erase STATE.json   # POST .../erase, then the worker runs

STATE.json holds the markers (written by the test) and what `setup` leaves for `erase` (the token).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "memorial.settings")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from tests.archive.erasure_setup import populate  # noqa: E402


def run_worker() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, queue_name="*", verbosity=0)  # every queue


def setup(state: dict) -> None:
    call_command("migrate", verbosity=0)
    populate(state, run_tasks=run_worker)
    build_documents_on_disk(state)


def build_documents_on_disk(state: dict) -> None:
    """The manifest and the items page as nginx would send them (IIIF_DOCUMENT_ROOT), built through
    the fast path as a visitor's request builds them, and one folder out of service beside them."""
    from django.core.handlers.wsgi import WSGIHandler

    from memorial import document_files
    from memorial.fastpath import DOCUMENT_GATE_PATH, FastPath
    from tests.wsgi import call

    app = FastPath(WSGIHandler())
    paths = [f"/iiif/item/{state['item']}/manifest", "/iiif/collection/items/1"]
    for _ in range(2):  # the second folder pushes the first out of service, still on disk
        assert call(app, DOCUMENT_GATE_PATH, as_server=True).status == 204
        assert [call(app, p, as_server=True).status for p in paths] == [200, 200]
        document_files.renew("out-of-service")


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        formatted = self.format(record)
        self.lines.append(f"{record.name} {record.levelname} {formatted} {record.args!r} {record.__dict__!r}")


def erase(state: dict) -> None:
    from django.contrib.sessions.models import Session

    root = logging.getLogger()
    handler = Collect()
    handler.setFormatter(logging.Formatter("%(message)s"))
    # Every record of every logger, SQL with its parameters included (DEBUG is on in this process).
    loggers = [root, *(lg for lg in logging.root.manager.loggerDict.values() if isinstance(lg, logging.Logger))]
    previous = {lg: lg.level for lg in loggers}
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
    root.addHandler(handler)
    # Another process's connection (a web worker) stays open: the WAL is not removed by the last
    # connection closing, so what the erasure itself leaves in it is what the test scans.
    var = Path(settings.DATABASES["default"]["NAME"])
    other = sqlite3.connect(var)
    other.execute("SELECT count(*) FROM archive_item").fetchone()
    try:
        response = Client().post(f"/api/consent/{state['token']}/erase")
        assert response.status_code == 200, response.content
        snapshot = Path(state["snapshot"])
        snapshot.mkdir()
        for suffix in ("", "-wal", "-shm", "-journal"):
            if Path(f"{var}{suffix}").exists():
                shutil.copyfile(f"{var}{suffix}", snapshot / f"{var.name}{suffix}")
        run_worker()  # the propagation the erasure queued
    finally:
        other.close()
        root.removeHandler(handler)
        for lg, level in previous.items():
            lg.setLevel(level)
    state["logs"] = handler.lines
    state["session_left"] = Session.objects.filter(session_key=state["session"]).exists()
    state["erased"] = response.json()


if __name__ == "__main__":
    phase, path = sys.argv[1], Path(sys.argv[2])
    data = json.loads(path.read_text())
    {"setup": setup, "erase": erase}[phase](data)
    path.write_text(json.dumps(data))
    # Nothing buffered stays behind in this process's connection.
    from django.db import connection

    connection.close()
    print("done")

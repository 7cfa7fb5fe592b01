"""SQLite locked/busy under concurrent writes: visitors never see a 500.

A real gunicorn serves the archive from a file SQLite database (WAL, busy timeout from settings).
Another connection takes the write lock and holds it while visitors read pages and submit
contributions. Reads go on (WAL); writes wait for the lock and succeed when it is released within
the busy timeout; when the lock outlives the timeout the visitor gets a translated 503 with
Retry-After (memorial.security.DatabaseBusyMiddleware), never a 500, and nothing half-written.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.faults.conftest import start_gunicorn, stop

pytestmark = pytest.mark.slow

READ_PATHS = ["/en/", "/fr/", "/ar/", "/en/search/?q=watch", "/api/items/", "/en/about/"]


def _contribute(base: str, title: str) -> int:
    boundary = uuid.uuid4().hex
    fields = {
        "kind": "object_story", "title": title, "story": "A synthetic story for a fault test.",
        "language": "en", "consent": json.dumps({"scopes": ["web"], "name_display": "anonymous"}),
    }
    body = "".join(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                   for k, v in fields.items()) + f"--{boundary}--\r\n"
    request = urllib.request.Request(base + "/api/contributions/", data=body.encode(), method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as r:  # noqa: S310 (loopback)
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def _hold_write_lock(db_path, seconds: float, started: threading.Event) -> None:
    con = sqlite3.connect(db_path, timeout=30, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute("INSERT INTO archive_subject (slug, label) VALUES (?, ?)", (f"lock-{uuid.uuid4().hex[:8]}", "{}"))
        started.set()
        time.sleep(seconds)
        con.execute("COMMIT")
    finally:
        con.close()


def _storm(server, n_readers: int, titles: list[str]) -> list[tuple[str, int]]:
    with ThreadPoolExecutor(max_workers=n_readers + len(titles)) as pool:
        reads = [pool.submit(server.get, READ_PATHS[i % len(READ_PATHS)]) for i in range(n_readers * 3)]
        writes = [pool.submit(_contribute, server.url, t) for t in titles]
        return ([(READ_PATHS[i % len(READ_PATHS)], f.result()[0]) for i, f in enumerate(reads)]
                + [("POST /api/contributions/", f.result()) for f in writes])


def _count_items(db_path, title: str) -> int:
    con = sqlite3.connect(db_path, timeout=30)
    try:
        return con.execute("SELECT count(*) FROM archive_item WHERE title LIKE ?", (f"%{title}%",)).fetchone()[0]
    finally:
        con.close()


def test_writes_wait_for_a_short_lock_and_nobody_gets_a_500(seeded_var_dir):
    server = start_gunicorn(seeded_var_dir, SQLITE_BUSY_TIMEOUT="10")
    db = seeded_var_dir / "memories.sqlite3"
    try:
        started = threading.Event()
        locker = threading.Thread(target=_hold_write_lock, args=(db, 2.0, started))
        locker.start()
        started.wait(10)
        t0 = time.time()
        results = _storm(server, 8, [f"Busy-short-{i}" for i in range(4)])
        locker.join()
        assert [r for r in results if r[1] >= 500] == []
        assert all(status == 200 for path, status in results if not path.startswith("POST")), results
        assert all(status == 201 for path, status in results if path.startswith("POST")), results
        assert time.time() - t0 >= 1.0  # the writes really waited for the lock
        for i in range(4):
            assert _count_items(db, f"Busy-short-{i}") == 1
    finally:
        stop(server.process)


def test_a_lock_past_the_busy_timeout_gets_503_not_500_and_leaves_nothing(seeded_var_dir):
    server = start_gunicorn(seeded_var_dir, SQLITE_BUSY_TIMEOUT="1")
    db = seeded_var_dir / "memories.sqlite3"
    try:
        started = threading.Event()
        locker = threading.Thread(target=_hold_write_lock, args=(db, 4.0, started))
        locker.start()
        started.wait(10)
        results = _storm(server, 6, [f"Busy-long-{i}" for i in range(3)])
        locker.join()
        assert [r for r in results if r[1] >= 500 and r[1] != 503] == []
        assert all(status == 200 for path, status in results if not path.startswith("POST")), results
        writes = [status for path, status in results if path.startswith("POST")]
        assert 503 in writes, writes
        for i, status in enumerate(writes):
            # A refused contribution left nothing behind; an accepted one exists once.
            assert _count_items(db, f"Busy-long-{i}") == (1 if status == 201 else 0)
        # Once the lock is gone, the same submission goes through.
        assert _contribute(server.url, "Busy-after") == 201
    finally:
        stop(server.process)

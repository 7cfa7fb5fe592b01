"""After an erasure no row of any table, and no line of a dump of the database, holds a marker.

Runs on SQLite (every table read, the FTS5 shadow tables included, and `iterdump()`) and, with
`-m postgres` under scripts/with_test_services.py, on PostgreSQL (every row cast to text, and
`pg_dump`; the erasure's VACUUM runs after commit, so the test commits for real).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess

import pytest
from django.db import connection
from django.test import Client

from tests.archive.erasure_setup import ENCRYPTED, FIELDS, needles, new_markers, populate

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def rows_text() -> dict[str, bytes]:
    """table -> every row of it, as the database renders it (bytes, for a raw comparison)."""
    out = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor, include_views=False):
            if connection.vendor == "postgresql":
                cursor.execute(f'SELECT r::text FROM "{table}" r')
                out[table] = "\n".join(row[0] for row in cursor.fetchall()).encode()
            else:
                cursor.execute(f'SELECT * FROM "{table}"')
                out[table] = b"\n".join(
                    b"|".join(v if isinstance(v, bytes) else str(v).encode() for v in row) for row in cursor.fetchall())
    return out


def dump() -> str:
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
    candidates = [os.path.join(bindir, "pg_dump"), *sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"))[::-1],
                  shutil.which("pg_dump") or ""]
    pg_dump = next(c for c in candidates if c and os.path.exists(c))
    params = connection.get_connection_params()
    env = {**os.environ, "PGPASSWORD": str(params.get("password") or "")}
    args = [pg_dump, "--no-owner", "-d", params["dbname"], "-h", str(params.get("host") or "localhost"),
            "-U", str(params.get("user") or "")]
    if params.get("port"):
        args += ["-p", str(params["port"])]
    result = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def holding(markers: dict[str, str], texts: dict[str, bytes]) -> dict[str, list[str]]:
    return {field: sorted(name for name, data in texts.items() if any(n in data for n in needles(marker)))
            for field, marker in markers.items()
            if any(any(n in data for n in needles(marker)) for data in texts.values())}


def test_no_row_and_no_dump_line_holds_a_marker_after_erasure(fresh_storage):
    markers = new_markers()
    state = {"markers": markers}
    populate(state)
    # The control: every marker stored in clear is seen by both reads before the erasure.
    assert set(holding(markers, rows_text())) == set(FIELDS) - ENCRYPTED
    assert set(holding(markers, {"dump": dump().encode()})) == set(FIELDS) - ENCRYPTED

    response = Client().post(f"/api/consent/{state['token']}/erase")
    assert response.status_code == 200

    assert holding(markers, rows_text()) == {}
    lines = dump().splitlines()
    assert [line for line in lines if any(n.decode() in line for m in markers.values() for n in needles(m))] == []
    leftover = [str(p.relative_to(fresh_storage["private"].parent)) for root in fresh_storage.values()
                for p in root.rglob("*") if p.is_file()]
    assert leftover == []

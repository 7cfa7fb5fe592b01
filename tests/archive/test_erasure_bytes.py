"""After an erasure no byte of the person's words, names or files remains where the archive writes:
the SQLite file, its WAL and shared memory, the storage tree, and the logs of the whole erasure.

The scenario runs in child processes with the production settings (tests/archive/erasure_scenario.py),
so the database is a file with its WAL, as in `make run`, and the tasks go through the database queue.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.archive.erasure_setup import ENCRYPTED, FIELDS, needles, new_markers

ROOT = Path(settings.BASE_DIR)
SCENARIO = ROOT / "tests" / "archive" / "erasure_scenario.py"
def found_in(root: Path, markers: dict[str, str]) -> dict[str, list[str]]:
    """field -> files under `root` holding any form of its marker (every file, read raw)."""
    hits: dict[str, list[str]] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for field, marker in markers.items():
            if any(n in data for n in needles(marker)):
                hits.setdefault(field, []).append(str(path.relative_to(root)))
    return hits


def run(phase: str, var_dir: Path, state_file: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "ELASTICSEARCH_URL", "S3_PUBLIC_BUCKET", "S3_PRIVATE_BUCKET")}
    env.update({"DJANGO_SETTINGS_MODULE": "memorial.settings", "MEMORIES_VAR_DIR": str(var_dir), "DEBUG": "1",
                "RATE_LIMIT_ENABLED": "0", "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
                "LOG_LEVEL": "DEBUG", "IIIF_DOCUMENT_ROOT": str(var_dir / "documents"),
                "SITE_URL": "http://testserver"})
    result = subprocess.run([sys.executable, str(SCENARIO), phase, str(state_file)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(state_file.read_text())


@pytest.fixture(scope="module")
def erased(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("erasure-var")
    state_file = tmp_path_factory.mktemp("erasure-state") / "state.json"
    markers = new_markers()
    snapshot = tmp_path_factory.mktemp("erasure-snapshot") / "db"
    state_file.write_text(json.dumps({"markers": markers, "snapshot": str(snapshot)}))
    run("setup", var_dir, state_file)
    before = found_in(var_dir, markers)
    state = run("erase", var_dir, state_file)
    return {"var": var_dir, "markers": markers, "before": before, "after": found_in(var_dir, markers),
            "at_return": found_in(snapshot, markers), "snapshot": snapshot, "state": state}


def test_the_scan_sees_every_marker_before_the_erasure(erased):
    # The control: without it a scan that reads nothing would pass.
    assert set(erased["before"]) == set(FIELDS) - ENCRYPTED
    assert any(name.startswith("memories.sqlite3") for files in erased["before"].values() for name in files)
    # IIIF documents on disk (memorial/document_files.py), in service and out of it.
    assert any(name.startswith("documents/") for files in erased["before"].values() for name in files)


def test_no_marker_is_left_in_the_database_its_wal_or_storage(erased):
    assert erased["after"] == {}
    var = erased["var"]
    assert (var / "memories.sqlite3").exists() and (var / "private").is_dir()
    # The erasure ends with a truncating checkpoint; the worker's later writes are small.
    wal = var / "memories.sqlite3-wal"
    assert not wal.exists() or wal.stat().st_size < 2 * 1024 * 1024


def test_no_marker_is_left_in_the_wal_when_the_erasure_returns(erased):
    # Copied while another connection held the database open, as a web worker does: the WAL is
    # not removed by a last connection closing, so its old frames are the erasure's to clear.
    assert (erased["snapshot"] / "memories.sqlite3-wal").exists()
    assert erased["at_return"] == {}
    assert (erased["snapshot"] / "memories.sqlite3-wal").stat().st_size == 0


def test_the_logs_of_the_whole_erasure_hold_no_marker(erased):
    logs = "\n".join(erased["state"]["logs"])
    # The control: the capture saw the erasure's own records (the SQL log names the item's rows).
    assert erased["state"]["item"].replace("-", "") in logs.replace("-", "")
    leaked = [field for field, marker in erased["markers"].items()
              if any(n.decode() in logs for n in needles(marker))]
    assert leaked == []


def test_the_session_that_sent_the_story_is_gone(erased):
    assert erased["state"]["session_left"] is False
    assert erased["state"]["erased"]["items"] == [erased["state"]["item"]]

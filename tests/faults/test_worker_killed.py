"""A task worker killed (kill -9) in the middle of tiling: the task resumes, with no duplicates or orphans.

Real parts only: a file SQLite database in a temp var dir, the database task queue, and
`manage.py run_worker` (django_tasks_db's db_worker, after re-queuing tasks of dead workers) in a
subprocess. The test waits until the worker is inside the tiling step of a large synthetic photograph,
kills it with SIGKILL, checks that nothing is half-made or public, restarts the worker and checks
the end state: one asset, one task run to success, a complete tile set, no leftovers.
"""

from __future__ import annotations

import json
import math
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.faults.conftest import PY, ROOT, archive_env, manage, stop

pytestmark = pytest.mark.slow

ENQUEUE = r"""
import io, json, django
django.setup()
import pyvips
from media_pipeline import services, tasks
w, h = 8000, 6000
x = pyvips.Image.xyz(w, h)
img = (x[0] * 255 / w).bandjoin([x[1] * 255 / h, (x[0] + x[1]) * 255 / (w + h)]).cast("uchar")
asset = services.intake(io.BytesIO(img.jpegsave_buffer(Q=80)), "synthetic-large.jpg")
result = tasks.process_asset.enqueue(str(asset.pk))
print(json.dumps({"asset": str(asset.pk), "task": str(result.id)}))
"""


def _db(var_dir: Path):
    con = sqlite3.connect(var_dir / "memories.sqlite3", timeout=30)
    con.row_factory = sqlite3.Row
    return con


def _state(var_dir: Path, asset_id: str, task_id: str) -> tuple[dict, dict]:
    con = _db(var_dir)
    try:
        asset = dict(con.execute("SELECT status, steps, is_published FROM media_pipeline_mediaasset WHERE id = ?",
                                 (asset_id.replace("-", ""),)).fetchone())
        task = dict(con.execute("SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE id = ?",
                                (task_id.replace("-", ""),)).fetchone())
    finally:
        con.close()
    asset["steps"] = json.loads(asset["steps"] or "{}")
    task["worker_ids"] = json.loads(task["worker_ids"] or "[]")
    return asset, task


def _worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen([PY, "manage.py", "run_worker", "--no-reload", "--interval", "0.1",
                             "--no-startup-delay", "-v0"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _expected_tiles(info: dict) -> set[str]:
    """Every level-0 tile path "<region>/<w>,<h>/0/default.jpg" that info.json promises."""
    width, height, tile = info["width"], info["height"], info["tiles"][0]["width"]
    paths = set()
    for scale in info["tiles"][0]["scaleFactors"]:
        size = tile * scale
        for y in range(0, height, size):
            for x in range(0, width, size):
                w, h = min(size, width - x), min(size, height - y)
                if (w, h) != (width, height):  # the whole image is served as full/, not as a region
                    paths.add(f"{x},{y},{w},{h}/{math.ceil(w / scale)},{math.ceil(h / scale)}/0/default.jpg")
    return paths


def test_worker_killed_mid_tiling_resumes_without_duplicates_or_orphans(tmp_path):
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    env = archive_env(var_dir, DJANGO_SETTINGS_MODULE="tests.faults.worker_settings")
    manage(var_dir, "migrate", "--noinput", "-v0", env=env)
    ids = json.loads(subprocess.run([PY, "-c", ENQUEUE], cwd=ROOT, env=env, capture_output=True, text=True,
                                    check=True, timeout=120).stdout.strip().splitlines()[-1])
    asset_id, task_id = ids["asset"], ids["task"]

    private = var_dir / "private" / "assets" / asset_id
    build = private / ".build"  # where the pipeline builds a tile set before moving it in whole

    worker = _worker(env)
    try:
        deadline = time.time() + 90
        while time.time() < deadline:
            if build.exists() and any(p.suffix == ".jpg" for p in build.rglob("*.jpg")):
                break  # tiles are being written: the worker is in the middle of tiling
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.01)
        else:
            pytest.fail("the worker never reached the tiling step")
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        stop(worker)

    asset, task = _state(var_dir, asset_id, task_id)
    assert task["status"] == "RUNNING"  # orphaned: plain db_worker would never run it again
    assert asset["status"] == "processing" and not asset["is_published"]
    assert "derivatives" not in asset["steps"], "the task finished before the kill; the test proves nothing"
    assert any(build.rglob("*.jpg")) and not (private / "iiif").exists()  # a half tile set, out of place
    assert (private / "original.jpeg").exists()  # the quarantined upload is kept

    restarted = _worker(env)
    try:
        deadline = time.time() + 180
        while time.time() < deadline:
            asset, task = _state(var_dir, asset_id, task_id)
            if task["status"] in ("SUCCESSFUL", "FAILED"):
                break
            assert restarted.poll() is None, restarted.stdout.read()
            time.sleep(0.2)
    finally:
        stop(restarted)

    asset, task = _state(var_dir, asset_id, task_id)
    assert task["status"] == "SUCCESSFUL"
    assert len(task["worker_ids"]) == 2  # the dead worker's claim and the resuming one: the same row
    assert asset["status"] == "ready" and {"master", "derivatives"} <= set(asset["steps"])
    con = _db(var_dir)
    try:
        assert con.execute("SELECT count(*) FROM media_pipeline_mediaasset").fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM django_tasks_database_dbtaskresult").fetchone()[0] == 1
    finally:
        con.close()

    # No orphans: no build folders or partial files, exactly the tile grid that info.json declares.
    leftovers = [p for p in (var_dir / "private").rglob("*")
                 if p.name.endswith(".part") or p.name in (".build",) or p.name.startswith("iiif-")]
    assert leftovers == []
    iiif = private / "iiif"
    info = json.loads((iiif / "info.json").read_text())
    tiles = {str(p.relative_to(iiif)) for p in iiif.rglob("*") if p.is_file()
             and p.name != "info.json" and p.relative_to(iiif).parts[0] != "full"}
    assert tiles == _expected_tiles(info)
    assert math.isclose(info["width"] / info["height"], 8000 / 6000, rel_tol=0.01)
    # Still private: processing never publishes (moderation and consent decide that).
    public = var_dir / "public"
    assert not public.exists() or not any(p.is_file() for p in public.rglob("*"))

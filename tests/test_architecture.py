"""The floors (DESIGN.md, docs/architecture.md) hold, and the contract that says so can fail."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("memorial", "exhibitions", "archive", "media_pipeline")
LINT = Path(sys.executable).parent / "lint-imports"


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(cwd)})


def test_the_floors_are_kept():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "KEPT" in result.stdout


def test_an_upward_import_breaks_the_contract(tmp_path):
    for app in APPS:
        shutil.copytree(ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__", "migrations"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    # The pipeline, the lowest floor, reaching up to the archive's consent policy.
    with (tmp_path / "media_pipeline" / "conf.py").open("a") as fh:
        fh.write("\nfrom archive import consent  # noqa\n")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "media_pipeline.conf -> archive.consent" in result.stdout

"""The floors (DESIGN.md, docs/architecture.md) hold, and the contract that says so can fail."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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


# What the archive's own code and templates must never name: the upper floor's templates and URLs.
UPWARD = re.compile(r"""exhibitions/[\w/]+\.html|["']iiif:|["']iiif-viewer|["']exhibition-|["']remembrance-day""")


def test_the_archive_names_no_upper_template_or_url():
    places = [*(ROOT / "archive").rglob("*.py"), *(ROOT / "templates" / "archive").rglob("*.html")]
    found = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}" for p in places if "migrations" not in p.parts
             for n, line in enumerate(p.read_text().splitlines(), 1) if UPWARD.search(line)]
    assert not found, "\n".join(found)


@pytest.mark.django_db
def test_the_iiif_link_on_an_item_page_comes_from_the_iiif_surface(client, settings):
    from archive import surfaces
    from tests.factories import ItemFactory

    settings.PAGE_CACHE_ENABLED = False  # the same page, rendered twice
    item = ItemFactory(consent={"scopes": ["web", "iiif"]})
    page = f"/en/items/{item.pk}/"
    manifest = f"/iiif/item/{item.pk}/manifest"
    assert manifest in client.get(page).content.decode()
    with surfaces.register_temporarily(surfaces.get("web"), only=True):
        assert manifest not in client.get(page).content.decode()

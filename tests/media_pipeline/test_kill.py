"""A worker really killed (SIGKILL) inside dzsave, then resume_media and a database-queue worker
finish the asset: same files as an uninterrupted run, nothing orphaned, nothing public."""

from pathlib import Path

from tests import workers
from tests.media_pipeline import makers


def helper(var_dir, *args, wait=True):
    return workers.run("tests.media_pipeline.kill_worker", var_dir, *args, wait=wait)


def files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_killed_worker_resumes_with_no_duplicate_or_orphan_files(tmp_path):
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(makers.jpeg(900, 600, gps=True))
    var = tmp_path / "var"
    asset_id = helper(var, "intake", photo)

    worker = helper(var, "hang", asset_id, wait=False)
    workers.kill_inside_dzsave(worker, var)
    assert helper(var, "status", asset_id).startswith("processing")
    left = files(var / "private")
    assert any(".build" in f or ".work" in f for f in left)  # the killed worker's half-made files

    helper(var, "resume")
    assert helper(var, "status", asset_id) == "ready derivatives,master"
    after = [f for f in files(var / "private") if not f.startswith(".")]
    assert not [f for f in files(var / "private") if f.startswith(".") and not f.startswith(".incoming")]
    prefix = f"assets/{asset_id}/"
    assert all(f.startswith(prefix) for f in after)
    names = sorted(f[len(prefix):] for f in after)
    assert "master.jpg" in names and "original.jpeg" in names and "iiif/info.json" in names
    assert "iiif/full/max/0/default.jpg" in names and not any(".part" in n for n in names)
    assert not (var / "public").exists() or files(var / "public") == []
    # An uninterrupted run of the same photo makes exactly the same set of files.
    clean_var = tmp_path / "clean"
    clean_id = helper(clean_var, "intake", photo)
    helper(clean_var, "resume")
    clean = sorted(f[len(f"assets/{clean_id}/"):] for f in files(clean_var / "private") if f.startswith("assets/"))
    assert names == clean

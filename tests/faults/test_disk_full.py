"""A full disk while tiling: a clean failure, the quarantined upload kept, success once there is room.

The private volume (quarantine, masters, the pipeline's work and tile-build folders) is a real
tmpfs of a few megabytes, so the disk really fills up (ENOSPC from the kernel) in the middle of
writing derivatives and tiles. Where mounting is not permitted (no CAP_SYS_ADMIN), the same test
runs against a storage whose writes raise OSError(ENOSPC) after the quarantine copy: the one
fault that cannot be caused otherwise there.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import subprocess
from pathlib import Path

import pytest
import pyvips

from media_pipeline import services
from media_pipeline.exceptions import ProcessingError, TransientStorageError
from media_pipeline.models import MediaAsset
from tests.media_pipeline.storages import FlakyRemoteStorage

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _noise_jpeg(width: int = 2400, height: int = 1600) -> bytes:
    """A synthetic photograph that does not compress well (so tiles and derivatives are big)."""
    bands = [pyvips.Image.gaussnoise(width, height, mean=128, sigma=40) for _ in range(3)]
    return bands[0].bandjoin(bands[1:]).cast("uchar").jpegsave_buffer(Q=90)


class DiskFullStorage(FlakyRemoteStorage):
    """Fallback only: a storage (no local paths, so every write goes through _save) whose writes
    fail with ENOSPC once `full` is set."""

    full = False

    def _check(self, writing=False):
        if writing and type(self).full:
            raise OSError(errno.ENOSPC, "No space left on device")


def _mount(path: Path, size: int) -> bool:
    path.mkdir(parents=True)
    if os.environ.get("FAULTS_NO_TMPFS"):  # exercise the fallback on purpose
        return False
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                            capture_output=True, text=True)
    return result.returncode == 0


def _umount(path: Path) -> None:
    if subprocess.run(["umount", str(path)], capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


@pytest.fixture
def volumes(settings, tmp_path):
    data = _noise_jpeg()
    private, public = tmp_path / "private", tmp_path / "public"
    public.mkdir()
    # Room for the quarantined original and about as much again: the master, derivatives and
    # tiles of this image need more than that.
    mounted = _mount(private, int(len(data) * 2.1))
    if not mounted and os.environ.get("FAULTS_REQUIRE_TMPFS"):  # CI runs as root: the real fault or nothing
        pytest.fail("mounting a tmpfs was refused, so the full disk would only be simulated")
    backend = "django.core.files.storage.FileSystemStorage" if mounted else f"{__name__}.DiskFullStorage"
    if not mounted:
        private.mkdir(exist_ok=True)
    private_storage = {"BACKEND": backend, "OPTIONS": {"location": str(private), "base_url": None}}
    settings.STORAGES = {
        **settings.STORAGES, "default": private_storage, "private": private_storage,
        "public": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                   "OPTIONS": {"location": str(public), "base_url": "/media/"}},
    }
    DiskFullStorage.full = False
    yield {"data": data, "private": private, "public": public, "mounted": mounted}
    DiskFullStorage.full = False
    if mounted:
        _umount(private)


def _make_room(volumes) -> None:
    if volumes["mounted"]:
        subprocess.run(["mount", "-o", "remount,size=256m", str(volumes["private"])], check=True)
    DiskFullStorage.full = False


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_full_disk_while_tiling_fails_cleanly_and_keeps_the_quarantine(volumes):
    data = volumes["data"]
    asset = services.intake(io.BytesIO(data), "synthetic-noise.jpg")
    original = volumes["private"] / asset.original_key
    assert hashlib.sha256(original.read_bytes()).hexdigest() == asset.original_sha256
    DiskFullStorage.full = True  # (fallback only; on tmpfs the kernel decides)

    with pytest.raises((ProcessingError, TransientStorageError)):
        services.process(asset)

    asset.refresh_from_db()
    assert asset.status != MediaAsset.Status.READY and not asset.is_published
    assert asset.failure_reason  # a reason for the curator's screen
    assert services.public_urls(asset) == {}
    assert _files(volumes["public"]) == []  # nothing public
    # The quarantined upload is intact: nothing lost.
    assert hashlib.sha256(original.read_bytes()).hexdigest() == asset.original_sha256
    # Nothing half-made: no partial tile set in place, no build or work folders, no partial files.
    prefix = volumes["private"] / services.private_prefix(asset)
    assert not (prefix / "iiif").exists()
    # (the pipeline's empty .work/.build parents may stay; nothing may be left inside them)
    leftovers = [p for p in _files(volumes["private"])
                 if {".build", ".work"} & set(p.parts) or p.name.endswith(".part")
                 or any(part.startswith("iiif-") for part in p.parts)]
    assert leftovers == []

    # Once there is room, the same asset is processed from its quarantined original and published.
    _make_room(volumes)
    services.process(asset)
    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.READY
    info = prefix / "iiif" / "info.json"
    assert info.exists() and len(list((prefix / "iiif").rglob("default.jpg"))) > 20
    services.publish(asset)
    assert services.public_urls(asset) and _files(volumes["public"])

"""Derivatives cut from the pyramid dzsave builds (issue 18): the same sizes as a resize of the whole
image, the same pixels within JPEG noise, and still no metadata in any file."""

import os

import pytest
import pyvips

from media_pipeline import services, tiles
from media_pipeline.models import MediaAsset
from media_pipeline.services import steps
from tests.media_pipeline import makers
from tests.media_pipeline.test_images import SECRETS

SMALL = {"WEB_SIZE": 300, "THUMB_SIZE": 80, "TILE_SIZE": 128}


@pytest.mark.parametrize("tile_size", [128, 512])  # 512: the level 1/2 fits in one tile ("full")
def test_a_level_read_back_from_the_tiles_is_the_image_at_that_scale(tile_size, tmp_path, settings):
    settings.MEDIA_PIPELINE = {**SMALL, "TILE_SIZE": tile_size}
    src = pyvips.Image.new_from_buffer(makers.jpeg(1001, 667), "")
    tiles.make_pyramid(src, str(tmp_path / "iiif"))
    assert tiles.level_factor(1001, 667, 240) == (4 if tile_size == 128 else 2)  # dzsave stops at one tile
    assert tiles.level_factor(1001, 667, 600) == 1
    for factor in (2, 4) if tile_size == 128 else (2,):
        level = tiles.read_level(str(tmp_path / "iiif"), 1001, 667, factor)
        assert abs(level.width - 1001 / factor) <= 1 and abs(level.height - 667 / factor) <= 1
        expected = src.resize(level.width / src.width, vscale=level.height / src.height)
        assert (level - expected).abs().avg() < 4  # JPEG noise only: no tile misplaced


@pytest.mark.django_db
@pytest.mark.parametrize("orientation", [1, 6])
@pytest.mark.parametrize("beside", [False, True])  # after dzsave from its pyramid / beside it, shrink-on-load
def test_pipeline_derivatives_from_the_pyramid_keep_sizes_pixels_and_no_metadata(
        orientation, beside, settings, ingest, media_storage, monkeypatch):
    settings.MEDIA_PIPELINE = {**SMALL, "DERIVATIVES_BESIDE_TILES": beside}
    calls = []
    shrunk = steps._beside_from_shrunk
    monkeypatch.setattr(steps, "_beside_from_shrunk", lambda *a: calls.append(a) or shrunk(*a))  # a spy
    asset = ingest(makers.jpeg(1001, 667, orientation=orientation, gps=True), "wide.jpg")
    services.process(asset)
    assert len(calls) == (1 if beside else 0)
    assert asset.status == MediaAsset.Status.READY
    w, h = (1001, 667) if orientation == 1 else (667, 1001)
    assert (asset.width, asset.height) == (w, h)
    private = media_storage["private"]
    upright = pyvips.Image.new_from_buffer(makers.jpeg(1001, 667), "")
    if orientation == 6:
        upright = upright.rot90()
    # The sizes a resize of the whole image gives (libvips rounds to the nearest pixel).
    scale = 300 / max(w, h)
    web = pyvips.Image.new_from_file(os.path.join(private, asset.derivatives["web_jpeg"]))
    assert (web.width, web.height) == (round(w * scale), round(h * scale))
    assert (web - upright.resize(scale)).abs().avg() < 4
    thumb = pyvips.Image.new_from_file(os.path.join(private, asset.derivatives["thumb"]))
    assert max(thumb.width, thumb.height) == 80
    for name in ("web", "web_jpeg", "thumb", "thumb_jpeg", "thumb_blurred"):
        data = (private / asset.derivatives[name]).read_bytes()
        assert not any(secret in data for secret in SECRETS), name

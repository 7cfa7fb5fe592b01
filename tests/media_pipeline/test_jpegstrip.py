"""The lossless JPEG master: the original's compressed pixels, with every metadata segment and every
trailing byte gone; anything unusual falls back to a re-encode."""

import io
import os

import pytest
import pyvips
from PIL import Image

from media_pipeline import jpegstrip, services
from tests.media_pipeline import makers

SECRETS = [b"SERIAL-123456789", b"SyntheticCam", b"Exif\x00\x00", b"GPS", b"PAYLOAD-MARKER", b"a comment"]


def _with_extras(jpeg: bytes) -> bytes:
    """Add a comment, an XMP packet, a restart interval's worth of nothing odd, and a trailing payload."""
    com = b"a comment"
    xmp = b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>GPS SyntheticCam</x:xmpmeta>"
    extra = (b"\xff\xfe" + (len(com) + 2).to_bytes(2, "big") + com
             + b"\xff\xe1" + (len(xmp) + 2).to_bytes(2, "big") + xmp)
    return jpeg[:2] + extra + jpeg[2:] + b"<html>PAYLOAD-MARKER</html>"


@pytest.mark.parametrize("progressive", [False, True])
def test_strip_keeps_the_pixels_and_drops_every_metadata_byte(progressive):
    src = Image.open(io.BytesIO(makers.jpeg(320, 240, gps=True)))
    buf = io.BytesIO()
    src.save(buf, "JPEG", quality=90, exif=makers.exif_with_gps(1), progressive=progressive)
    data = _with_extras(buf.getvalue())
    out = jpegstrip.strip(data)
    assert out is not None and out.endswith(b"\xff\xd9")
    for secret in SECRETS:
        assert secret not in out, secret
    original = pyvips.Image.new_from_buffer(data, "", fail_on="error")
    master = pyvips.Image.new_from_buffer(out, "", fail_on="error")
    assert (master.width, master.height) == (320, 240)
    assert (original - master).abs().max() == 0  # bit-identical decode: no generation loss
    for field in ("exif-data", "xmp-data", "iptc-data", "icc-profile-data"):
        assert not master.get_typeof(field)


def test_strip_keeps_restart_markers_and_steps_over_fill_bytes():
    img = pyvips.Image.new_from_buffer(makers.jpeg(256, 192), "")
    data = img.jpegsave_buffer(Q=85, restart_interval=2)
    assert b"\xff\xdd" in data  # a DRI segment: restart markers inside the scan
    padded = data[:-2] + b"\xff\xff\xff" + data[-2:]  # fill bytes before the end-of-image marker
    for source in (data, padded):
        out = jpegstrip.strip(source)
        assert out is not None and out.endswith(b"\xff\xd9") and b"\xff\xff" not in out[-8:]
        decoded = pyvips.Image.new_from_buffer(out, "", fail_on="error")
        assert (pyvips.Image.new_from_buffer(source, "") - decoded).abs().max() == 0


@pytest.mark.parametrize("case", ["truncated", "not-jpeg", "cmyk", "grey", "garbage-between"])
def test_strip_refuses_what_it_cannot_copy_safely(case):
    good = makers.jpeg(64, 48)
    data = {
        "truncated": good[: len(good) // 2],
        "not-jpeg": b"\x89PNG\r\n\x1a\n" + good,
        "cmyk": pyvips.Image.black(16, 16, bands=4).copy(interpretation="cmyk").cast("uchar").jpegsave_buffer(),
        "grey": pyvips.Image.black(16, 16).cast("uchar").jpegsave_buffer(),
        "garbage-between": good[:2] + b"JUNK" + good[2:],
    }[case]
    assert jpegstrip.strip(data) is None


@pytest.mark.django_db
def test_rotated_or_profiled_jpeg_masters_are_re_encoded_and_plain_ones_copied(ingest, media_storage):
    plain = ingest(makers.jpeg(200, 100, gps=True), "plain.jpg")
    rotated = ingest(makers.jpeg(200, 100, orientation=6, gps=True), "rotated.jpg")
    for asset in (plain, rotated):
        services.process(asset)
        asset.refresh_from_db()
    def master(asset):
        with open(os.path.join(media_storage["private"], asset.master_key), "rb") as fh:
            return fh.read()
    with open(os.path.join(media_storage["private"], plain.original_key), "rb") as fh:
        assert master(plain) == jpegstrip.strip(fh.read())  # copied, not re-encoded
    turned = pyvips.Image.new_from_buffer(master(rotated), "")
    assert (turned.width, turned.height) == (100, 200)  # rotation applied, so re-encoded
    for asset in (plain, rotated):
        assert not any(s in master(asset) for s in SECRETS)

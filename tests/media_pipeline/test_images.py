"""Images: sanitising (no GPS, no EXIF, orientation applied), derivatives, IIIF level-0 tiles validated
with the IIIF Image API validator, publication, retraction and erasure."""

import io
import json
import math
import os
import urllib.error
import urllib.request

import pytest
import pyvips
from PIL import Image

from media_pipeline import services
from media_pipeline.models import MediaAsset
from tests.media_pipeline import makers

pytestmark = pytest.mark.django_db

SECRETS = [b"SERIAL-123456789", b"SyntheticCam", b"Model X-Secret", b"Artist Name Hidden", b"Exif\x00\x00",
           b"http://ns.adobe.com/xap", b"GPS"]


def public_paths(media_storage):
    root = media_storage["public"]
    return [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs]


def test_gps_and_all_exif_are_gone_from_every_public_file_and_orientation_is_applied(ingest, media_storage):
    # Stored 640x480 with the white marker top-left; EXIF orientation 6 says "rotate 90° clockwise".
    asset = ingest(makers.jpeg(640, 480, orientation=6, gps=True), "holiday.jpg")
    original = pyvips.Image.new_from_file(os.path.join(media_storage["private"], asset.original_key))
    assert original.get_typeof("exif-data") and original.get("orientation") == 6  # the input really carries it
    services.process(asset)
    services.publish(asset)
    asset.refresh_from_db()
    assert (asset.width, asset.height) == (480, 640)
    assert asset.capture_date.isoformat().startswith("2019-08-21T10:30")  # kept as a field, not in files

    paths = public_paths(media_storage)
    images = [p for p in paths if p.endswith((".jpg", ".webp"))]
    assert len(images) > 10  # derivatives, sizes, full/max and tiles
    for path in images:
        with open(path, "rb") as fh:
            data = fh.read()
        for secret in SECRETS:
            assert secret not in data, (path, secret)
        img = pyvips.Image.new_from_file(path)
        for field in ("exif-data", "xmp-data", "iptc-data", "icc-profile-data"):
            assert not img.get_typeof(field), (path, field)
        pil = Image.open(path)
        assert not pil.getexif(), path
    # Orientation: portrait now, and the marker moved from top-left to top-right.
    urls = services.public_urls(asset)
    web = Image.open(os.path.join(media_storage["public"], urls["web_jpeg"].split("/media/")[1])).convert("RGB")
    assert web.width < web.height
    assert min(web.getpixel((web.width - 3, 2))) > 230
    assert min(web.getpixel((2, 2))) < 200
    # The private master is sanitised too; the untouched original is kept apart, with its sha256.
    master = os.path.join(media_storage["private"], asset.master_key)
    with open(master, "rb") as fh:
        assert not any(s in fh.read() for s in SECRETS)
    assert asset.original_sha256 and asset.master_sha256 and asset.original_sha256 != asset.master_sha256


@pytest.mark.parametrize("fmt", ["jpeg", "png", "tiff", "webp", "heic"])
def test_every_accepted_image_format_gets_derivatives_and_tiles(fmt, ingest, media_storage):
    asset = ingest(makers.image_bytes(fmt, 300, 200), f"picture.{fmt}")
    assert (asset.kind, asset.detected_format) == ("image", fmt)
    services.process(asset)
    assert asset.status == MediaAsset.Status.READY
    assert {"web", "web_jpeg", "thumb", "thumb_jpeg", "thumb_blurred", "iiif"} <= set(asset.derivatives)
    assert services.public_urls(asset) == {} and services.image_service_id(asset) is None  # not before publish
    assert not any(True for _ in os.scandir(media_storage["public"]))
    services.publish(asset)
    urls = services.public_urls(asset)
    web = Image.open(os.path.join(media_storage["public"], urls["web"].split("/media/")[1]))
    assert web.format == "WEBP" and web.size == (300, 200)
    thumb = Image.open(os.path.join(media_storage["public"], urls["thumb_jpeg"].split("/media/")[1]))
    assert thumb.format == "JPEG" and max(thumb.size) <= 400


def test_large_images_get_capped_web_sizes_and_a_max_size_in_info_json(settings, ingest, media_storage):
    settings.MEDIA_PIPELINE = {"WEB_SIZE": 600, "THUMB_SIZE": 100, "TILE_SIZE": 256,
                               "IN_MEMORY_PIXELS": 10}  # and the streaming path for big images
    asset = ingest(makers.jpeg(1200, 900), "wide.jpg")
    services.process(asset)
    services.publish(asset)
    root = media_storage["public"]
    info = json.loads((root / f"p/{asset.public_token}/iiif/info.json").read_text())
    assert (info["width"], info["height"], info["maxWidth"], info["maxHeight"]) == (1200, 900, 600, 450)
    assert Image.open(root / f"p/{asset.public_token}/iiif/full/max/0/default.jpg").size == (600, 450)
    assert info["tiles"][0]["width"] == 256 and info["tiles"][0]["scaleFactors"][:3] == [1, 2, 4]
    for size in info["sizes"]:
        assert (root / f"p/{asset.public_token}/iiif/full/{size['width']},{size['height']}/0/default.jpg").exists()


def validator_image() -> bytes:
    """The IIIF validator's test pattern: 10x10 squares of known colours, 1000x1000."""
    from iiif_validator.validator import ValidationInfo

    colours = ValidationInfo().colorInfo
    img = Image.new("RGB", (1000, 1000))
    for x in range(10):
        for y in range(10):
            img.paste(colours[x][y], (x * 100, y * 100, x * 100 + 100, y * 100 + 100))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def run_iiif_validator(service_id: str, level: int = 0) -> dict:
    """Drive iiif-validator in-process (its CLI wants a server and prefix): every test up to `level`."""
    from iiif_validator.validator import ImageAPI, TestSuite, ValidationInfo

    rest = service_id.split("://", 1)[1]
    server, path = rest.split("/", 1)
    prefix, identifier = path.rsplit("/", 1)
    suite = TestSuite(ValidationInfo())
    outcome = {}
    for name, meta in suite.list_tests("3.0").items():
        if meta["level"] > level:
            continue
        result = ImageAPI(identifier, server, prefix, "http", "", "3.0", debug=False)
        suite.run_test(name, result)
        e = result.exception
        outcome[name] = "ok" if e is None else ("warning" if e.warning else f"FAILED: {e}")
    return outcome


def test_tiles_pass_the_iiif_image_api_validator_at_level_0(ingest, public_http, media_storage):
    asset = ingest(validator_image(), "pattern.png")
    services.process(asset)
    services.publish(asset)
    service_id = services.image_service_id(asset)
    assert service_id == f"{public_http}/media/p/{asset.public_token}/iiif"
    outcome = run_iiif_validator(service_id)
    assert {"info_json", "id_basic", "id_squares", "format_jpg"} <= set(outcome)
    assert all(v == "ok" for v in outcome.values()), outcome
    # Level 0 clients ask for tiles the way info.json describes them: check one tile per scale factor.
    info = json.load(urllib.request.urlopen(f"{service_id}/info.json"))
    assert info["id"] == service_id and info["profile"] == "level0" and info["type"] == "ImageService3"
    tile = info["tiles"][0]
    for s in tile["scaleFactors"]:
        region = min(info["width"], tile["width"] * s), min(info["height"], tile["width"] * s)
        size = math.ceil(region[0] / s), math.ceil(region[1] / s)
        # canonical region: "full" when the tile covers the whole image
        whole = region == (info["width"], info["height"])
        part = "full" if whole else f"0,0,{region[0]},{region[1]}"
        url = f"{service_id}/{part}/{size[0]},{size[1]}/0/default.jpg"
        img = Image.open(io.BytesIO(urllib.request.urlopen(url).read()))
        assert img.size == size, url
    for size in info["sizes"]:
        url = f"{service_id}/full/{size['width']},{size['height']}/0/default.jpg"
        assert Image.open(io.BytesIO(urllib.request.urlopen(url).read())).size == (size["width"], size["height"])


def status_of(url: str) -> int:
    try:
        return urllib.request.urlopen(url).status
    except urllib.error.HTTPError as e:
        return e.code


def test_retract_makes_old_urls_404_and_republishing_uses_new_urls(ingest, public_http, media_storage):
    asset = ingest(makers.jpeg(200, 150), "p.jpg")
    services.process(asset)
    services.publish(asset)
    first = services.public_urls(asset)
    assert all(status_of(u) == 200 for k, u in first.items() if k != "iiif")
    assert status_of(first["iiif"] + "/info.json") == 200
    services.retract(asset)
    assert services.public_urls(asset) == {} and services.image_service_id(asset) is None
    assert all(status_of(u) == 404 for k, u in first.items() if k != "iiif")
    assert status_of(first["iiif"] + "/info.json") == 404
    assert not any(True for _ in os.scandir(media_storage["public"] / "p"))
    services.publish(asset)
    second = services.public_urls(asset)
    assert set(second) == set(first) and not set(second.values()) & set(first.values())
    assert all(status_of(u) == 200 for k, u in second.items() if k != "iiif")
    assert all(status_of(u) == 404 for k, u in first.items() if k != "iiif")
    info = json.load(urllib.request.urlopen(second["iiif"] + "/info.json"))
    assert info["id"] == second["iiif"]


def test_erase_removes_public_and_private_files(ingest, media_storage, public_files, private_files):
    asset = ingest(makers.jpeg(120, 90), "p.jpg")
    services.process(asset)
    services.publish(asset)
    assert public_files() and private_files()
    services.erase(asset)
    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.ERASED and not asset.original_key and not asset.master_key
    assert public_files() == [] and private_files() == []


def test_fixity_is_recorded_and_verified(ingest, media_storage):
    asset = ingest(makers.jpeg(120, 90), "p.jpg")
    services.process(asset)
    assert services.verify_fixity(asset).ok
    with open(os.path.join(media_storage["private"], asset.master_key), "ab") as fh:
        fh.write(b"bit rot")
    result = services.verify_fixity(asset)
    assert not result.ok and any("master" in p for p in result.problems)
    asset.refresh_from_db()
    assert asset.fixity_ok is False and asset.fixity_checked_at


def _odd_inputs() -> dict:
    from PIL import PngImagePlugin

    out = {}
    buf = io.BytesIO()
    makers.picture(80, 60).convert("CMYK").save(buf, "JPEG", quality=90)
    out["cmyk.jpg"] = buf.getvalue()
    buf = io.BytesIO()
    makers.picture(80, 60).convert("L").save(buf, "PNG")
    out["grey.png"] = buf.getvalue()
    pnginfo = PngImagePlugin.PngInfo()
    pnginfo.add_text("GPSLatitude", "48.8577 SECRET-PLACE")
    pnginfo.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>SECRET-PLACE</x:xmpmeta>")
    buf = io.BytesIO()
    makers.picture(80, 60).save(buf, "PNG", pnginfo=pnginfo)
    out["text-chunks.png"] = buf.getvalue()
    buf = io.BytesIO()
    img16 = pyvips.Image.black(80, 60).linear(1, 40000).cast("ushort").copy(interpretation="grey16")
    out["sixteen-bit.png"] = img16.pngsave_buffer()
    frames = [makers.picture(80, 60), makers.picture(80, 60).rotate(180)]
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
    out["two-pages.tiff"] = buf.getvalue()
    out["animated.webp"] = makers.animated_webp(frames=4, size=64)
    icc = pyvips.Image.new_from_buffer(makers.jpeg(80, 60), "").icc_transform("cmyk").icc_transform(
        "p3" if pyvips.at_least_libvips(8, 16) else "srgb", embedded=False)
    out["wide-gamut.jpg"] = icc.jpegsave_buffer(Q=90)
    return out


@pytest.mark.parametrize("name", list(_odd_inputs()))
def test_odd_but_legitimate_images_are_accepted_and_sanitised(name, ingest, media_storage):
    data = _odd_inputs()[name]
    asset = ingest(data, name)
    services.process(asset)
    services.publish(asset)
    for path in public_paths(media_storage):
        if not path.endswith((".jpg", ".webp")):
            continue
        raw = open(path, "rb").read()  # noqa: SIM115
        assert b"SECRET-PLACE" not in raw and b"xmpmeta" not in raw
        img = pyvips.Image.new_from_file(path)
        assert img.bands == 3 and img.interpretation == "srgb", (name, path)
        assert not img.get_typeof("icc-profile-data") and not img.get_typeof("exif-data")

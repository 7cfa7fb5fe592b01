"""Hostile input: every case is refused with a clear error, or accepted and sanitised; nothing is
left in public storage (nor, for refusals, anywhere), and nothing crashes."""

import glob
import io
import os
import tempfile
import zipfile

import pytest

from media_pipeline import services
from media_pipeline.exceptions import IntakeError, ProcessingError
from media_pipeline.models import MediaAsset
from tests.media_pipeline import makers

pytestmark = pytest.mark.django_db


def _temp_leftovers():
    return set(glob.glob(os.path.join(tempfile.gettempdir(), "mp-*")))


def assert_refused(data: bytes, name: str, *reason_words: str, code: str | None = None, private_files=None,
                   public_files=None):
    before = _temp_leftovers()
    with pytest.raises(IntakeError) as info:
        services.intake(io.BytesIO(data), name)
    message = str(info.value)
    shown = os.path.basename(name.replace("\\", "/"))
    assert shown in message, message  # the message names the file...
    for word in reason_words:  # ...and says why
        assert word.lower() in message.lower(), message
    if code:
        assert info.value.reason_code == code
    assert MediaAsset.objects.count() == 0
    assert private_files() == [] and public_files() == []
    assert _temp_leftovers() <= before  # no spooled copy left behind
    return message


def zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("payload.html", "<script>alert('PAYLOAD-MARKER')</script>")
    return buf.getvalue()


CASES = {
    "zero bytes": (b"", "empty.jpg", ("empty",), "empty"),
    "html named as photo": (b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "photo.jpg",
                            ("web page",), "markup"),
    "html without doctype": (b"  <html><img src=x onerror=alert(1)></html>", "scan.png", ("web page",), "markup"),
    "svg with script": (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script>'
                        b"</svg>", "drawing.png", ("markup",), "markup"),
    "bare svg": (b'<svg onload="alert(1)" xmlns="http://www.w3.org/2000/svg"/>', "logo.webp", ("markup",), "markup"),
    "windows program as mp3": (b"MZ\x90\x00\x03" + b"\x00" * 200, "song.mp3", ("Windows program",), "type"),
    "linux program as mp4": (b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "clip.mp4", ("Linux program",), "type"),
    "shell script as wav": (b"#!/bin/sh\nrm -rf /\n", "voice.wav", ("script",), "type"),
    "zip as jpeg": (zip_bytes(), "photo.jpeg", ("ZIP",), "type"),
    "pdf as tiff": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", "scan.tiff", ("PDF",), "type"),
    "binary junk": (bytes(range(256)) * 8, "data.jpg", ("not recognised",), "type"),
    "bogus wav header": (b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00" + b"\xff" * 16 + b"data\x00\x00\x00\x00",
                         "voice.wav", ("could not be read",), "damaged"),
    "wav header without data": (b"RIFF\xff\xff\xff\x7fWAVE" + b"\x00" * 64, "voice2.wav", (), "damaged"),
    "bogus mp4 header": (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + os.urandom(512), "clip.mp4",
                         (), "damaged"),
    "truncated jpeg": (makers.jpeg(64, 48)[:300], "cut.jpg", ("damaged or truncated",), "damaged"),
    "truncated png": (makers.image_bytes("png", 64, 48)[:120], "cut.png", ("damaged",), "damaged"),
    "truncated mp4": (makers.encode_video()[:700], "cut.mp4", (), "damaged"),
    "decompression bomb png": (makers.png_with_size(50_000, 50_000), "bomb.png", ("megapixels",), "too_many_pixels"),
    "wide bomb png": (makers.png_with_size(200_000, 2), "wide.png", ("megapixels",), "too_many_pixels"),
    "animated gif": (makers.animated_gif(40, 64), "animation.gif", ("GIF",), "type"),
    "gif named as png": (makers.animated_gif(2, 16), "still.png", ("GIF",), "type"),
    "avif": (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf" + b"\x00" * 64, "photo.heic", ("AVIF",), "type"),
    "text in utf-16 without bom junk": (b"\xff\xfe\x00\xd8", "t.txt", (), None),
    "markup transcript": (b"<html><body>WEBVTT</body></html>", "captions.vtt", ("markup",), "markup"),
    "vtt with broken timing": (b"WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nbackwards\n", "bad.vtt", ("ends before",),
                               "damaged"),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_refused_with_a_clear_error_and_nothing_left(case, private_files, public_files):
    data, name, words, code = CASES[case]
    assert_refused(data, name, *words, code=code, private_files=private_files, public_files=public_files)


def test_huge_animated_webp_is_refused_by_the_pixels_of_all_frames(settings, private_files, public_files):
    settings.MEDIA_PIPELINE = {"MAX_TOTAL_PIXELS": 200_000}
    data = makers.animated_webp(frames=60, size=96)  # 60 frames x 9216 px = 552,960 px in all
    assert_refused(data, "animated.webp", "frames", code="too_many_pixels", private_files=private_files,
                   public_files=public_files)


def test_too_many_bytes_and_too_long(settings, private_files, public_files):
    settings.MEDIA_PIPELINE = {"MAX_FILE_BYTES": 1000, "MAX_DURATION": 0.2}
    assert_refused(makers.jpeg(200, 200, quality=100), "big.jpg", "larger than", code="too_large",
                   private_files=private_files, public_files=public_files)
    settings.MEDIA_PIPELINE = {"MAX_DURATION": 0.2}
    assert_refused(makers.wav(0.5), "long.wav", "longer than", code="too_long", private_files=private_files,
                   public_files=public_files)


def test_a_submission_over_its_total_is_refused_whole(settings, private_files, public_files):
    one = makers.jpeg(64, 48)
    settings.MEDIA_PIPELINE = {"MAX_SUBMISSION_BYTES": len(one) * 2 + 10}
    files = [(io.BytesIO(one), f"p{i}.jpg") for i in range(3)]
    with pytest.raises(IntakeError, match="together"):
        services.intake_submission(files)
    assert MediaAsset.objects.count() == 0 and private_files() == [] and public_files() == []


def test_a_refusal_inside_a_submission_removes_the_files_already_taken(private_files):
    files = [(io.BytesIO(makers.jpeg(64, 48)), "ok.jpg"), (io.BytesIO(b""), "empty.jpg")]
    with pytest.raises(IntakeError, match="empty.jpg"):
        services.intake_submission(files)
    assert MediaAsset.objects.count() == 0 and private_files() == []


def _all_public_bytes(media_storage) -> bytes:
    out = b""
    for d, _, fs in os.walk(media_storage["public"]):
        for f in fs:
            with open(os.path.join(d, f), "rb") as fh:
                out += fh.read()
    return out


@pytest.mark.parametrize("payload", [b"<html><script>alert('PAYLOAD-MARKER')</script></html>", "zip"])
def test_polyglot_jpeg_is_accepted_and_its_payload_dies(payload, ingest, media_storage, private_files):
    payload = zip_bytes() if payload == "zip" else payload
    asset = ingest(makers.jpeg(120, 90) + payload, "polyglot.jpg")
    assert asset.kind == "image"
    services.process(asset)
    services.publish(asset)
    public = _all_public_bytes(media_storage)
    assert public and b"PAYLOAD-MARKER" not in public and b"PK\x03\x04" not in public
    with open(os.path.join(media_storage["private"], asset.master_key), "rb") as fh:
        assert b"PAYLOAD-MARKER" not in fh.read()


def test_html_first_polyglot_is_refused(private_files, public_files):
    data = b"<html><body>hello</body></html>" + makers.jpeg(32, 32)
    assert_refused(data, "looks-like-photo.jpg", "web page", private_files=private_files, public_files=public_files)


def test_webvtt_markup_is_kept_as_text_only(ingest, media_storage):
    vtt = (makers.VTT + "\n3\n00:00:03.000 --> 00:00:04.000\n<img src=x onerror=alert(1)>Quiet <c.red>now</c>"
           " &lt;b&gt;really&lt;/b&gt;\n").encode()
    asset = ingest(vtt, "captions.vtt")
    services.process(asset)
    assert [c["text"] for c in asset.cues] == ["I remember the morning light.", "We walked home together & slowly.",
                                               "Quiet now <b>really</b>"]
    services.publish(asset)
    urls = services.public_urls(asset)
    root = media_storage["public"]
    vtt_out = (root / urls["vtt"].split("/media/")[1]).read_text()
    text_out = (root / urls["text"].split("/media/")[1]).read_text()
    for out in (vtt_out, text_out):
        assert "<script" not in out and "<img" not in out and "<c." not in out and "alert" not in out
    assert "<b>" not in vtt_out and "&lt;b&gt;really&lt;/b&gt;" in vtt_out  # shown as characters, never markup
    assert vtt_out.startswith("WEBVTT")


@pytest.mark.parametrize("name", ["../../../etc/passwd.jpg", "..\\..\\Windows\\win.ini.png", "/var/www/html/x.jpg",
                                  "photo\x00.php.jpg", "line\nbreak\r.jpg", "صورة الساحة.jpg", "照片.png",
                                  "Ünïcødé 🙂 été.jpeg", "." * 300, "a" * 1000 + ".jpg"])
def test_path_like_and_non_ascii_names_are_accepted_under_our_own_keys(name, ingest, media_storage, private_files,
                                                                        public_files):
    asset = ingest(makers.jpeg(32, 24), name)
    assert asset.kind == "image"
    assert asset.original_key == f"assets/{asset.pk}/original.jpeg"
    assert "/" not in asset.original_name and "\\" not in asset.original_name and "\x00" not in asset.original_name
    assert "\n" not in asset.original_name and len(asset.original_name) <= 200
    assert private_files() == [f"assets/{asset.pk}/original.jpeg"] and public_files() == []
    if "صورة" in name:
        assert asset.original_name == "صورة الساحة.jpg"


# None: the defaults (no pyramid level at the web size); False/True: a web size the pyramid has,
# derivatives after dzsave from it or beside dzsave from a shrink-on-load decode (issue 18).
@pytest.mark.parametrize("beside", [None, False, True])
def test_a_large_truncated_image_fails_in_processing_with_a_readable_reason(beside, settings, ingest, public_files,
                                                                            private_files):
    # Above the intake full-decode threshold, damage is found by process(): recorded, nothing public.
    settings.MEDIA_PIPELINE = {"INTAKE_FULL_DECODE_PIXELS": 100}
    if beside is not None:
        settings.MEDIA_PIPELINE.update(WEB_SIZE=150, THUMB_SIZE=60, TILE_SIZE=128, DERIVATIVES_BESIDE_TILES=beside)
    data = makers.jpeg(400, 300, quality=95)
    asset = ingest(data[: len(data) * 2 // 3], "damaged.jpg")
    with pytest.raises(ProcessingError):
        services.process(asset)
    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.FAILED
    assert "damaged.jpg" in asset.failure_reason and "damaged or truncated" in asset.failure_reason
    with pytest.raises(Exception, match="Only processed media"):
        services.publish(asset)
    assert public_files() == []
    # Nothing half-built is left: the quarantined original alone (a curator may look at it).
    assert [os.path.basename(f) for f in private_files()] == ["original.jpeg"]


def test_kinds_can_be_restricted_by_the_caller(private_files, public_files):
    with pytest.raises(IntakeError, match="not expected"):
        services.intake(io.BytesIO(makers.VTT.encode()), "notes.jpg", kinds={"image"})
    assert private_files() == [] and public_files() == []

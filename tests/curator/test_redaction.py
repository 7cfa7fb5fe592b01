"""Redaction through the workspace, with the real pipeline (pyvips, PyAV): public files are made
again from the master with the region blurred, the master is unchanged, the audit log holds it,
and an archivist can reverse it."""

import array
import hashlib
import io
import math
import os
import re
import shutil

import av
import pytest
import pyvips
from django.core.files.storage import storages

from archive.models import AuditEvent, Item, ItemMedia
from media_pipeline import services as pipeline
from media_pipeline import storage as mstorage
from media_pipeline.models import MediaAsset
from tests.factories import ItemFactory
from tests.media_pipeline import makers

pytestmark = pytest.mark.django_db

BOX = (300, 200, 360, 280)  # x, y, w, h in master pixels


@pytest.fixture(autouse=True)
def own_storage(fresh_storage):
    return fresh_storage


def sha256_of(path: str) -> str:
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def noisy_jpeg(width=1400, height=1000) -> bytes:
    # Random texture everywhere: a blurred region shows as a collapse of its pixel variance.
    noise = pyvips.Image.gaussnoise(width, height, sigma=60, mean=128)
    img = noise.bandjoin([pyvips.Image.gaussnoise(width, height, sigma=60, mean=128)] * 2)
    return img.cast("uchar").jpegsave_buffer(Q=95)


def published_photo() -> tuple[Item, ItemMedia, MediaAsset]:
    asset = pipeline.intake(io.BytesIO(noisy_jpeg()), "street.jpg")
    pipeline.process(asset)
    pipeline.publish(asset)
    asset.refresh_from_db()
    item = ItemFactory(kind=Item.Kind.PHOTOGRAPH)
    media = ItemMedia.objects.create(item=item, asset=asset, role="photo")
    return item, media, asset


def public_tree(asset: MediaAsset) -> dict[str, str]:
    """relative path under the asset's public prefix -> absolute path, for every public file."""
    root = storages["public"].path(pipeline.public_prefix(asset))
    return {os.path.relpath(os.path.join(d, f), root): os.path.join(d, f)
            for d, _dirs, files in os.walk(root) for f in files if not f.endswith(".json")}


def region_in(rel: str, img: pyvips.Image, master_w: int, master_h: int):
    """The box, mapped into this file's pixels (derivative or IIIF tile), or None if outside it."""
    x, y, w, h = BOX
    m = re.match(r"iiif/([^/]+)/([^/]+)/0/default\.jpg$", rel)
    if m and m.group(1) != "full":
        rx, ry, rw, rh = (int(v) for v in m.group(1).split(","))
    else:
        rx, ry, rw, rh = 0, 0, master_w, master_h
    ix0, iy0 = max(x, rx), max(y, ry)
    ix1, iy1 = min(x + w, rx + rw), min(y + h, ry + rh)
    if ix1 <= ix0 or iy1 <= iy0:
        return None
    sx, sy = img.width / rw, img.height / rh
    # Stay a little inside the region: block edges and resampling bleed at the border.
    px0, py0 = int((ix0 - rx) * sx) + 2, int((iy0 - ry) * sy) + 2
    px1, py1 = int((ix1 - rx) * sx) - 2, int((iy1 - ry) * sy) - 2
    if px1 - px0 < 3 or py1 - py0 < 3:
        return None
    return px0, py0, px1 - px0, py1 - py0


def test_blur_reaches_every_public_derivative_and_tile_master_unchanged(moderator, archivist, as_user, tmp_path):
    item, media, asset = published_photo()
    master_path = storages["private"].path(asset.master_key)
    master_sha = sha256_of(master_path)
    assert master_sha == asset.master_sha256
    before_dir = tmp_path / "before"
    before = {}
    for rel, path in public_tree(asset).items():
        os.makedirs((before_dir / rel).parent, exist_ok=True)
        shutil.copyfile(path, before_dir / rel)
        before[rel] = str(before_dir / rel)
    old_prefix = pipeline.public_prefix(asset)
    assert any(rel.startswith("iiif/") for rel in before) and len(before) > 8

    response = as_user(moderator).post(f"/en/curator/items/{item.pk}/redact", {
        "media": media.pk, "kind": "blur", "x": BOX[0], "y": BOX[1], "w": BOX[2], "h": BOX[3],
        "note": "A bystander's face (synthetic test)."})
    assert response.status_code == 302, response.content[:500]
    asset.refresh_from_db()
    assert asset.is_published and len(asset.redactions) == 1
    after = public_tree(asset)
    assert set(after) == set(before)
    # The old, unredacted URLs are dead: nothing is left under the old public prefix.
    assert not os.path.exists(storages["public"].path(old_prefix))

    checked = 0
    for rel, path in after.items():
        new = pyvips.Image.new_from_file(path)
        old = pyvips.Image.new_from_file(before[rel])
        box = region_in(rel, new, asset.width, asset.height)
        if box is None or rel.endswith("thumb-blurred.jpg"):
            continue
        new_sd, old_sd = new.crop(*box).deviate(), old.crop(*box).deviate()
        assert new_sd < old_sd * 0.35, (rel, new_sd, old_sd)
        checked += 1
    assert checked >= 6  # web + jpeg fallback + thumbs + the full image + several tiles

    # The master is untouched, and still private.
    assert sha256_of(master_path) == master_sha
    event = AuditEvent.objects.get(action="media.redacted", item_id_ref=item.pk)
    assert event.actor.username == "test-moderator" and event.after["redaction"]["box"] == list(BOX)

    # A moderator cannot reverse; an archivist can, and the files come back from the master.
    rid = asset.redactions[0]["id"]
    url = f"/en/curator/items/{item.pk}/media/{media.pk}/redactions/{rid}/reverse"
    assert as_user(moderator).post(url).status_code == 403
    assert as_user(archivist).post(url).status_code == 302
    asset.refresh_from_db()
    assert asset.redactions == [] and asset.is_published
    rel_web, web_path = next((r, p) for r, p in public_tree(asset).items() if r.endswith("web.jpg"))
    web = pyvips.Image.new_from_file(web_path)
    restored = region_in(rel_web, web, asset.width, asset.height)
    assert web.crop(*restored).deviate() > 30
    assert AuditEvent.objects.filter(action="media.redaction_reversed", actor__username="test-archivist").exists()
    assert sha256_of(master_path) == master_sha


def test_region_outside_the_photo_is_refused_and_changes_nothing(moderator, as_user):
    item, media, asset = published_photo()
    response = as_user(moderator).post(f"/en/curator/items/{item.pk}/redact", {
        "media": media.pk, "kind": "blur", "x": 5000, "y": 10, "w": 10, "h": 10, "note": "test"}, follow=True)
    assert "outside the photograph" in response.text
    asset.refresh_from_db()
    assert asset.redactions == [] and not AuditEvent.objects.filter(action="media.redacted").exists()


def test_curator_cannot_redact(curator, as_user):
    item, media, asset = published_photo()
    response = as_user(curator).post(f"/en/curator/items/{item.pk}/redact", {
        "media": media.pk, "kind": "blur", "x": 1, "y": 1, "w": 10, "h": 10, "note": "test"})
    assert response.status_code == 403


def wav_tone(seconds=3.0, rate=48000) -> bytes:
    samples = array.array("h", (int(math.sin(2 * math.pi * 440 * i / rate) * 20000)
                                for i in range(int(seconds * rate))))
    return makers.wav(rate=rate, samples=samples.tobytes())


def loudness(path: str, start: float, end: float) -> float:
    """Mean absolute amplitude (0..1) of the audio between start and end seconds."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=8000)
    total = count = 0
    with av.open(path) as container:
        for frame in container.decode(audio=0):
            if frame.time is None or not start <= frame.time < end:
                continue
            for rf in resampler.resample(frame):
                values = array.array("h", bytes(rf.planes[0])[: rf.samples * 2])
                total += sum(abs(v) for v in values)
                count += len(values)
    return total / count / 32768 if count else 0.0


def test_mute_a_time_range_of_a_recording(moderator, as_user):
    asset = pipeline.intake(io.BytesIO(wav_tone()), "testimony.wav")
    pipeline.process(asset)
    asset.refresh_from_db()
    item = ItemFactory(kind=Item.Kind.TESTIMONY, status=Item.Status.SUBMITTED)
    media = ItemMedia.objects.create(item=item, asset=asset, role="recording")
    master_sha = asset.master_sha256
    response = as_user(moderator).post(f"/en/curator/items/{item.pk}/redact", {
        "media": media.pk, "kind": "mute", "start": 1.0, "end": 2.0, "note": "A third party's name is spoken."})
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.derivatives["audio"] != asset.master_key
    with mstorage.fetched(mstorage.private(), asset.derivatives["audio"]) as path:
        assert loudness(path, 1.1, 1.9) < 0.001
        assert loudness(path, 0.2, 0.9) > 0.1 and loudness(path, 2.1, 2.8) > 0.1
    with mstorage.fetched(mstorage.private(), asset.master_key) as path:
        assert sha256_of(path) == master_sha
        assert loudness(path, 1.1, 1.9) > 0.1


def test_redact_words_in_a_transcript(moderator, archivist, as_user):
    vtt = b"WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nI ran to Sam Placeholder's house.\n\n" \
          b"00:00:04.000 --> 00:00:06.000\nsam placeholder was safe.\n"
    asset = pipeline.intake(io.BytesIO(vtt), "transcript.vtt")
    pipeline.process(asset)
    asset.refresh_from_db()
    item = ItemFactory(kind=Item.Kind.TESTIMONY, status=Item.Status.SUBMITTED)
    media = ItemMedia.objects.create(item=item, asset=asset, role="transcript")
    as_user(moderator).post(f"/en/curator/items/{item.pk}/redact", {
        "media": media.pk, "kind": "words", "words": "Sam Placeholder", "note": "Name of a third party."})
    asset.refresh_from_db()
    assert all("placeholder" not in c["text"].lower() for c in asset.cues)
    assert "█████" in asset.cues[0]["text"]
    vtt_out = mstorage.read_bytes(mstorage.private(), asset.derivatives["vtt"]).decode()
    assert "Placeholder" not in vtt_out and "█████" in vtt_out
    event = AuditEvent.objects.get(action="media.redacted")
    assert "Placeholder" not in str(event.after) and "Placeholder" not in str(event.before)
    rid = asset.redactions[0]["id"]
    as_user(archivist).post(f"/en/curator/items/{item.pk}/media/{media.pk}/redactions/{rid}/reverse")
    asset.refresh_from_db()
    assert "Sam Placeholder" in asset.cues[0]["text"]

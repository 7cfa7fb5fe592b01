"""What the redaction editor sends and reads: several regions drawn at once (one regeneration, an
entry and an audit event each, all or none), the waveform of a recording as it is now, and the
page's tools with the form fields kept as the fallback without JavaScript."""

import io
import json

import pytest
import pyvips

from archive.models import AuditEvent, Item, ItemMedia
from media_pipeline import services as pipeline
from media_pipeline import storage as mstorage
from tests.curator.test_redaction import noisy_jpeg, wav_tone
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db

BOXES = [[40, 30, 120, 90], [400, 300, 150, 120]]


@pytest.fixture(autouse=True)
def own_storage(fresh_storage):
    return fresh_storage


def photo():
    asset = pipeline.intake(io.BytesIO(noisy_jpeg(640, 480)), "street.jpg")
    pipeline.process(asset)
    asset.refresh_from_db()
    item = ItemFactory(kind=Item.Kind.PHOTOGRAPH, status=Item.Status.SUBMITTED, published_at=None)
    return item, ItemMedia.objects.create(item=item, asset=asset, role="photo"), asset


def web_image(asset) -> pyvips.Image:
    with mstorage.fetched(mstorage.private(), asset.derivatives["web_jpeg"]) as path:
        return pyvips.Image.new_from_buffer(open(path, "rb").read(), "")


def test_several_regions_in_one_request(moderator, as_user):
    item, media, asset = photo()
    before = web_image(asset)
    page = as_user(moderator).get(f"/en/curator/items/{item.pk}/redact").text
    # The editor (shown by the script) over the private preview, and the number fields as fallback.
    assert 'class="cw-editor"' in page and 'data-width="640" data-height="480"' in page
    assert 'name="regions"' in page and 'name="x"' in page and "js/curator-redact.js" in page
    response = as_user(moderator).post(f"/en/curator/items/{item.pk}/redact", {
        "media": media.pk, "kind": "blur", "regions": json.dumps(BOXES), "note": "Two bystanders (synthetic)."})
    assert response.status_code == 302
    asset.refresh_from_db()
    assert [r["box"] for r in asset.redactions] == BOXES
    assert len({r["id"] for r in asset.redactions}) == 2
    events = AuditEvent.objects.filter(action="media.redacted", item_id_ref=item.pk)
    assert sorted(e.after["redaction"]["box"] for e in events) == sorted(BOXES)
    after = web_image(asset)
    k = after.width / 640
    for x, y, w, h in BOXES:
        box = (int(x * k) + 3, int(y * k) + 3, int(w * k) - 6, int(h * k) - 6)
        assert after.crop(*box).deviate() < before.crop(*box).deviate() * 0.35
    # Outside the boxes the photograph is as it was.
    outside = (int(250 * k), int(150 * k), int(100 * k), int(100 * k))
    assert abs(after.crop(*outside).deviate() - before.crop(*outside).deviate()) < 2


@pytest.mark.parametrize("regions, message", [
    ("not json", "could not be read"),
    (json.dumps([[1, 2, 3]]), "Draw between one and 20 regions"),
    (json.dumps([[1, 1, 5, 5]] * 21), "Draw between one and 20 regions"),
    (json.dumps([[10, 10, 20, 20], [5000, 10, 20, 20]]), "outside the photograph"),
])
def test_bad_regions_change_nothing(moderator, as_user, regions, message):
    item, media, asset = photo()
    derivatives = dict(asset.derivatives)
    response = as_user(moderator).post(f"/en/curator/items/{item.pk}/redact", {
        "media": media.pk, "kind": "blur", "regions": regions, "note": "test"}, follow=True)
    assert message in response.text
    asset.refresh_from_db()
    assert asset.redactions == [] and asset.derivatives == derivatives
    assert not AuditEvent.objects.filter(action="media.redacted").exists()


def test_a_crop_keeps_one_region(moderator, as_user):
    item, media, asset = photo()
    response = as_user(moderator).post(f"/en/curator/items/{item.pk}/redact", {
        "media": media.pk, "kind": "crop", "regions": json.dumps(BOXES), "note": "test"})
    assert "A crop keeps one region" in response.text
    asset.refresh_from_db()
    assert asset.redactions == []


def test_waveform_of_the_recording_as_it_is_now(moderator, curator, as_user):
    asset = pipeline.intake(io.BytesIO(wav_tone(seconds=3.0)), "testimony.wav")
    pipeline.process(asset)
    item = ItemFactory(kind=Item.Kind.TESTIMONY, status=Item.Status.SUBMITTED)
    media = ItemMedia.objects.create(item=item, asset=asset, role="recording")
    client = as_user(moderator)
    url = f"/en/curator/items/{item.pk}/media/{media.pk}/waveform"
    assert f'data-waveform="{url}"' in client.get(f"/en/curator/items/{item.pk}/redact").text
    plain = client.get(url).json()
    assert len(plain["peaks"]) == 400 and abs(plain["duration"] - 3.0) < 0.1
    assert min(plain["peaks"][20:380]) > 0.4
    client.post(f"/en/curator/items/{item.pk}/redact", {
        "media": media.pk, "kind": "mute", "start": 1.0, "end": 2.0, "note": "A name (synthetic)."})
    muted = client.get(url)
    assert muted["Cache-Control"] == "private, no-store"
    peaks = muted.json()["peaks"]
    assert max(peaks[145:255]) < 0.01 and min(peaks[20:120]) > 0.4 and min(peaks[280:380]) > 0.4
    photo_item, photo_media, _asset = photo()
    assert client.get(f"/en/curator/items/{photo_item.pk}/media/{photo_media.pk}/waveform").status_code == 404
    assert as_user(curator).get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302


def test_transcript_words_are_offered_as_buttons(moderator, as_user):
    vtt = b"WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nI ran to Sam Placeholder's house.\n"
    asset = pipeline.intake(io.BytesIO(vtt), "transcript.vtt")
    pipeline.process(asset)
    item = ItemFactory(kind=Item.Kind.TESTIMONY, status=Item.Status.SUBMITTED)
    ItemMedia.objects.create(item=item, asset=asset, role="transcript")
    page = as_user(moderator).get(f"/en/curator/items/{item.pk}/redact").text
    assert '<button type="button" class="cw-word" aria-pressed="false">Placeholder&#x27;s</button>' in page
    assert 'name="words"' in page

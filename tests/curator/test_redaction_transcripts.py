"""A cut or mute of a recording reaches the transcript that transcribes it: cues removed, shifted,
clipped or muted; the plain text, captions, published files and search follow; an archivist's
reversal restores them. Real pipeline (PyAV), real search backend (the database one)."""

import io

import pytest
from django.core.files.storage import storages

from archive.models import AuditEvent, Item, ItemMedia
from archive.search.tasks import sync_item
from media_pipeline import redaction as mredaction
from media_pipeline import services as pipeline
from media_pipeline import storage as mstorage
from media_pipeline import transcripts
from media_pipeline.services.keys import public_key
from tests.curator.test_redaction import wav_tone
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db

VTT = (b"WEBVTT\n\n"
       b"00:00:00.500 --> 00:00:01.500\nThe morning was quiet.\n\n"
       b"00:00:02.200 --> 00:00:02.800\nquillwort lived near us.\n\n"
       b"00:00:01.800 --> 00:00:03.500\nThen the bell rang.\n\n"
       b"00:00:04.000 --> 00:00:05.000\nWe walked home together.\n")
ORIGINAL = [(0.5, 1.5, "The morning was quiet."), (2.2, 2.8, "quillwort lived near us."),
            (1.8, 3.5, "Then the bell rang."), (4.0, 5.0, "We walked home together.")]


@pytest.fixture(autouse=True)
def own_storage(fresh_storage):
    return fresh_storage


def published_testimony():
    recording = pipeline.intake(io.BytesIO(wav_tone(seconds=6.0)), "testimony.wav")
    pipeline.process(recording)
    pipeline.publish(recording)
    transcript = pipeline.intake(io.BytesIO(VTT), "testimony.vtt")
    pipeline.process(transcript)
    pipeline.publish(transcript)
    item = ItemFactory(kind=Item.Kind.TESTIMONY, title={"en": "A synthetic testimony"})
    rec_media = ItemMedia.objects.create(item=item, asset=recording, role="recording")
    tr_media = ItemMedia.objects.create(item=item, asset=transcript, role="transcript", transcribes=rec_media,
                                        language="en")
    return item, rec_media, tr_media


def cues_of(media: ItemMedia) -> list[tuple]:
    media.asset.refresh_from_db()
    return [(c["start"], c["end"], c["text"]) for c in media.asset.cues]


def public_vtt(media: ItemMedia) -> str:
    asset = media.asset
    asset.refresh_from_db()
    assert asset.is_published
    key = public_key(asset, asset.derivatives["vtt"])
    with storages["public"].open(key) as fh:
        return fh.read().decode()


def transcript_hits(client, q: str) -> list[dict]:
    body = client.get("/api/search/", {"q": q}).json()
    return [t for r in body["results"] for t in r["transcript_hits"]]


def test_timeline_rules():
    cues = [{"start": s, "end": e, "text": t} for s, e, t in ORIGINAL] + [{"start": None, "end": None, "text": "x"}]
    out = mredaction.apply_timeline(cues, [{"type": "cut", "range": [2.0, 3.0]}, {"type": "mute", "range": [4.2, 4.4]}])
    assert [(c["start"], c["end"], c["text"]) for c in out] == [
        (0.5, 1.5, "The morning was quiet."),      # before the cut: unchanged
        (1.8, 2.5, "Then the bell rang."),          # overlapping: clipped (3.5 - 1.0)
        (3.0, 4.0, "[muted]"),                      # after: shifted by -1.0, and heard muted
        (None, None, "x"),                          # untimed text stays
    ]                                               # entirely inside the cut: gone
    # Overlapping cuts count once.
    out = mredaction.apply_timeline(cues[3:4], [{"type": "cut", "range": [1.0, 2.0]}, {"type": "cut", "range": [1.5, 2.5]}])
    assert (out[0]["start"], out[0]["end"]) == (2.5, 3.5)


def test_cut_shifts_the_transcript_everywhere_and_reversal_restores_it(
        moderator, archivist, as_user, client, django_capture_on_commit_callbacks):
    item, rec_media, tr_media = published_testimony()
    sync_item(item.pk)
    assert [h["start"] for h in transcript_hits(client, "quillwort")] == [2.2]
    old_token = tr_media.asset.public_token

    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(moderator).post(f"/en/curator/items/{item.pk}/redact", {
            "media": rec_media.pk, "kind": "cut", "start": 2.0, "end": 3.0, "note": "A neighbour's name."})
    assert response.status_code == 302
    expected = [(0.5, 1.5, "The morning was quiet."), (1.8, 2.5, "Then the bell rang."),
                (3.0, 4.0, "We walked home together.")]
    assert cues_of(tr_media) == expected
    asset = tr_media.asset
    assert asset.redactions[0]["derived"] and asset.redactions[0]["type"] == "cut"
    # Captions and plain text, private and public, follow; the old public URLs are dead.
    assert asset.public_token != old_token
    vtt = public_vtt(tr_media)
    assert "quillwort" not in vtt and "00:00:01.800 --> 00:00:02.500" in vtt
    assert "00:00:03.000 --> 00:00:04.000\nWe walked home together." in vtt
    assert transcripts.parse(vtt)[1] == [{"start": s, "end": e, "text": t} for s, e, t in expected]
    text = mstorage.read_bytes(mstorage.private(), asset.derivatives["text"]).decode()
    assert "quillwort" not in text and "We walked home together." in text
    assert not storages["public"].exists(pipeline.public_prefix(asset, old_token) + "/captions.vtt")
    # Search was reindexed through the propagation: the cut words are gone, the times moved.
    assert transcript_hits(client, "quillwort") == []
    assert [h["start"] for h in transcript_hits(client, "walked")] == [3.0]
    event = AuditEvent.objects.get(action="media.redacted")
    assert event.after["transcripts"] == [tr_media.pk]

    # The derived redaction cannot be reversed on its own; the recording's can, by an archivist.
    rid = asset.redactions[0]["id"]
    as_user(archivist).post(f"/en/curator/items/{item.pk}/media/{tr_media.pk}/redactions/{rid}/reverse")
    assert cues_of(tr_media) == expected
    rec_media.asset.refresh_from_db()
    rid = rec_media.asset.redactions[0]["id"]
    with django_capture_on_commit_callbacks(execute=True):
        as_user(archivist).post(f"/en/curator/items/{item.pk}/media/{rec_media.pk}/redactions/{rid}/reverse")
    assert sorted(cues_of(tr_media)) == sorted(ORIGINAL)
    assert tr_media.asset.redactions == []
    assert "00:00:02.200 --> 00:00:02.800\nquillwort lived near us." in public_vtt(tr_media)
    assert [h["start"] for h in transcript_hits(client, "quillwort")] == [2.2]


def test_mute_marks_the_cues_heard_muted_and_keeps_word_redactions(moderator, archivist, as_user):
    item, rec_media, tr_media = published_testimony()
    as_user(moderator).post(f"/en/curator/items/{item.pk}/redact", {
        "media": tr_media.pk, "kind": "words", "words": "morning", "note": "A word."})
    as_user(moderator).post(f"/en/curator/items/{item.pk}/redact", {
        "media": rec_media.pk, "kind": "mute", "start": 4.1, "end": 4.6, "note": "A child's name is spoken."})
    cues = cues_of(tr_media)
    assert cues[0] == (0.5, 1.5, f"The {mredaction.MASK} was quiet.")
    assert (4.0, 5.0, "[muted]") in cues and not any("walked" in c[2] for c in cues)
    assert "[muted]" in public_vtt(tr_media) and "walked" not in public_vtt(tr_media)
    # Reversing the mute keeps the curator's own word redaction.
    rec_media.asset.refresh_from_db()
    rid = rec_media.asset.redactions[0]["id"]
    as_user(archivist).post(f"/en/curator/items/{item.pk}/media/{rec_media.pk}/redactions/{rid}/reverse")
    cues = cues_of(tr_media)
    assert (4.0, 5.0, "We walked home together.") in cues
    assert cues[0][2] == f"The {mredaction.MASK} was quiet."
    assert [r["type"] for r in tr_media.asset.redactions] == ["words"]

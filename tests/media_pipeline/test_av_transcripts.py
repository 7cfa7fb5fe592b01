"""Audio, video and transcripts: validated by decoding, measured, rendered web-playable, stripped."""

import os
from pathlib import Path

import av
import pytest

from media_pipeline import services
from media_pipeline.models import MediaAsset
from tests.media_pipeline import makers

pytestmark = pytest.mark.django_db

AUDIO = {
    "wav": lambda: makers.wav(0.5),
    "mp3": lambda: makers.encode_audio("mp3", "mp3"),
    "m4a": lambda: makers.encode_audio("ipod", "aac"),
    "ogg": lambda: makers.encode_audio("ogg", "libopus"),
    "webm": lambda: makers.encode_audio("webm", "libopus"),
}


def public_path(media_storage, url):
    return os.path.join(media_storage["public"], url.split("/media/")[1])


@pytest.mark.parametrize("fmt", list(AUDIO))
def test_audio_is_decoded_measured_and_rendered_as_m4a_with_a_waveform(fmt, ingest, media_storage):
    asset = ingest(AUDIO[fmt](), "testimony")
    assert asset.kind == "audio"
    services.process(asset)
    assert asset.status == MediaAsset.Status.READY
    assert asset.duration == pytest.approx(0.5, abs=0.1)
    services.publish(asset)
    urls = services.public_urls(asset)
    assert set(urls) == {"audio", "poster"}
    with av.open(public_path(media_storage, urls["audio"])) as c:
        assert c.streams.audio[0].codec_context.name == "aac" and not c.streams.video
        assert sum(1 for _ in c.decode(audio=0)) > 5
    assert Path(public_path(media_storage, urls["poster"])).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("container,codec", [("mp4", "libx264"), ("mov", "libx264"), ("webm", "libvpx-vp9")])
def test_video_gets_an_h264_mp4_rendition_and_a_poster_without_metadata(container, codec, ingest, media_storage):
    data = makers.encode_video(container, codec, metadata={"location": "+48.8577+002.2950/", "title": "Secret Name"})
    asset = ingest(data, f"clip.{container}")
    assert asset.kind == "video"
    services.process(asset)
    assert asset.duration == pytest.approx(1.0, abs=0.15) and (asset.width, asset.height) == (64, 48)
    services.publish(asset)
    urls = services.public_urls(asset)
    assert set(urls) == {"video", "poster"}
    path = public_path(media_storage, urls["video"])
    with av.open(path) as c:
        assert c.streams.video[0].codec_context.name == "h264"
        assert c.streams.audio[0].codec_context.name == "aac"
        assert "location" not in c.metadata and "title" not in c.metadata
    raw = Path(path).read_bytes()
    assert b"+48.8577" not in raw and b"Secret Name" not in raw
    assert Path(public_path(media_storage, urls["poster"])).read_bytes()[:3] == b"\xff\xd8\xff"


def test_srt_is_parsed_into_cues_and_published_as_webvtt(ingest, media_storage):
    asset = ingest(makers.SRT.encode(), "captions.srt")
    assert (asset.kind, asset.detected_format) == ("transcript", "srt")
    services.process(asset)
    assert asset.cues == [{"start": 0.0, "end": 1.2, "text": "The square was quiet."},
                          {"start": 1.2, "end": 2.4, "text": "Then the bells rang."}]
    services.publish(asset)
    vtt = Path(public_path(media_storage, services.public_urls(asset)["vtt"])).read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT") and "00:00:01.200 --> 00:00:02.400" in vtt and "<font" not in vtt


def test_plain_text_transcript_in_arabic_gives_untimed_cues(ingest):
    text = "كنت هناك في الصباح.\n\nWe stayed until the evening.\n"
    asset = ingest(text.encode(), "نص.txt")
    services.process(asset)
    assert asset.detected_format == "text"
    assert [c["text"] for c in asset.cues] == ["كنت هناك في الصباح.", "We stayed until the evening."]
    assert "vtt" not in asset.derivatives and "text" in asset.derivatives

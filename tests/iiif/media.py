"""Items with real media for IIIF tests: generated in code, run through the real pipeline
(intake, sanitise, derivatives, level-0 tiles, A/V renditions, WebVTT) and published."""

from __future__ import annotations

import io

from archive.models import Item, ItemMedia
from media_pipeline import services as media
from media_pipeline.models import MediaAsset
from tests.factories import ItemFactory
from tests.media_pipeline import makers

VTT = """WEBVTT

00:00:00.000 --> 00:00:00.400
I remember the sound before anything else.

00:00:00.400 --> 00:00:00.900
Then a stranger was holding my hand.
"""


def ready(data: bytes, name: str, publish: bool = True) -> MediaAsset:
    asset = media.process(media.intake(io.BytesIO(data), name))
    assert asset.status == MediaAsset.Status.READY, asset.failure_reason
    if publish:
        media.publish(asset)
    asset.refresh_from_db()
    return asset


def photo_item(width: int = 900, height: int = 600, **item_kwargs) -> tuple[Item, ItemMedia]:
    item = ItemFactory(kind=Item.Kind.PHOTOGRAPH, **item_kwargs)
    asset = ready(makers.jpeg(width, height), "square.jpg")
    use = ItemMedia.objects.create(item=item, asset=asset, role=ItemMedia.Role.PHOTO,
                                   alt_text={"en": "Flowers and candles on a square (synthetic)"},
                                   caption={"en": "A year later", "fr": "Un an après"})
    return item, use


def recorded_testimony(video: bool = False, **item_kwargs) -> tuple[Item, ItemMedia, ItemMedia]:
    item = ItemFactory(kind=Item.Kind.TESTIMONY, **item_kwargs)
    data = makers.encode_video(frames=12) if video else makers.encode_audio("ipod", "aac", seconds=1.0)
    recording = ItemMedia.objects.create(item=item, asset=ready(data, "voice.mp4" if video else "voice.m4a"),
                                         role=ItemMedia.Role.RECORDING)
    transcript = ItemMedia.objects.create(item=item, asset=ready(VTT.encode(), "voice.vtt"),
                                          role=ItemMedia.Role.TRANSCRIPT, transcribes=recording, language="en")
    return item, recording, transcript

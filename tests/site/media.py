"""Items with real media for the site's tests and bench: generated in code (tests.media_pipeline.makers),
run through the real pipeline (intake, sanitise, derivatives, level-0 tiles, A/V, WebVTT), published."""

from __future__ import annotations

from archive.models import Item, ItemMedia
from tests.factories import ItemFactory
from tests.iiif.media import VTT, ready  # one helper for both: intake, process, publish
from tests.media_pipeline import makers


def make_photo(width: int = 900, height: int = 600, **item_kwargs) -> Item:
    item = ItemFactory(kind=Item.Kind.PHOTOGRAPH, **item_kwargs)
    ItemMedia.objects.create(item=item, asset=ready(makers.jpeg(width, height), "square.jpg"),
                             role=ItemMedia.Role.PHOTO, alt_text={"en": "Candles on a square (synthetic)"})
    return item


def make_testimony(**item_kwargs) -> Item:
    item = ItemFactory(kind=Item.Kind.TESTIMONY, **item_kwargs)
    recording = ItemMedia.objects.create(
        item=item, asset=ready(makers.encode_audio("ipod", "aac", seconds=1.0), "voice.m4a"),
        role=ItemMedia.Role.RECORDING)
    ItemMedia.objects.create(item=item, asset=ready(VTT.encode(), "voice.vtt"), role=ItemMedia.Role.TRANSCRIPT,
                             transcribes=recording, language="en")
    return item

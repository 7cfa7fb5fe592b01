"""Synthetic items for the search tests (no real people)."""

from __future__ import annotations

from datetime import date

from archive.models import Item, ItemMedia
from archive.search.documents import build_document, items_for_indexing
from media_pipeline.models import MediaAsset
from tests.factories import EventFactory, ItemFactory


def add_transcript(item: Item, cues: list[dict], language: str = "en") -> ItemMedia:
    asset = MediaAsset.objects.create(kind=MediaAsset.Kind.TRANSCRIPT, status=MediaAsset.Status.READY, cues=cues)
    return ItemMedia.objects.create(item=item, asset=asset, role=ItemMedia.Role.TRANSCRIPT, language=language)


def corpus() -> dict[str, Item]:
    """A small multilingual corpus that every backend must answer the same way."""
    ev_a = EventFactory(slug="synthetic-blast", name={"en": "Synthetic station blast"}, country="XA")
    ev_b = EventFactory(slug="synthetic-siege", name={"en": "Synthetic theatre siege"}, country="XB")
    items = {
        "watch": ItemFactory(
            kind=Item.Kind.OBJECT_STORY, title={"en": "A wristwatch stopped at 7:42", "fr": "Une montre arrêtée"},
            summary={"en": "The watch my brother wore."}, story={"en": "Café owner kept the broken watch."},
            country="XA", event=ev_a, date_start=date(2004, 3, 11), content_warnings=[],
        ),
        "scarf": ItemFactory(
            kind=Item.Kind.PHOTOGRAPH, title={"en": "A blue scarf", "es": "Una bufanda azul"},
            summary={"en": "Photographed after the siege."}, story={},
            country="XB", event=ev_b, date_start=date(2015, 11, 13), content_warnings=["injury"],
        ),
        "arabic": ItemFactory(
            kind=Item.Kind.TESTIMONY, title={"ar": "شهادة أَحْمَد عن المدرسة"},
            summary={"ar": "ذهبتُ إلى المكتبة"}, story={}, original_language="ar",
            country="XA", event=ev_a, date_start=date(2005, 7, 7),
        ),
        "chinese": ItemFactory(
            kind=Item.Kind.OBJECT_STORY, title={"zh-hans": "我的手表在爆炸中停了"}, summary={}, story={},
            original_language="zh-hans", country="XC", date_start=date(1998, 8, 7),
        ),
        "testimony": ItemFactory(
            kind=Item.Kind.TESTIMONY, title={"en": "Testimony of a first responder"},
            summary={"en": "Recorded in 2020."}, story={}, country="XB", event=ev_b, date_start=date(2016, 3, 22),
        ),
    }
    add_transcript(items["testimony"], [
        {"start": 0.0, "end": 4.0, "text": "We arrived at the station."},
        {"start": 12.5, "end": 17.0, "text": "There was smoke and a red umbrella on the platform."},
    ])
    return items


def documents(items) -> list[dict]:
    ids = [i.pk for i in (items.values() if isinstance(items, dict) else items)]
    return [d for d in (build_document(i) for i in items_for_indexing().filter(pk__in=ids)) if d]

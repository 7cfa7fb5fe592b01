"""seed_demo's media: synthetic photos with GPS (stripped when published), recordings with captions."""

import os

import pytest
import pyvips

from archive.models import Item, ItemMedia
from media_pipeline import services
from memorial.management.commands.seed_demo import attach_demo_media
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def test_photograph_gets_upright_photos_without_gps_published_when_consent_allows(media_storage):
    item = ItemFactory(kind=Item.Kind.PHOTOGRAPH)
    attach_demo_media(item, 1)  # i=1: two photos, one stored on its side
    uses = list(item.media.all())
    assert len(uses) == 2 and all(u.role == ItemMedia.Role.PHOTO and u.alt_text.get("en") for u in uses)
    for use in uses:
        original = pyvips.Image.new_from_file(os.path.join(media_storage["private"], use.asset.original_key))
        assert original.get_typeof("exif-data")  # the upload carries GPS...
        urls = services.public_urls(use.asset)
        assert urls, "consent allows the web: published"
        web = pyvips.Image.new_from_file(os.path.join(media_storage["public"], urls["web_jpeg"].split("/media/")[1]))
        assert not web.get_typeof("exif-data") and web.width > web.height  # ...the public file none; upright


def test_testimony_gets_a_recording_and_its_transcript_but_nothing_public_without_consent(public_files):
    item = ItemFactory(kind=Item.Kind.TESTIMONY, story={"en": "First sentence. Second one. Third."},
                       consent={"scopes": ["search"]})
    attach_demo_media(item, 0)
    rec = item.media.get(role=ItemMedia.Role.RECORDING)
    text = item.media.get(role=ItemMedia.Role.TRANSCRIPT)
    assert text.transcribes == rec and rec.asset.kind == "audio"
    assert [c["text"] for c in text.asset.cues] == ["First sentence.", "Second one.", "Third."]
    assert rec.asset.duration == pytest.approx(4.8, abs=0.2)
    assert public_files() == []

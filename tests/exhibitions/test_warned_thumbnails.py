"""Items with content warnings appear in exhibitions only through their blurred thumbnail: the sharp
file is never referenced by the page (hiding it with CSS would still download it)."""

import pytest

from media_pipeline import services as media
from tests.factories import ExhibitionEntryFactory, ExhibitionFactory
from tests.iiif.media import photo_item

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("warned", [True, False])
def test_entry_and_cover_thumbnails(client, warned):
    item, use = photo_item(content_warnings=["injury"] if warned else [])
    exhibition = ExhibitionFactory(cover=use)
    ExhibitionEntryFactory(exhibition=exhibition, item=item, media=use)
    urls = media.public_urls(use.asset)

    for path in (f"/en/exhibitions/{exhibition.slug}/", "/en/exhibitions/"):
        html = client.get(path).text
        if warned:
            assert urls["thumb"] not in html and urls["thumb_jpeg"] not in html, path
            assert urls["thumb_blurred"] in html, path
        else:
            assert urls["thumb"] in html, path
            assert urls["thumb_blurred"] not in html, path

"""Deep zoom at "fit" shows the whole photo at its true aspect, whatever its shape: photos drawn in
code, run through the real pipeline (tiles by libvips), drawn by OpenSeadragon in Debian's
Chromium; the drawn image's box is measured on a screenshot of the viewer."""

import io
import os

import pytest
from django.urls import reverse
from PIL import Image

from archive.models import Item, ItemMedia
from tests.factories import ItemFactory
from tests.iiif.media import ready

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHAPES = {"4:3": (1600, 1200), "3:2": (1500, 1000), "1:1": (1000, 1000), "portrait": (900, 1400),
          "panorama": (2400, 600)}


def _bright_photo(width: int, height: int) -> bytes:
    """A light photo with a darker frame line at its very edge, so its drawn box is measurable
    against the viewer's dark background."""
    img = Image.new("RGB", (width, height), (230, 200, 120))
    for x in range(0, width, 50):
        img.paste((90, 160, 220), (x, 0, min(width, x + 20), height))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def _drawn_box(png: bytes) -> tuple[tuple[int, int, int, int], tuple[int, int]]:
    """The bounding box of what is not the viewer's background (#1d1d1d), and the viewer's size."""
    img = Image.open(io.BytesIO(png)).convert("RGB")
    mask = img.point(lambda v: 255 if v > 60 else 0).convert("L")
    return mask.getbbox(), img.size


@pytest.fixture
def page(chromium, live_server, settings):
    settings.SITE_URL = live_server.url
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("shape", list(SHAPES))
def test_fit_shows_the_whole_photo_at_its_true_aspect(page, shape):
    width, height = SHAPES[shape]
    item = ItemFactory(kind=Item.Kind.PHOTOGRAPH)
    ItemMedia.objects.create(item=item, asset=ready(_bright_photo(width, height), "shape.jpg"),
                             role=ItemMedia.Role.PHOTO, alt_text={"en": "A test pattern (synthetic)"})
    page.goto(reverse("item-detail", args=[item.pk]))
    page.locator(".viewer__stage").hover()  # the zoom is fetched when the visitor reaches for the photo
    page.locator(".viewer__controls").wait_for(state="visible")
    # Fully drawn: every tile fetched, then OpenSeadragon's animation settled.
    page.wait_for_function("() => document.querySelector('.viewer__osd canvas') !== null")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)
    holder = page.locator(".viewer__osd")
    (left, top, right, bottom), (box_w, box_h) = _drawn_box(holder.screenshot())
    drawn_w, drawn_h = right - left, bottom - top
    assert abs(drawn_w / drawn_h - width / height) < 0.03 * (width / height), (shape, drawn_w, drawn_h)
    # "Fit": one side spans the viewer (within a pixel or two); the drawn box is inside it.
    assert drawn_w >= box_w - 3 or drawn_h >= box_h - 3, (shape, drawn_w, drawn_h, box_w, box_h)
    # ... and the viewer has the photo's shape: no heavy bars around it.
    assert abs(box_w / box_h - width / height) < 0.05 * (width / height), (shape, box_w, box_h)

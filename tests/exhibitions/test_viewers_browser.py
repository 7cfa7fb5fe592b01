"""The viewer partials on the item page, in Debian's Chromium: deep zoom loads tiles and is driven
by its buttons; the transcript follows playback and a line jumps there (keyboard); no autoplay."""

import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.iiif.media import photo_item, recorded_testimony

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(chromium, live_server, settings):
    settings.SITE_URL = live_server.url
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()


def test_deep_zoom_loads_tiles_and_zooms_with_its_buttons(page):
    item, use = photo_item(width=1400, height=1000)
    tiles = []
    page.on("response", lambda r: tiles.append(r.status) if "/iiif/" in r.url and r.url.endswith("default.jpg") else None)
    page.goto(reverse("item-detail", args=[item.pk]))
    page.locator(".viewer__stage").hover()  # the zoom is fetched when the visitor reaches for the photo
    page.wait_for_selector(".viewer__osd .openseadragon-canvas")
    controls = page.locator(".viewer__controls")
    controls.wait_for(state="visible")
    page.wait_for_function("() => document.querySelectorAll('.viewer__osd canvas').length > 0")
    page.wait_for_timeout(800)
    before = len(tiles)
    zoom_in = page.get_by_role("button", name="Zoom in")
    zoom_in.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    for _ in range(200):  # the detailed tiles arrive (a loaded machine animates slowly)
        if len(tiles) > before:
            break
        page.wait_for_timeout(100)
    assert tiles and all(s == 200 for s in tiles)
    assert len(tiles) > before  # zooming fetched more detailed tiles
    assert page.locator(".viewer__osd .openseadragon-canvas").get_attribute("tabindex") == "0"
    assert page.errors == []


def test_transcript_jumps_and_follows_without_autoplay(page):
    item, recording, transcript = recorded_testimony()
    page.goto(reverse("item-detail", args=[item.pk]))
    audio = page.locator(f"#media-{recording.pk}")
    assert audio.get_attribute("autoplay") is None
    page.wait_for_function(f"() => document.getElementById('media-{recording.pk}').readyState >= 1")
    page.wait_for_timeout(500)
    assert page.evaluate(f"() => document.getElementById('media-{recording.pk}').paused") is True
    lines = page.locator(".transcript__line")
    assert lines.count() == 2
    lines.nth(1).focus()
    page.keyboard.press("Enter")  # the listener chose the second line
    page.wait_for_function(f"() => document.getElementById('media-{recording.pk}').currentTime >= 0.4")
    expect(lines.nth(1)).to_have_attribute("aria-current", "true")
    assert lines.nth(0).get_attribute("aria-current") is None
    track = page.locator(f"#media-{recording.pk} track")
    assert track.get_attribute("kind") == "captions" and track.get_attribute("srclang") == "en"
    assert page.errors == []

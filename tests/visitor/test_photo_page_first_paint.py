"""A photo item page on a phone, in Debian's Chromium: the picture is the first paint, in a box of
the photo's own shape; the deep-zoom library (~280 KB) is not fetched until the visitor reaches for
the photograph; when the zoom opens over the picture nothing on the page moves (no layout shift).
Lighthouse measured this page at 58 (a second of main-thread work, a 0.15 shift) before."""

import os

import pytest
from django.urls import reverse

from tests.iiif.media import photo_item

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHIFTS = """() => { window.__shifts = []; new PerformanceObserver(list => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts.push(e.value);
}).observe({type: 'layout-shift', buffered: true}); }"""
# Where an element is on the page (not in the viewport: tapping may scroll).
BOX = """sel => { const r = document.querySelector(sel).getBoundingClientRect();
    return [r.left + scrollX, r.top + scrollY, r.width, r.height]; }"""


@pytest.mark.parametrize(("width", "height"), [(1500, 1000), (900, 1400)])
def test_zoom_loads_on_intent_and_moves_nothing(chromium, live_server, settings, width, height):
    settings.SITE_URL = live_server.url
    item, _use = photo_item(width=width, height=height, story={"en": "A story below the photograph."})
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 390, "height": 800},
                                   has_touch=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    scripts = []
    page.on("request", lambda r: scripts.append(r.url) if "openseadragon" in r.url else None)
    try:
        page.goto(reverse("item-detail", args=[item.pk]))
        page.wait_for_load_state("networkidle")
        page.evaluate(SHIFTS)
        img = page.locator("figure.viewer img").first
        assert img.get_attribute("fetchpriority") == "high" and img.get_attribute("loading") is None
        stage = page.evaluate(BOX, ".viewer__stage")
        assert abs(stage[2] / stage[3] - width / height) < 0.02 * width / height, stage
        assert scripts == []  # reading the page costs the phone no zoom library
        below = page.evaluate(BOX, "#story-heading")

        page.locator(".viewer__stage").tap()
        page.wait_for_selector(".viewer__osd .openseadragon-canvas")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        assert len(scripts) == 1
        assert page.evaluate(BOX, ".viewer__osd") == stage  # the zoom opened in the picture's box
        assert page.evaluate(BOX, "#story-heading") == below
        assert sum(page.evaluate("() => window.__shifts")) == 0
    finally:
        context.close()


def _tiles_drawn(page, path: str, reach) -> int:
    tiles = []
    page.on("response", lambda r: tiles.append(r.url) if r.url.endswith("/default.jpg") and "/iiif/" in r.url else None)
    page.goto(path)
    reach(page)
    page.wait_for_selector(".viewer__osd .openseadragon-canvas")
    page.wait_for_function("() => document.querySelector('figure.viewer picture').hidden")
    page.wait_for_load_state("networkidle")
    # The zoom's animation settled and its tiles fetched: no new tile for 1.5 s (at least 2.5 s in
    # all; a loaded machine animates slowly).
    page.wait_for_timeout(1000)
    seen, quiet = len(set(tiles)), 0
    for _ in range(300):
        if quiet >= 15:
            break
        page.wait_for_timeout(100)
        quiet = quiet + 1 if len(set(tiles)) == seen else 0
        seen = len(set(tiles))
    return seen


def _press_zoom_in_twice(page):
    page.get_by_role("button", name="Zoom in").focus()  # by keyboard: focus alone starts fetching
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")


def test_a_button_pressed_before_the_zoom_is_ready_acts_once_it_is(chromium, live_server, settings):
    settings.SITE_URL = live_server.url
    item, _use = photo_item(width=1400, height=1000)
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    try:
        path = reverse("item-detail", args=[item.pk])
        at_fit = _tiles_drawn(context.new_page(), path, lambda page: page.locator(".viewer__stage").hover())
        zoomed = _tiles_drawn(context.new_page(), path, _press_zoom_in_twice)
        assert zoomed > at_fit  # the presses made before it opened zoomed in: more detailed tiles
    finally:
        context.close()

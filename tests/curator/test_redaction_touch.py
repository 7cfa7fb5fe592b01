"""Redaction with a finger: a phone-sized Chromium context with touch (Playwright `has_touch`),
real touch events through the browser's input pipeline (CDP Input.dispatchTouchEvent, as a
touchscreen sends them, so the page sees touch pointer events and its `touch-action: none` is what
keeps the drag from scrolling), then the public derivative and tiles decoded: blurred there."""

import os

import pytest

from tests.curator.test_browser_review import (
    H,
    W,
    _context,
    assert_blurred_only_there,
    published_photo,
    snapshot,
    submit_one_box,
)
from tests.curator.test_redaction import own_storage  # noqa: F401 (fixture)

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _swipe(cdp, start, end, steps=8):
    """One finger down at `start`, moved to `end`, lifted."""
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": start[0], "y": start[1]}]})
    for i in range(1, steps + 1):
        x = start[0] + (end[0] - start[0]) * i / steps
        y = start[1] + (end[1] - start[1]) * i / steps
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_draw_a_box_with_a_finger_on_a_phone(chromium, live_server, moderator, tmp_path):
    context = _context(chromium, live_server, moderator, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        item, _media, asset = published_photo()
        before = snapshot(asset, tmp_path)
        page.goto(f"/en/curator/items/{item.pk}/redact")
        page.wait_for_function("() => document.querySelector('.cw-editor img').naturalWidth > 0")
        page.evaluate("""() => { window.kinds = []; document.querySelector('.cw-editor')
            .addEventListener('pointerdown', e => window.kinds.push(e.pointerType)); }""")
        page.locator(".cw-editor img").scroll_into_view_if_needed()
        r = page.locator(".cw-editor img").bounding_box()
        assert r["width"] <= 390  # the photograph fits the phone
        scroll = page.evaluate("window.scrollY")
        cdp = context.new_cdp_session(page)
        _swipe(cdp, (r["x"] + r["width"] * 0.2, r["y"] + r["height"] * 0.3),
               (r["x"] + r["width"] * 0.5, r["y"] + r["height"] * 0.8))
        assert page.evaluate("window.kinds") == ["touch"]
        assert page.evaluate("window.scrollY") == scroll  # the finger drew; the page did not scroll
        assert page.locator(".cw-box").count() == 1
        drawn = submit_one_box(page, asset)  # the finger's part, drawing without scrolling, is above
        expected = [0.2 * W, 0.3 * H, 0.3 * W, 0.5 * H]
        # A finger on a 390 px screen: one screen pixel is about 2.7 photo pixels.
        assert all(abs(a - e) <= 12 for a, e in zip(drawn, expected, strict=True)), drawn
        assert asset.is_published
        assert_blurred_only_there(asset, before, [drawn])
        # No horizontal scroll on the phone.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()

"""Transcripts and media in Debian's Chromium: a "#t=" link seeks the recording, highlights the
line and offers a play button without playing; captions are on by default; the transcript's time
buttons pass axe's colour contrast; a video testimony does not scroll sideways on a phone."""

import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from archive.search.tasks import index_item
from tests.browser.conftest import axe_violations
from tests.iiif.media import recorded_testimony

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def context(chromium, fast_server):
    context = chromium.new_context(base_url=fast_server, viewport={"width": 1280, "height": 900},
                                   bypass_csp=True)
    context.set_default_timeout(20_000)
    yield context
    context.close()


def _player(page, recording) -> str:
    return f"document.getElementById('media-{recording.pk}')"


def test_fragment_seeks_highlights_and_offers_play_without_autoplay(context):
    item, recording, _transcript = recorded_testimony()
    page = context.new_page()
    page.goto(reverse("item-detail", args=[item.pk]) + "#t=0.5")
    player = _player(page, recording)
    page.wait_for_function(f"() => Math.abs({player}.currentTime - 0.5) < 0.06")
    lines = page.locator(".transcript__line")
    expect(lines.nth(1)).to_have_attribute("aria-current", "true")
    assert lines.nth(0).get_attribute("aria-current") is None
    page.wait_for_timeout(400)
    assert page.evaluate(f"() => {player}.paused") is True  # no autoplay
    jump = page.locator(f"[data-play-from='media-{recording.pk}'] button")
    expect(jump).to_be_visible()
    expect(jump).to_contain_text("0:00")
    jump.click()
    page.wait_for_function(f"() => !{player}.paused || {player}.ended")
    expect(jump).to_be_hidden()


def test_a_search_hit_at_a_time_lands_there(context):
    item, recording, _transcript = recorded_testimony()
    index_item.call(str(item.pk))  # the transcript came after the item's first indexing
    page = context.new_page()
    page.goto(reverse("search") + "?q=stranger")
    link = page.locator(".transcript-hits a").first
    href = link.get_attribute("href")
    assert href.endswith("#t=0.4"), href
    link.click()
    player = _player(page, recording)
    page.wait_for_function(f"() => Math.abs({player}.currentTime - 0.4) < 0.06")
    expect(page.locator(".transcript__line").nth(1)).to_have_attribute("aria-current", "true")


def test_video_captions_on_by_default_and_no_sideways_scroll_on_a_phone(context):
    item, recording, _transcript = recorded_testimony(video=True)
    page = context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("item-detail", args=[item.pk]) + "#t=0.5")
    player = _player(page, recording)
    page.wait_for_function(f"() => {player}.textTracks.length && {player}.textTracks[0].mode === 'showing'")
    page.wait_for_function(f"() => {player}.readyState >= 1")
    widths = page.evaluate("""() => ({doc: document.documentElement.scrollWidth,
        view: document.documentElement.clientWidth,
        media: Math.max(...[...document.querySelectorAll('div.item-media')].map(e => e.scrollWidth))})""")
    assert widths["doc"] <= widths["view"] and widths["media"] <= widths["view"], widths


def test_transcript_time_buttons_pass_colour_contrast(context):
    item, recording, _transcript = recorded_testimony()
    page = context.new_page()
    page.goto(reverse("item-detail", args=[item.pk]) + "#t=0.5")
    expect(page.locator(".transcript__line").nth(1)).to_have_attribute("aria-current", "true")
    contrast = [v for v in axe_violations(page) if v["id"] == "color-contrast"]
    assert contrast == [], contrast

"""The two journeys of issue 7 in Debian's Chromium, against the live server, with real media
(generated in code, run through the real pipeline) and the real search backend."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from archive import moderation, surfaces
from archive.models import Item
from tests.browser.conftest import screenshot
from tests.factories import ExhibitionEntryFactory, ExhibitionFactory, RemembranceDayFactory
from tests.media_pipeline import makers
from tests.site.media import make_photo, make_testimony

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _url(name, *args, lang="en"):
    with translation.override(lang):
        return reverse(name, args=args)


def _sync_surfaces(*items):
    """What propagation does after publication: every registered surface (search index, IIIF...)."""
    for item in items:
        item.refresh_from_db()
        for surface in surfaces.registered():
            surface.propagate(item)


@pytest.fixture(autouse=True)
def _site_url(settings, live_server):
    # Public media URLs and IIIF ids (written into info.json at publication) point at this server.
    settings.SITE_URL = live_server.url


@pytest.fixture
def archive_content(_site_url):
    RemembranceDayFactory(slug="synthetic-day", name={"en": "A day of remembrance (synthetic)"})
    exhibition = ExhibitionFactory(slug="objects", featured=True, title={"en": "Objects that remember"})
    photo = make_photo(width=1600, height=1200, title={"en": "Candles on the square (synthetic)"},
                       story={"en": "People left candles for a week."}, content_warnings=["grief"])
    testimony = make_testimony(title={"en": "The stranger who stayed (synthetic testimony)"},
                               story={"en": "A testimony, synthetic."})
    ExhibitionEntryFactory(exhibition=exhibition, item=photo, position=0)
    ExhibitionEntryFactory(exhibition=exhibition, item=testimony, position=1)
    _sync_surfaces(photo, testimony)
    return {"photo": photo, "testimony": testimony}


def test_visitor_journey(web, archive_content):
    testimony = archive_content["testimony"]
    tiles = []
    web.on("response", lambda r: tiles.append((r.url, r.status)) if re.search(r"/iiif/.+/default\.jpg$", r.url) else None)

    # Home -> the featured exhibition.
    web.goto(_url("home"))
    web.get_by_role("link", name="Objects that remember").first.click()
    web.wait_for_url(f"**{_url('exhibition-detail', 'objects')}")

    # Exhibition -> the photograph, behind its content warning (a GET form: nothing is recorded).
    web.get_by_role("link", name="Candles on the square (synthetic)").click()
    web.get_by_role("heading", name="Before you continue").wait_for()
    assert web.locator("img[src*='/media/']").count() == 0  # nothing of the item before the choice
    web.get_by_role("button", name="Show me this item").focus()  # with the keyboard
    web.keyboard.press("Enter")
    web.get_by_role("heading", name="Candles on the square (synthetic)").wait_for()

    # Zoom: the deep-zoom viewer opens on the level-0 tiles; zooming in loads more of them.
    zoom_in = web.get_by_role("button", name="Zoom in")
    zoom_in.wait_for(state="visible")
    web.locator(".viewer__stage").hover()  # the zoom is fetched when the visitor reaches for the photo
    tile_count = "() => performance.getEntriesByType('resource').filter(e => /\\/iiif\\/.+\\/default\\.jpg$/.test(e.name)).length"
    web.wait_for_function(f"({tile_count})() > 0")
    web.wait_for_timeout(800)  # let the first level settle
    before = web.evaluate(tile_count)
    zoom_in.click()
    zoom_in.click()
    web.wait_for_function(f"n => ({tile_count})() > n", arg=before)
    assert tiles and all(status == 200 for _url_, status in tiles)
    screenshot(web, "item-photo-en")
    # The shown page is its own address: reloading it does not ask again.
    web.reload()
    assert web.get_by_role("heading", name="Before you continue").count() == 0

    # The testimony: nothing plays by itself; a transcript line plays from its moment.
    web.goto(_url("item-detail", testimony.pk))
    player = web.locator("audio, video").first
    player.wait_for()
    assert player.get_attribute("autoplay") is None
    assert web.evaluate("() => document.querySelector('audio, video').paused")
    line = web.locator("button.transcript__line").nth(1)
    line.click()
    web.wait_for_function("() => { const m = document.querySelector('audio, video'); return m.currentTime >= 0.4; }")
    expect(line).to_have_attribute("aria-current", "true")  # the line being spoken is marked
    assert web.get_by_role("link", name="Where to find help").count() >= 1  # support from every testimony

    # Search with a facet.
    web.goto(_url("home"))
    web.get_by_label("Search the archive").fill("synthetic")
    web.get_by_label("Search the archive").press("Enter")
    web.wait_for_url("**/search/?q=synthetic*")
    results = web.locator("ol.results > li")
    assert results.count() == 2
    facet = web.locator("fieldset.facet-kind input[value=testimony]")
    facet.check()
    web.get_by_role("button", name="Apply filters").click()
    web.wait_for_url("**kind=testimony*")
    assert results.count() == 1
    assert "The stranger who stayed" in results.first.inner_text()


def test_contributor_journey(web, live_server, tmp_path):
    photo = tmp_path / "lantern.jpg"
    photo.write_bytes(makers.jpeg(640, 480, gps=True))  # with GPS EXIF: the pipeline strips it

    # Story.
    web.goto(_url("contribute"))
    web.get_by_label("An object you kept, and its story.", exact=False).check()
    web.get_by_label("A short title").fill("A paper lantern (synthetic)")
    web.get_by_label("Your story").fill("We lit it every year on the same evening. (Synthetic.)")
    web.get_by_role("button", name="Continue").click()
    # Files, sent with the upload progress enhancement.
    web.wait_for_url(f"**{_url('contribute-files')}")
    web.set_input_files("input[type=file]", str(photo))
    web.locator("button[name=continue]").click()
    # Choices.
    web.wait_for_url(f"**{_url('contribute-consent')}")
    for label in ("Show it on this website", "Let people find it with this site's search",
                  "Share it with other museums and archives"):
        web.get_by_label(label).check()
    web.get_by_label("Initials only").check()
    web.get_by_label("The name to show").fill("Robin Sample")
    web.get_by_role("button", name="Continue").click()
    # Review and send.
    web.wait_for_url(f"**{_url('contribute-review')}")
    assert "lantern.jpg" in web.content()
    web.get_by_label("I have read my choices above and I want to send my story.").check()
    web.get_by_role("button", name="Send my story").click()
    web.wait_for_url(f"**{_url('contribute-receipt')}")
    link = web.locator("#manage-link a").get_attribute("href")
    assert "/manage/" in link

    # The curator approves: the story is public, with its photo, in search and in IIIF.
    item = Item.objects.get()
    curator = get_user_model().objects.create_superuser("curator", "c@example.org", "pw")
    moderation.approve(item, actor=curator)
    page = web.goto(_url("item-detail", item.pk))
    assert page.status == 200
    assert web.get_by_role("heading", name="A paper lantern (synthetic)").is_visible()
    assert "R. S." in web.content() and "Robin Sample" not in web.content()
    image = web.locator("figure.viewer img").first
    image_url = live_server.url + image.get_attribute("src") if image.get_attribute("src").startswith("/") else image.get_attribute("src")
    assert web.request.get(image_url).status == 200
    web.goto(_url("search") + "?q=lantern")
    assert web.locator("ol.results > li").count() == 1
    manifest = reverse("iiif:manifest", args=[str(item.pk)])
    assert web.request.get(live_server.url + manifest).status == 200

    # Withdraw from the management page, after the confirmation.
    web.goto(link)
    web.get_by_role("button", name="Withdraw my story").click()
    expect(web.get_by_text("Your story will disappear now")).to_be_visible()
    web.get_by_role("button", name="Yes, withdraw my story").click()
    web.get_by_text("Your story is withdrawn. It has been removed from every public place.").wait_for()
    screenshot(web, "manage-withdrawn-en")

    # Gone from the page, search, IIIF and the old media URL.
    assert web.goto(_url("item-detail", item.pk)).status == 404
    web.goto(_url("search") + "?q=lantern")
    assert web.locator("ol.results > li").count() == 0
    assert web.request.get(live_server.url + manifest).status == 404
    assert web.request.get(image_url).status == 404


def test_quick_exit_with_the_escape_key_leaves_no_way_back(web):
    neutral = "https://www.wikipedia.org/"
    web.route(f"{neutral}**", lambda route: route.fulfill(status=200, content_type="text/html",
                                                          body="<title>Neutral</title><p>neutral page</p>"))
    web.goto(_url("about"))
    web.goto(_url("contribute"))
    web.get_by_label("A short title").fill("Half-written (synthetic)")
    web.keyboard.press("Escape")
    web.wait_for_url(neutral)
    # The contribution page was replaced in the history: "back" does not return to it.
    web.go_back()
    assert web.url.endswith(_url("about"))
    # Without JavaScript the control is an ordinary link to the same neutral page.
    web.goto(_url("contribute"))
    assert web.get_by_role("link", name="Leave this site quickly").get_attribute("href") == neutral

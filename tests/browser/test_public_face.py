"""The public face of issue 14 in Debian's Chromium: no page type scrolls sideways on a phone, one
viewer per item, quick exit on item pages, "take me back", the sequence view, favicon and the
styled 404 page; real media through the real pipeline (seed_demo's own drawings and recordings)."""

import pytest
from django.urls import reverse
from django.utils import translation

from archive import surfaces
from exhibitions.models import ExhibitionSection
from media_pipeline import demo
from memorial.management.commands.seed_demo import attach_demo_media
from tests.browser.conftest import axe_violations
from tests.factories import ExhibitionEntryFactory, ExhibitionFactory, ItemFactory, RemembranceDayFactory
from tests.iiif.media import ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "Unbrokenwordsthatwouldpushapagesideways" * 3  # a long unbroken title must wrap, not overflow


def _url(name, *args, lang="en"):
    with translation.override(lang):
        return reverse(name, args=args)


@pytest.fixture
def face(settings, live_server, fresh_storage):
    settings.SITE_URL = live_server.url
    settings.QUICK_EXIT_URL = live_server.url + "/en/about/"  # a neutral page the test can reach
    day = RemembranceDayFactory(slug="synthetic-day", name={"en": "A day of remembrance (synthetic)",
                                                            "ar": "يوم للذكرى (متخيل)"})
    exhibition = ExhibitionFactory(slug="objects", featured=True, remembrance_day=day,
                                   title={"en": "Objects that remember", "ar": "أشياء تتذكر"},
                                   introduction={"en": "Synthetic introduction."})
    section = ExhibitionSection.objects.create(exhibition=exhibition, title={"en": "A section"},
                                               text={"en": "Narrative text between entries."})
    photo = ItemFactory(kind="photograph", title={"en": f"Two photographs {LONG}"}, event=None)
    attach_demo_media(photo, 1)  # two photographs
    # A video testimony with a long transcript, and long unbroken words in its title, its recording's
    # caption and its transcript lines (the transcript's cues are the story's sentences).
    video = ItemFactory(kind="testimony", title={"en": f"A video testimony {LONG}"},
                        story={"en": "First sentence. Second sentence."})
    attach_demo_media(video, 2)  # i % 4 == 2: a video
    video.media.filter(role="recording").update(caption={"en": f"Recorded in {LONG} (synthetic)"})
    lines = [f"Line {n} of a long testimony, {LONG if n % 7 == 0 else 'in plain words'}." for n in range(40)]
    video.media.filter(role="transcript").update(asset=ready(demo.webvtt(lines), "long.vtt"))
    warned = ItemFactory(title={"en": "A torn jacket (synthetic)"}, content_warnings=["injury"])
    for pos, item in enumerate((photo, video, warned)):
        ExhibitionEntryFactory(exhibition=exhibition, item=item, position=pos, section=section,
                               caption={"en": f"Caption {pos} (synthetic)"})
    for item in (photo, video, warned):
        item.refresh_from_db()
        for surface in surfaces.registered():
            surface.propagate(item)
    return {"photo": photo, "video": video, "warned": warned}


def _page_types(face, lang):
    return [
        _url("home", lang=lang), _url("exhibition-list", lang=lang), _url("exhibition-detail", "objects", lang=lang),
        _url("exhibition-sequence", "objects", 1, lang=lang), _url("item-detail", face["photo"].pk, lang=lang),
        _url("item-detail", face["video"].pk, lang=lang), _url("item-detail", face["warned"].pk, lang=lang),
        _url("item-detail", face["warned"].pk, lang=lang) + "?shown=1", _url("remembrance-day", "synthetic-day", lang=lang),
        _url("search", lang=lang) + "?q=synthetic", _url("about", lang=lang), _url("support", lang=lang),
        _url("contribute", lang=lang), f"/{lang}/no-such-page/",
    ]


@pytest.mark.parametrize(("width", "lang"), [(320, "en"), (390, "en"), (320, "ar")])
def test_no_page_type_scrolls_sideways_on_a_phone(browser, live_server, face, width, lang):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 800})
    page = context.new_page()
    wide = {}
    for path in _page_types(face, lang):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        if path == _url("item-detail", face["video"].pk, lang=lang):  # the page really has them
            assert page.locator("video").count() == 1 and page.locator(".transcript__line").count() == 40
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            wide[path] = overflow
    # The navigation fits: its six links take at most two rows.
    page.goto(_url("home", lang=lang))
    links = page.locator(".site-nav a")
    rows = {round(links.nth(k).bounding_box()["y"]) for k in range(links.count())}
    context.close()
    assert not wide, f"pages wider than {width}px: {wide}"
    assert len(rows) <= 2, rows


def test_item_page_has_one_viewer_and_a_quick_exit(web, face):
    web.goto(_url("item-detail", face["photo"].pk))
    assert web.locator("figure.viewer").count() == 1
    first = web.locator("figure.viewer img").get_attribute("src")
    strip = web.locator(".photo-strip a")
    assert strip.count() == 2 and strip.first.get_attribute("aria-current") == "true"
    strip.nth(1).click()
    web.wait_for_url("**?photo=2")
    assert web.locator("figure.viewer").count() == 1
    assert web.locator("figure.viewer img").get_attribute("src") != first

    exit_link = web.locator("[data-quick-exit]")
    assert exit_link.is_visible()
    web.locator("body").press("Escape")
    web.wait_for_url("**/en/about/")
    web.go_back()  # the page left was replaced in the history, not kept behind the neutral one
    assert "photo=2" not in web.url


def test_not_now_takes_the_visitor_back_where_they_came_from(web, face):
    exhibition = _url("exhibition-detail", "objects")
    web.goto(exhibition)
    web.locator(f"a[href='{_url('item-detail', face['warned'].pk)}']").first.click()
    web.get_by_role("link", name="Not now, take me back").click()
    web.wait_for_url(f"**{exhibition}")


@pytest.mark.parametrize(("next_", "expected"), [
    ("/en/exhibitions/objects/", "/en/exhibitions/objects/"),
    ("https://evil.example/", "/en/"), ("//evil.example/x", "/en/"), ("/\\evil.example", "/en/"),
])
def test_take_me_back_without_javascript_follows_only_a_same_site_next(browser, live_server, face, next_, expected):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(_url("item-detail", face["warned"].pk) + "?next=" + next_.replace("\\", "%5C"))
    link = page.get_by_role("link", name="Not now, take me back")
    assert link.get_attribute("href") == expected
    link.click()
    page.wait_for_url(live_server.url + expected)
    context.close()


def test_sequence_view_one_memory_at_a_time_by_keyboard(web, face):
    web.goto(_url("exhibition-sequence", "objects", 1))
    assert web.locator("[data-sequence-next]").get_attribute("href").endswith("/objects/2/")
    web.keyboard.press("ArrowRight")
    web.wait_for_url("**/objects/2/")
    web.keyboard.press("ArrowLeft")
    web.wait_for_url("**/objects/1/")


def test_favicon_and_app_icons_answer(web, face):
    web.goto(_url("home"))
    assert web.request.get("/favicon.ico").status == 200
    for href in web.locator("link[rel~=icon], link[rel=apple-touch-icon], link[rel=manifest]").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))"):
        assert web.request.get(href).status == 200, href


@pytest.mark.parametrize(("lang", "heading"), [("en", "This page is not here"), ("ar", None)])
def test_404_page_is_styled_and_translated(web, face, lang, heading):
    response = web.goto(f"/{lang}/no-such-page/")
    assert response.status == 404
    h1 = web.locator("h1")
    text = h1.inner_text()
    assert text == heading if heading else (text and text != "This page is not here")
    assert web.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert "Memories Serif" in h1.evaluate("e => getComputedStyle(e).fontFamily")  # the design system applies
    assert web.locator("[data-quick-exit]").count() == 1


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_new_pages_have_no_serious_accessibility_violations(web, face, lang):
    failures = {}
    for path in (_url("exhibition-sequence", "objects", 1, lang=lang), _url("exhibition-sequence", "objects", 2, lang=lang),
                 _url("item-detail", face["photo"].pk, lang=lang) + "?photo=2", f"/{lang}/no-such-page/",
                 _url("remembrance-day", "synthetic-day", lang=lang)):
        web.goto(path)
        violations = axe_violations(web)
        if violations:
            failures[path] = violations
    assert not failures, failures

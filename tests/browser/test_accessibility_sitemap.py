"""axe-core (WCAG 2.2 A/AA and best practices) on every page the sitemap lists, in English and in
Arabic, with real media: a photograph with its deep zoom opened, a video and an audio testimony with
their transcripts, an item behind a content warning (the gate, and the item once shown); and the
search page on a phone, its "Refine" disclosure open. The other page types (home, exhibitions,
contribution steps, receipt, management) are in test_accessibility.py."""

import re

import pytest

from archive import surfaces
from memorial.management.commands.seed_demo import attach_demo_media
from tests.browser.conftest import axe_violations
from tests.factories import ItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def items(settings, live_server, fresh_storage):
    settings.SITE_URL = live_server.url
    made = []
    for n, (kind, media_index) in enumerate((("photograph", 1), ("testimony", 2), ("testimony", 4))):
        item = ItemFactory(kind=kind, title={"en": f"Item {n} (synthetic)", "ar": f"عنصر {n} (متخيل)"},
                           story={"en": "First sentence. Second sentence. Third sentence."},
                           content_warnings=["injury"] if n == 2 else [])
        attach_demo_media(item, media_index)  # two photographs; a video; an audio recording
        made.append(item)
    for item in made:
        item.refresh_from_db()
        for surface in surfaces.registered():
            surface.propagate(item)
    return made


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_sitemap_page_has_no_serious_violation(web, items, lang):
    # /sitemap.xml is an index of sitemaps: every page it lists, then every URL on them.
    index = web.request.get("/sitemap.xml").text()
    locs = [loc for page in re.findall(r"<loc>([^<]+)</loc>", index)
            for loc in re.findall(r"<loc>([^<]+)</loc>", web.request.get(re.sub(r"^https?://[^/]+", "", page)).text())]
    paths = sorted({re.sub(r"^https?://[^/]+", "", loc) for loc in locs if f"/{lang}/" in loc})
    assert len(paths) == len(items), paths  # every item, and the test walks them all
    failures = {}
    queue = list(paths)
    while queue:
        path = queue.pop(0)
        web.goto(path)
        if web.locator("form.gate, .gate").count() and "?shown=1" not in path:
            queue.append(path + "?shown=1")  # the item behind its content warning, once shown
        assert web.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        if web.locator(".viewer__stage[data-osd-src]").count():
            web.locator(".viewer__stage").first.hover()  # the deep zoom open, with its controls
            web.wait_for_selector(".viewer__osd .openseadragon-canvas")
        web.wait_for_load_state("networkidle")
        violations = axe_violations(web)
        if violations:
            failures[path] = violations
    assert web.locator("video").count() or web.locator("audio").count()  # the media pages were reached
    assert not failures, failures


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_search_on_a_phone_with_refine_open(browser, live_server, items, lang):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(f"/{lang}/search/")
        page.locator("details.search-refine > summary").click()
        page.locator("fieldset.facet").first.wait_for(state="visible")
        assert not axe_violations(page)
    finally:
        context.close()

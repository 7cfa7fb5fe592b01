"""Facets a visitor steers, in Debian's Chromium: tick one country, then another (the facet keeps
its other values), see a chip for each, remove one by its chip, then clear all."""

import pytest
from playwright.sync_api import expect

from archive.search import get_backend
from tests.search.helpers import corpus, documents

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_multi_select_and_chips(chromium, live_server):
    get_backend().index(documents(corpus()))
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/en/search/")
        apply = page.get_by_role("button", name="Apply filters")
        page.locator('input[name="country"][value="XA"]').check()
        apply.click()
        expect(page.locator("#results-heading")).to_contain_text("2 results")
        xb = page.locator('input[name="country"][value="XB"]')
        expect(xb).to_be_visible()  # the facet kept its other values
        xb.check()
        page.get_by_role("button", name="Apply filters").click()
        expect(page.locator("#results-heading")).to_contain_text("4 results")
        chips = page.locator("a.chip")
        expect(chips).to_have_count(2)
        chips.filter(has_text="Fictional place XA").click()
        expect(page.locator("a.chip")).to_have_count(1)
        expect(page.locator("#results-heading")).to_contain_text("2 results")
        assert page.locator('input[name="country"][value="XA"]').is_checked() is False
        page.locator('input[name="kind"][value="testimony"]').check()
        page.get_by_role("button", name="Apply filters").click()
        page.get_by_role("link", name="Clear all filters").click()
        expect(page.locator("a.chip")).to_have_count(0)
        expect(page.locator("#results-heading")).to_contain_text("5 results")
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_on_a_phone_the_results_come_first_and_refine_unfolds(chromium, live_server, javascript):
    get_backend().index(documents(corpus()))
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844},
                                   java_script_enabled=javascript)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/en/search/")
        first = page.locator("ol.results > li").first.bounding_box()
        assert first["y"] + 80 < 844, first  # the first result is above the fold
        assert not page.locator("fieldset.facet").first.is_visible()  # the facets are folded away
        page.get_by_role("heading", name="Refine").click()  # the disclosure, with or without script
        xa = page.locator('input[name="country"][value="XA"]')
        expect(xa).to_be_visible()
        xa.check()
        page.get_by_role("button", name="Apply filters").click()
        expect(page.locator("#results-heading")).to_contain_text("2 results")
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_on_a_wide_screen_the_facets_stand_beside_the_results(chromium, live_server, javascript):
    get_backend().index(documents(corpus()))
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900},
                                   java_script_enabled=javascript)
    page = context.new_page()
    try:
        page.goto("/en/search/")
        facet = page.locator("fieldset.facet").first
        expect(facet).to_be_visible()
        results = page.locator("ol.results").bounding_box()
        assert facet.bounding_box()["x"] + facet.bounding_box()["width"] <= results["x"]  # beside, not above
        if javascript:  # its state is the one seen (a screen reader hears it open)
            assert page.locator("details.search-refine").evaluate("d => d.open") is True
    finally:
        context.close()

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

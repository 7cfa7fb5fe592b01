"""Issue 13 in Debian's Chromium: a person who goes through the form without ticking anything
sends a story that may appear nowhere (with JavaScript and without it)."""

import pytest
from django.urls import reverse
from django.utils import translation

from archive.models import Item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _url(name):
    with translation.override("en"):
        return reverse(name)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_story_sent_without_ticking_anything_has_no_scope(browser, live_server, javascript):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript, locale="en-GB")
    context.set_default_timeout(15_000)
    web = context.new_page()
    try:
        web.goto(_url("contribute"))
        web.get_by_label("A short title").fill("A synthetic bicycle bell")
        web.get_by_label("Your story").fill("It rang every morning. (Synthetic.)")
        web.get_by_role("button", name="Continue").click()
        web.wait_for_url(f"**{_url('contribute-files')}")
        web.locator("button[name=continue]").click()
        web.wait_for_url(f"**{_url('contribute-consent')}")
        boxes = web.locator("input[name=scopes]")
        assert boxes.count() == 6
        assert [boxes.nth(i).is_checked() for i in range(6)] == [False] * 6
        web.get_by_role("button", name="Continue").click()
        web.wait_for_url(f"**{_url('contribute-review')}")
        assert web.get_by_text("Nowhere in public: only our team will read it.").is_visible()
        web.get_by_label("I have read my choices above and I want to send my story.").check()
        web.get_by_role("button", name="Send my story").click()
        web.wait_for_url(f"**{_url('contribute-receipt')}")
    finally:
        context.close()
    assert Item.objects.get().current_consent.scopes == []

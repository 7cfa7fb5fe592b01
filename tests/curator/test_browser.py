"""Browser test (Playwright, Debian's Chromium): the moderation queue and the exhibition builder,
driven with the keyboard only (Tab, Enter, Space and typing; no mouse click anywhere)."""

import io
import os

import pytest
from django.test import Client

from archive.models import Item, ItemMedia
from exhibitions.models import ExhibitionEntry
from media_pipeline import services as pipeline
from tests.curator.test_redaction import noisy_jpeg, own_storage  # noqa: F401 (fixture)
from tests.factories import ExhibitionEntryFactory, ExhibitionFactory, ItemFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(chromium, live_server, curator):
    client = Client()
    client.force_login(curator)
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                          "url": live_server.url}])
    yield context.new_page()
    context.close()


def tab_to(page, selector: str, text: str = "", limit: int = 200) -> None:
    """Press Tab until the focused element matches `selector` (and contains `text`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("""([sel, text]) => { const el = document.activeElement;
            return !!el && el.matches(sel) && el.textContent.includes(text); }""", [selector, text]):
            return
    raise AssertionError(f"Tab never reached {selector} {text!r}")


def photo_submission(title: str, warnings=()) -> Item:
    asset = pipeline.intake(io.BytesIO(noisy_jpeg(480, 320)), "photo.jpg")
    pipeline.process(asset)
    item = ItemFactory(status=Item.Status.SUBMITTED, published_at=None, title={"en": title},
                       content_warnings=list(warnings), consent={"scopes": ["web", "search", "exhibition", "iiif"]})
    ItemMedia.objects.create(item=item, asset=asset, role="photo")
    return item


def test_moderation_queue_with_the_keyboard_only(page):
    first = photo_submission("Synthetic photo of a street", warnings=["injury"])
    second = photo_submission("Synthetic photo of a kept ticket")
    page.goto("/en/curator/queue/")
    assert page.locator("h1").inner_text() == "Moderation queue"

    # Open the first submission, pass its content warning with Enter, see the private preview.
    tab_to(page, "a", "Synthetic photo of a street")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/curator/items/{first.pk}/")
    preview = page.locator(".cw-gate img")
    assert not preview.is_visible()
    tab_to(page, "summary", "Content warning")
    page.keyboard.press("Enter")
    preview.wait_for(state="visible")
    page.wait_for_function("() => document.querySelector('.cw-gate img').naturalWidth > 0")

    # Ask for changes: type the reason, then Enter on the button.
    tab_to(page, "textarea#changes-reason")
    page.keyboard.type("Please blur the house number in the background.")
    tab_to(page, "button#request-changes")
    page.keyboard.press("Enter")
    page.wait_for_url("**/curator/queue/")
    assert "Changes requested" in page.locator(".cw-messages").inner_text()
    first.refresh_from_db()
    assert first.status == Item.Status.CHANGES_REQUESTED
    assert first.moderation_note == "Please blur the house number in the background."

    # Approve the second with Space.
    tab_to(page, "a", "Synthetic photo of a kept ticket")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/curator/items/{second.pk}/")
    tab_to(page, "button#approve")
    page.keyboard.press("Space")
    page.wait_for_url("**/curator/queue/")
    second.refresh_from_db()
    assert second.status == Item.Status.PUBLISHED


def test_exhibition_builder_with_the_keyboard_only(page):
    exhibition = ExhibitionFactory(status="unlisted", title={"en": "Objects that remember"})
    for i, name in enumerate(["Alpha watch", "Beta scarf", "Gamma ticket"]):
        ExhibitionEntryFactory(exhibition=exhibition, item=ItemFactory(title={"en": name}), position=i)
    ItemFactory(title={"en": "Delta keys"})
    ItemFactory(title={"en": "Epsilon glasses"}, consent={"scopes": ["web"]})  # no exhibition consent

    def order():
        return list(ExhibitionEntry.objects.filter(exhibition=exhibition).order_by("position")
                    .values_list("item__title__en", flat=True))

    page.goto(f"/en/curator/exhibitions/{exhibition.pk}/")
    assert "Epsilon glasses" not in page.content()  # never offered

    # Move "Alpha" down with Enter: the script reorders in place and keeps focus on the button.
    tab_to(page, "button", "Move down: Alpha watch")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('order-status').textContent.includes('Alpha watch')")
    assert order() == ["Beta scarf", "Alpha watch", "Gamma ticket"]
    assert "Move down: Alpha watch" in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Space")  # again, with Space, from where the focus stayed
    page.wait_for_function("() => document.getElementById('order-status').textContent.includes('3 / 3')")
    assert order() == ["Beta scarf", "Gamma ticket", "Alpha watch"]
    titles = page.locator("ol.cw-entries .cw-entry-title").all_inner_texts()
    assert titles == ["Beta scarf", "Gamma ticket", "Alpha watch"]

    # Caption: open the disclosure with Enter, type, save with Enter.
    tab_to(page, "summary", "Edit caption: Gamma ticket")
    page.keyboard.press("Enter")
    tab_to(page, "textarea[lang=en]")
    page.keyboard.type("Half of the ticket is still in a wallet.")
    tab_to(page, "button", "Save caption")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    page.locator(".cw-messages").wait_for()
    entry = ExhibitionEntry.objects.get(exhibition=exhibition, item__title__en="Gamma ticket")
    assert entry.caption == {"en": "Half of the ticket is still in a wallet."}

    # Add an item the consent allows: tick it in the picker with Space, then the add button.
    page.evaluate("document.getElementById('picker-form').scrollIntoView()")
    tab_to(page, "input[type=checkbox]")
    assert "Delta keys" in page.evaluate("document.activeElement.closest('li').textContent")
    page.keyboard.press("Space")
    tab_to(page, "button#add-selected")
    page.keyboard.press("Enter")
    page.locator(".cw-messages").wait_for()
    assert order()[-1] == "Delta keys"

    # Preview as the public will see it (the public page itself), reached with the keyboard.
    tab_to(page, "a", "Preview")
    page.keyboard.press("Enter")
    page.wait_for_url("**/preview")
    public = page.locator("article.exhibition").inner_text()
    assert "Half of the ticket is still in a wallet." in public
    assert public.index("Gamma ticket") < public.index("Alpha watch") < public.index("Delta keys")
    assert exhibition.preview_token in page.locator("#preview-link").inner_text()

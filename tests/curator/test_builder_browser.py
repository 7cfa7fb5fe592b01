"""Browser (Playwright, Debian's Chromium): build an exhibition with sections, a text block and five
items added at once, reorder them with the keyboard and with the pointer, and check that the
preview's content is the published page's; axe finds nothing serious on the workspace's pages.
Screenshots go to artifacts/screenshots (docs/screenshots with MEMORIES_DOC_SCREENSHOTS=1)."""

import io
import os
import re
from pathlib import Path

import pytest
from django.test import Client

from archive.models import Item, ItemMedia
from exhibitions.models import Exhibition, ExhibitionEntry
from media_pipeline import services as pipeline
from tests.browser.conftest import axe_violations
from tests.browser.drag import centre, html5_drag, polled
from tests.curator.test_redaction import noisy_jpeg, own_storage  # noqa: F401 (fixture)
from tests.factories import ExhibitionFactory, ItemFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def shot(page, name: str, full_page: bool = False) -> None:
    """A small PNG of the window: into artifacts/screenshots, or into the README's gallery
    (docs/screenshots) with MEMORIES_DOC_SCREENSHOTS=1, so a test run changes no tracked file."""
    gallery = os.environ.get("MEMORIES_DOC_SCREENSHOTS") == "1"
    folder = ROOT / ("docs/screenshots" if gallery else "artifacts/screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    from PIL import Image

    # An 8-bit palette keeps the gallery small (the test photographs are noise, costly to store).
    Image.open(io.BytesIO(page.screenshot(full_page=full_page))).convert("RGB").quantize(colors=128).save(
        folder / f"{name}.png", optimize=True)


@pytest.fixture
def page(chromium, live_server, curator, own_storage, settings):  # noqa: F811
    settings.SITE_URL = live_server.url  # media addresses point at the live server
    client = Client()
    client.force_login(curator)
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 900},
                                   bypass_csp=True)
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    yield context.new_page()
    context.close()


def photo_item(title: str, warnings=()) -> Item:
    asset = pipeline.intake(io.BytesIO(noisy_jpeg(320, 240)), "photo.jpg")
    pipeline.process(asset)
    pipeline.publish(asset)
    item = ItemFactory(title={"en": title}, kind=Item.Kind.PHOTOGRAPH, content_warnings=list(warnings),
                       date_text="2004")
    ItemMedia.objects.create(item=item, asset=asset, role="photo")
    return item


def assert_no_serious(page, name):
    violations = axe_violations(page)
    assert not violations, f"{name}: {violations}"


STATUS = "document.getElementById('order-status').textContent"


def announced(page, text: str) -> None:
    """Wait until the polite live region says `text`."""
    if not polled(page, STATUS, text, 15):
        raise AssertionError(f"never announced: {text!r}")


def order(exhibition):
    return list(ExhibitionEntry.objects.filter(exhibition=exhibition).order_by("position")
                .values_list("item__title__en", flat=True))


def test_build_an_exhibition_reorder_by_keyboard_and_pointer_and_preview_is_the_public_page(page):
    exhibition = ExhibitionFactory(status="draft", slug="kept-things", title={"en": "Things that were kept"},
                                   introduction={"en": "Five objects, kept by the people who lived through it."})
    photo_item("A wristwatch (synthetic)")
    photo_item("A torn jacket (synthetic)", warnings=["injury"])
    for name in ("A bus ticket (synthetic)", "A house key (synthetic)", "A school scarf (synthetic)"):
        ItemFactory(title={"en": name}, kind=Item.Kind.OBJECT_STORY, date_text="2005")

    page.goto(f"/en/curator/exhibitions/{exhibition.pk}/")
    # The picker: thumbnails, the warned one blurred (the blurred file, not only CSS).
    jacket = page.locator(".cw-candidate", has_text="A torn jacket")
    assert "thumb_blurred" in (jacket.locator("img").get_attribute("src") or "") or \
        "blur" in (jacket.locator("img").get_attribute("src") or "")
    assert "cw-thumb--blurred" in jacket.locator("img").get_attribute("class")
    assert_no_serious(page, "builder (empty)")

    # A section with a heading and text, then a text block without heading.
    page.fill("#id_new-section-title_en", "What they carried")
    page.fill("#id_new-section-text_en", "Each of these was in a pocket or a bag that morning.")
    page.click("section[aria-labelledby=new-section-h] button")
    page.locator(".cw-messages").wait_for()
    page.fill("#id_new-section-text_en", "A pause: the next room holds a warning.")
    page.click("section[aria-labelledby=new-section-h] button")
    page.locator(".cw-messages").wait_for()
    assert exhibition.sections.count() == 2

    # Five items ticked at once with the pointer, into the first section.
    for box in page.locator(".cw-candidate input[type=checkbox]").all():
        box.check()
    page.select_option("#add-section", label="What they carried")
    page.click("#add-selected")
    page.locator(".cw-messages", has_text="5 items added").wait_for()
    assert len(order(exhibition)) == 5
    before = order(exhibition)

    # Keyboard: focus the first entry's "Move down" and press Enter; the live region says where.
    first = before[0]
    page.locator("button", has_text=f"Move down: {first}").focus()
    page.keyboard.press("Enter")
    announced(page, f"{first}: moved to place 2 / 5")
    assert order(exhibition)[:2] == [before[1], first]
    # Alt+ArrowUp on the entry moves it back, focus stays on the button.
    page.keyboard.press("Alt+ArrowUp")
    announced(page, f"{first}: moved to place 1 / 5")
    assert order(exhibition) == before
    assert f"Move down: {first}" in page.evaluate("document.activeElement.textContent")

    # Pointer: drag the last entry's handle onto the first entry (both in view: no scrolling mid-drag).
    last = before[-1]
    page.set_viewport_size({"width": 1366, "height": 2600})

    def path():
        target = page.locator("li.cw-entry", has_text=before[0]).bounding_box()
        return [centre(page.locator("li.cw-entry", has_text=last).locator(".cw-handle").bounding_box()),
                (target["x"] + 40, target["y"] + 30), (target["x"] + 40, target["y"] + 5)]

    html5_drag(page, path, lambda: polled(page, STATUS, f"{last}: moved to place 1 / 5", 5))
    assert order(exhibition) == [last, *before[:-1]]
    page.set_viewport_size({"width": 1366, "height": 900})
    page.reload()
    assert page.locator("ol.cw-entries .cw-entry-title").all_inner_texts() == [last, *before[:-1]]
    page.wait_for_function("() => [...document.querySelectorAll('ol.cw-entries img')].every(i => i.complete && i.naturalWidth > 0)")
    assert_no_serious(page, "builder (built)")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "curator-builder")

    # Narrative text between the third and fourth entries, keyboard only: the entry's "Add text
    # here" opens with Enter, Tab reaches the languages and the button.
    now = [last, *before[:-1]]
    page.locator("li.cw-entry", has_text=now[2]).locator("summary", has_text="Add text here").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.lang") == "en"
    page.keyboard.type("Between the third and the fourth: a breath.")
    for _ in range(6):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Add the text"
    page.keyboard.press("Enter")
    page.locator(".cw-messages", has_text="Text added between the entries.").wait_for()
    assert [t for t in page.locator("ol.cw-entries .cw-entry-title").all_inner_texts()] == now
    block = exhibition.sections.get(text__en="Between the third and the fourth: a breath.")
    assert list(block.entries.order_by("position").values_list("item__title__en", flat=True)) == now[3:]
    # With the pointer: open "Edit text", write the Arabic, save; the Arabic badge turns "written".
    text_section = page.locator(f"#section-{block.pk}")
    text_section.locator("summary", has_text="Edit text").click()
    text_section.locator(f"#id_text-{block.pk}-text_ar").fill("بين الثالث والرابع: نَفَس.")
    text_section.locator("button", has_text="Save text").click()
    page.locator(".cw-messages", has_text="Text saved.").wait_for()
    text_section = page.locator(f"#section-{block.pk}")
    assert text_section.locator("abbr[title='Arabic: written']").count() == 1
    assert_no_serious(page, "builder (text block)")
    text_section.evaluate("el => el.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(200)
    shot(page, "curator-builder-text")

    # The preview is the public page: the same article HTML as once it is published.
    page.click("text=Preview")
    page.wait_for_url("**/preview")
    assert page.locator(".quick-exit").count() == 1
    preview_html = page.locator("article.exhibition").evaluate("el => el.outerHTML")
    assert "What they carried" in preview_html and "A pause: the next room holds a warning." in preview_html
    assert_no_serious(page, "preview")
    shot(page, "curator-preview")
    Exhibition.objects.filter(pk=exhibition.pk).update(status="published")
    page.goto("/en/exhibitions/kept-things/")
    published_html = page.locator("article.exhibition").evaluate("el => el.outerHTML")
    assert preview_html == published_html
    assert len(re.findall(r'class="card exhibition-entry"', published_html)) == 5
    # The text block in place on the public page, in English and in Arabic, with nothing serious for axe.
    for name in now[:3]:
        assert published_html.index(name) < published_html.index("Between the third and the fourth")
    for name in now[3:]:
        assert published_html.index("Between the third and the fourth") < published_html.index(name)
    assert_no_serious(page, "published (text block)")
    for lang in ("en", "ar"):
        page.goto(f"/{lang}/exhibitions/kept-things/")
        if lang == "ar":
            assert "بين الثالث والرابع" in page.locator(".exhibition-section--text").first.inner_text()
            assert_no_serious(page, "published, ar (text block)")
        page.locator(".exhibition-section--text").first.evaluate("el => el.scrollIntoView({block: 'center'})")
        page.wait_for_timeout(200)
        shot(page, f"exhibition-text-{lang}")

    # The other builder pages: texts and schedule, and the list.
    page.goto(f"/en/curator/exhibitions/{exhibition.pk}/settings")
    assert "time zone" in page.locator("main form").inner_text()
    assert_no_serious(page, "settings")
    page.set_viewport_size({"width": 1366, "height": 700})
    shot(page, "curator-settings", full_page=True)  # the introduction's six languages side by side
    page.goto("/en/curator/exhibitions/")
    assert "Public now." in page.locator("table").inner_text()
    assert_no_serious(page, "list")


@pytest.fixture
def admin_page(chromium, live_server, administrator, settings):
    settings.SITE_URL = live_server.url
    client = Client()
    client.force_login(administrator)
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    yield context.new_page()
    context.close()


def test_every_workspace_page_has_the_shared_header_sign_out_and_no_serious_axe_finding(admin_page):
    """The workspace's base and look (site.css tokens under curator.css) on the other teams' pages too."""
    item = ItemFactory(status=Item.Status.SUBMITTED, published_at=None, title={"en": "A synthetic letter"})
    paths = ["/en/curator/", "/en/curator/queue/", f"/en/curator/items/{item.pk}/", "/en/curator/audit/",
             "/en/curator/exhibitions/", "/en/account/recovery-codes/"]
    for path in paths:
        response = admin_page.goto(path)
        assert response.status == 200 or "/account/two-factor/" in admin_page.url, path
        if "/account/two-factor/" in admin_page.url:
            continue  # recovery codes need a device first: the set-up page is the public design
        assert admin_page.locator(".cw-sign-out button").count() == 1, path
        assert admin_page.evaluate("getComputedStyle(document.body).getPropertyValue('--accent').trim()") == "#24496b"
        assert_no_serious(admin_page, path)

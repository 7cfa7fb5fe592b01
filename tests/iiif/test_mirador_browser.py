"""Mirador (from npm) in Debian's Chromium opens one of our item manifests and loads its tiles.

No bypass of our Content Security Policy: the page is served as visitors get it.
"""

import os
from urllib.parse import quote

import pytest
from django.urls import reverse

from tests.iiif.media import photo_item

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live server thread + Playwright's loop


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mirador_loads_an_item_manifest_and_its_tiles(chromium, live_server, settings):
    settings.SITE_URL = live_server.url  # ids in the manifest and info.json point at this server
    item, use = photo_item(width=1400, height=1000)
    manifest = live_server.url + reverse("iiif:manifest", kwargs={"item_id": item.pk})

    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    responses = []
    page.on("response", lambda r: responses.append((r.url, r.status)))
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        with page.expect_response(lambda r: "/iiif/" in r.url and r.url.endswith("/default.jpg"), timeout=45_000):
            page.goto(f"{live_server.url}/en/viewer/?manifest={quote(manifest, safe='')}")
        page.wait_for_timeout(1500)  # let the first screenful of tiles arrive
        title = page.locator("#mirador").inner_text()
    finally:
        context.close()

    service = f"/{use.asset.public_token}/iiif/"
    tiles = [(url, status) for url, status in responses if service in url and url.endswith("/default.jpg")]
    assert tiles, responses
    assert all(status == 200 for _, status in tiles), tiles
    assert any(url == manifest and status == 200 for url, status in responses)
    assert any(url.endswith(service + "info.json") and status == 200 for url, status in responses)
    assert item.title["en"] in title  # Mirador shows the manifest's label
    assert not errors, errors


def test_mirador_shows_contributor_markup_as_text(chromium, live_server, settings):
    """A title, story, place and name full of markup: Mirador shows the characters, makes no element."""
    from pathlib import Path

    from tests.security.hostile import MARKUP_NAME, MARKUP_STORY, MARKUP_TITLE

    settings.SITE_URL = live_server.url
    item, _use = photo_item(width=800, height=600, title={"en": MARKUP_TITLE}, summary={"en": MARKUP_STORY},
                            place="<i>Square</i>", consent={"display_name": MARKUP_NAME, "name_display": "full"})
    manifest = live_server.url + reverse("iiif:manifest", kwargs={"item_id": item.pk})
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{live_server.url}/en/viewer/?manifest={quote(manifest, safe='')}")
        page.get_by_text("Italic", exact=False).first.wait_for()
        page.locator("button[aria-label='Toggle sidebar']").first.click()
        page.locator(".mirador-label-value-metadata").first.wait_for()
        page.wait_for_timeout(500)
        text = page.locator("#mirador").inner_text()
        made = page.evaluate("""() => {
            const root = document.querySelector('#mirador');
            return {
              img: [...root.querySelectorAll('img')].filter(i => i.getAttribute('src') === 'x').length,
              i: [...root.querySelectorAll('i, b')].map(e => e.textContent),
              frames: root.querySelectorAll('iframe, form, script, input').length,
            };
        }""")
        Path("/tmp/shots").mkdir(exist_ok=True)
        page.screenshot(path="/tmp/shots/D-mirador.png")
    finally:
        context.close()
    assert MARKUP_TITLE in text  # the title, character for character
    assert "<i>Square</i>" in text and "<b>Rana</b>" in text and "<img src=x onerror=alert(1)>" in text
    assert made == {"img": 0, "i": [], "frames": 0}, made
    assert not dialogs and not errors, (dialogs, errors)


WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
    e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));
"""


def test_an_exhibition_collection_opens_on_its_first_manifest_with_the_list_beside_it(chromium, live_server,
                                                                                      settings):
    """Mirador 4 under our CSP: the collection's first item (a video testimony: the A/V player made
    Mirador 3 insert styles without the nonce) is open, the collection's list beside it, and every
    style element Mirador's emotion caches made carries the page's nonce."""
    from tests.factories import ExhibitionEntryFactory, ExhibitionFactory
    from tests.iiif.media import recorded_testimony

    settings.SITE_URL = live_server.url
    exhibition = ExhibitionFactory(title={"en": "Voices after"})
    first, _recording, _transcript = recorded_testimony(video=True, title={"en": "Testimony: the station"})
    second, _use = photo_item(width=900, height=600, title={"en": "Flowers on the square"})
    ExhibitionEntryFactory(exhibition=exhibition, item=first, position=1)
    ExhibitionEntryFactory(exhibition=exhibition, item=second, position=2)
    collection = reverse("iiif:exhibition_collection", kwargs={"slug": exhibition.slug})

    context = chromium.new_context(viewport={"width": 1280, "height": 900})  # no bypass_csp
    context.set_default_timeout(30_000)
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{live_server.url}/en/viewer/?collection={quote(collection, safe='')}")
        page.locator("#mirador video").first.wait_for(state="attached")  # the first manifest is open
        panel = page.locator("#mirador aside[aria-label=Collection]", has_text="Flowers on the square")
        panel.first.wait_for()  # the collection's list beside it
        page.wait_for_timeout(500)
        window_title = page.locator("#mirador h2").first.inner_text()
        listed = panel.first.inner_text()
        styles = page.evaluate("""() => [...document.querySelectorAll('style')].map(
            s => ({key: s.getAttribute('data-emotion') || '', nonced: !!s.nonce}))""")
        violations = page.evaluate("window.__csp")
    finally:
        context.close()
    assert "Testimony: the station" in window_title
    assert "Testimony: the station" in listed and "Flowers on the square" in listed and "Voices after" in listed
    assert styles and all(s["nonced"] for s in styles), styles
    assert any(s["key"].startswith("mui") for s in styles), styles  # Mirador's own cache made them
    assert violations == [] and errors == [], (violations, errors)


def test_on_a_phone_the_collection_opens_on_its_first_manifest_with_the_list_one_tap_away(chromium, live_server,
                                                                                         settings):
    """At 390 px the window fills the width (the site's `main` rule once shrank Mirador's <main> to
    nothing), and the collection's list is behind the side bar button rather than over the picture."""
    from tests.factories import ExhibitionEntryFactory, ExhibitionFactory, ItemFactory

    settings.SITE_URL = live_server.url
    exhibition = ExhibitionFactory()
    for n, title in enumerate(["Keys on a red keyring", "A first-aid kit"]):
        ExhibitionEntryFactory(exhibition=exhibition, item=ItemFactory(title={"en": title}), position=n)
    collection = reverse("iiif:exhibition_collection", kwargs={"slug": exhibition.slug})
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(30_000)
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/en/viewer/?collection={quote(collection, safe='')}")
        window = page.locator("#mirador section[aria-label*='Keys on a red keyring']").first
        window.wait_for()
        width = window.bounding_box()["width"]
        listed = page.locator("#mirador aside[aria-label=Collection]", has_text="A first-aid kit").first
        closed = not listed.is_visible()
        page.locator("#mirador button[aria-label='Toggle sidebar']").first.click()
        listed.wait_for()
        violations = page.evaluate("window.__csp")
    finally:
        context.close()
    assert width > 300 and closed and violations == [], (width, closed, violations)


@pytest.mark.parametrize(("lang", "toggle", "label"), [
    ("ru", "Показать или скрыть боковую панель", "Цветы на площади"),  # ours: Mirador has no Russian
    ("es", "Mostrar u ocultar la barra lateral", "Flores en la plaza"),  # ours: Mirador has no Spanish
    ("zh-hans", "切换边栏开关", "广场上的花"),  # Mirador's own Simplified Chinese ("zh-CN")
])
def test_mirador_speaks_the_page_language(chromium, live_server, settings, lang, toggle, label):
    """The viewer's own buttons in the page's language, and the manifest's label in it too."""
    settings.SITE_URL = live_server.url
    item, _use = photo_item(width=900, height=600, title={"en": "Flowers on the square", "ru": "Цветы на площади",
                                                          "es": "Flores en la plaza", "zh-hans": "广场上的花"})
    manifest = live_server.url + reverse("iiif:manifest", kwargs={"item_id": item.pk})
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{live_server.url}/{lang}/viewer/?manifest={quote(manifest, safe='')}")
        button = page.locator(f"#mirador button[aria-label='{toggle}']").first
        button.wait_for()
        title = page.locator("#mirador h2").first.inner_text()
        if os.environ.get("MEMORIES_DOC_SCREENSHOTS") and lang == "ru":
            button.click()
            page.wait_for_timeout(800)
            page.screenshot(path="docs/screenshots/viewer-ru-desktop.png")
    finally:
        context.close()
    assert label in title, title
    assert not errors, errors


def test_our_mirador_translations_cover_every_string_it_has():
    """frontend/locales/{es,ru}.json against Mirador's English: every key (plural forms by the
    language's own categories), the same placeholders, nothing left in English by mistake."""
    import json
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    english = json.loads((root / "node_modules/mirador/src/locales/en/translation.json").read_text())["translation"]
    plural = re.compile(r"_(one|few|many|other)$")
    forms = {"es": ("one", "many", "other"), "ru": ("one", "few", "many", "other")}
    for lang, categories in forms.items():
        ours = json.loads((root / f"frontend/locales/{lang}.json").read_text())
        expected = set()
        for key in english:
            base = plural.sub("", key)
            expected |= {f"{base}_{c}" for c in categories} if plural.search(key) else {key}
        assert set(ours) == expected, (lang, sorted(set(ours) ^ expected))
        for key, text in ours.items():
            source = english.get(key) or english[plural.sub("_other", key)]
            assert set(re.findall(r"{{\s*\w+\s*}}", text)) == set(re.findall(r"{{\s*\w+\s*}}", source)), (lang, key)
            if re.search(r"[a-z]{4}", source) and key not in {"mirador", "jsStack", "previewWindowTitle", "error"}:
                assert text != source, (lang, key, "left in English")

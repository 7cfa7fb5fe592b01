"""The kiosk in Debian's Chromium: offline through its service worker, consent-safe offline (a
withdrawal drops the entry at the next synchronisation; an entry not confirmed within the curator's
limit is hidden), and reset after idling. Intervals are shortened through settings."""

import os

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from archive import services
from exhibitions.models import ExhibitionSection, KioskSync
from tests.factories import ExhibitionEntryFactory, ExhibitionFactory
from tests.iiif.media import recorded_testimony
from tests.kit.test_share_cards import BLUE, RED, coloured_photo

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESYNC, IDLE = 1, 4


@pytest.fixture
def kiosk(chromium, live_server, settings):
    settings.SITE_URL = live_server.url
    settings.KIOSK_RESYNC_SECONDS, settings.KIOSK_IDLE_SECONDS, settings.KIOSK_ATTRACT_SECONDS = RESYNC, IDLE, 1
    calm, _ = coloured_photo(RED, title={"en": "A red scarf", "ar": "وشاح أحمر"})
    warned, _ = coloured_photo(BLUE, title={"en": "A broken window"}, content_warnings=["injury"])
    spoken, _recording, _transcript = recorded_testimony(title={"en": "A voice"})
    exhibition = ExhibitionFactory(title={"en": "Kiosk test", "ar": "اختبار الكشك"})
    # The curator's narrative before the first memory travels on its slide.
    opening = ExhibitionSection.objects.create(exhibition=exhibition, title={"en": "What was kept"},
                                               text={"en": "Three things, kept by the people who lived through it."})
    entries = [ExhibitionEntryFactory(exhibition=exhibition, item=item, position=i, section=opening)
               for i, item in enumerate((calm, warned, spoken))]
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800}, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page, exhibition, entries
    context.close()


def url(exhibition, lang="en"):
    with translation.override(lang):
        return reverse("kiosk", args=[exhibition.slug])


def ready_offline(page, exhibition):
    """Load online until the service worker controls the page and the cache holds everything."""
    page.goto(url(exhibition))
    page.wait_for_function("() => document.body.dataset.cached")
    page.wait_for_function("() => navigator.serviceWorker.getRegistrations().then(r => r.length === 6)")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller && document.body.dataset.cached")


def current_title(page):
    return page.locator(".kiosk__slide.is-current h2, .kiosk__slide.is-current h1").first.inner_text()


def test_offline_every_entry_and_language_then_a_withdrawal_drops_its_entry(kiosk):
    page, exhibition, (calm, warned, spoken) = kiosk
    ready_offline(page, exhibition)
    assert KioskSync.objects.filter(exhibition=exhibition, entries=3).exists()  # the curator sees it
    page.context.set_offline(True)
    page.reload()  # from the service worker's cache
    page.get_by_role("button", name="Touch to begin").click()
    assert current_title(page) == "A red scarf"
    expect(page.locator(".is-current .kiosk__narrative")).to_have_text(
        "Three things, kept by the people who lived through it.")
    page.wait_for_function("() => document.querySelector('.is-current img[data-picture]').naturalWidth > 0")
    if os.environ.get("MEMORIES_DOC_SCREENSHOTS"):
        page.screenshot(path="docs/screenshots/kiosk-en-narrative.png")

    page.get_by_role("button", name="Next").click()
    gate = page.locator(".is-current [data-gate]")
    expect(gate).to_contain_text("Content warning")
    expect(page.locator(".is-current [data-memory]")).to_be_hidden()  # kept behind its gate
    gate.get_by_role("button", name="Show this memory").click()
    assert current_title(page) == "A broken window"
    page.wait_for_function("() => document.querySelector('.is-current img[data-picture]').naturalWidth > 0")

    page.mouse.move(900, 400)  # a swipe to the left: the next memory
    page.locator(".is-current").dispatch_event("pointerdown", {"clientX": 900, "clientY": 400})
    page.locator(".is-current").dispatch_event("pointerup", {"clientX": 500, "clientY": 410})
    assert current_title(page) == "A voice"
    page.wait_for_function("() => { const t = document.querySelector('.is-current track');"
                           " return t && t.track.mode !== 'disabled' && t.readyState === 2 && t.track.cues.length > 0; }")

    page.locator("[data-lang-link=ar]").click()  # another language, still offline
    page.wait_for_function("() => document.documentElement.dir === 'rtl' && document.body.dataset.kiosk !== undefined")
    expect(page.locator("#kiosk-title")).to_have_text("اختبار الكشك")

    services.record_consent(calm.item, scopes=[], withdrawn=True, propagate=False, actor_label="test")
    picture = calm.item.media.first()
    page.wait_for_timeout(RESYNC * 1500)
    assert page.locator(f"[data-entry='{calm.pk}']").count() == 1  # offline: not yet known
    page.context.set_offline(False)
    page.wait_for_selector(f"[data-entry='{calm.pk}']", state="detached", timeout=(RESYNC + 3) * 1000)
    page.wait_for_function(f"() => document.body.dataset.cached && !JSON.parse(localStorage.getItem("
                           f"'memories-kiosk:{exhibition.slug}')).entries.includes({calm.pk})")
    cached = page.evaluate("async (name) => (await (await caches.open(name)).keys()).map(r => r.url)",
                           f"memories-kiosk:{exhibition.slug}")
    assert cached and not any(picture.asset.public_token in u for u in cached)
    assert page.errors == []


def test_idle_resets_to_the_start_and_home_language(kiosk):
    page, exhibition, (calm, warned, _spoken) = kiosk
    page.goto(url(exhibition))
    page.wait_for_function("() => document.body.dataset.synced")
    page.locator("[data-begin]").click()
    page.locator(".kiosk__nav [data-next]").click()
    page.locator(".is-current [data-open-gate]").click()
    memory = page.locator(f"[data-entry='{warned.pk}'] [data-memory]")
    expect(memory).to_be_visible()
    start = "() => document.querySelector('[data-slide=start]').classList.contains('is-current')"
    page.wait_for_function(start, timeout=(IDLE + 3) * 1000)
    expect(page.locator("[data-slide=entry]:not([hidden])")).to_have_count(0)
    expect(memory).to_be_hidden()  # the warning gate closed again for the next visitor
    expect(page.locator(f"[data-entry='{warned.pk}'] [data-gate]")).not_to_have_attribute("hidden", "")

    page.locator("[data-lang-link=fr]").click()  # a visitor's language does not outlast them either
    page.wait_for_url("**/fr/kiosk/**")
    page.locator("[data-begin]").click()
    page.wait_for_url(f"**{url(exhibition)}", timeout=(IDLE + 4) * 1000)
    page.wait_for_function(start)
    assert page.errors == []


def test_an_entry_unconfirmed_past_the_curators_limit_is_hidden(kiosk):
    page, exhibition, _entries = kiosk
    exhibition.kiosk_confirm_seconds = 3
    exhibition.save()
    page.goto(url(exhibition))
    page.wait_for_function("() => document.body.dataset.synced && document.body.dataset.shown === '3'")
    page.context.set_offline(True)
    page.wait_for_function("() => document.body.dataset.shown === '0'", timeout=6000)
    expect(page.locator("[data-resting]")).to_be_visible()
    expect(page.locator("[data-begin]")).to_be_hidden()
    page.context.set_offline(False)  # confirmed again: back on screen
    page.wait_for_function("() => document.body.dataset.shown === '3'", timeout=(RESYNC + 3) * 1000)

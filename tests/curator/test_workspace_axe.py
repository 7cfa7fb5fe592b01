"""Every page of the workspace, the research pages and the sign-in, in Chromium at a desk's width and
at a phone's (390 px): axe finds nothing serious or critical, and at 390 px nothing scrolls sideways.
The builder is seen with its kiosk panel (a kiosk that synchronised), sections and entries; the
review page with a research-only submission. Screenshots of the phone's width go to
docs/screenshots/curator-phone-*.png when MEMORIES_DOC_SCREENSHOTS=1."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from archive.models import Item
from archive.research import services as research
from exhibitions.models import ExhibitionEntry, ExhibitionSection, KioskSync
from tests.browser.conftest import axe_violations
from tests.curator.test_builder_browser import photo_item
from tests.curator.test_redaction import own_storage  # noqa: F401 (fixture)
from tests.factories import ExhibitionFactory, ItemFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}
PHONE_SHOTS = {"queue", "review-research", "builder", "audit", "research-room", "sign-in"}


def _world(administrator):
    """An item to review (research only, a photograph behind a warning), an exhibition with a
    section, entries and a kiosk, a researcher with access and an applicant waiting."""
    item = photo_item("A synthetic lantern by the river", warnings=("injury",))
    Item.objects.filter(pk=item.pk).update(status=Item.Status.SUBMITTED, published_at=None)
    research_only = ItemFactory(status=Item.Status.SUBMITTED, published_at=None, consent={"scopes": ["research"]},
                                title={"en": "A synthetic letter kept for research"})
    shared = photo_item("A synthetic notebook for research")
    shared.current_consent.__class__.objects.filter(pk=shared.current_consent_id).update(scope_research=True)
    exhibition = ExhibitionFactory(title={"en": "Synthetic evening of names"})
    section = ExhibitionSection.objects.create(exhibition=exhibition, position=0, title={"en": "The square"},
                                               text={"en": "Candles, then names read aloud."})
    for n in range(2):
        ExhibitionEntry.objects.create(exhibition=exhibition, item=photo_item(f"Synthetic photo {n}"),
                                       position=n, section=section if n == 0 else None)
    KioskSync.objects.create(exhibition=exhibition, kiosk_id="3f2a9c1e" * 4, language="fr",
                             synced_at=timezone.now() - timedelta(minutes=3), entries=2)
    User = get_user_model()
    reader = User.objects.create_user("test-reader", password="pw-reader")
    research.apply(reader, institution="Synthetic Institute", purpose="Memory (synthetic)", agreement_accepted=True)
    research.approve(reader.research_access.get(), actor=administrator, expires_at=timezone.now() + timedelta(days=9))
    waiting = User.objects.create_user("test-waiting", password="pw-waiting")
    research.apply(waiting, institution="Synthetic College", purpose="Archives (synthetic)", agreement_accepted=True)
    newcomer = User.objects.create_user("test-newcomer", password="pw-newcomer")
    return item, research_only, shared, exhibition, reader, newcomer


def _pages(item, research_only, shared, exhibition):
    staff = [("dashboard", "/en/curator/"), ("queue", "/en/curator/queue/"),
             ("review", f"/en/curator/items/{item.pk}/"), ("review-research", f"/en/curator/items/{research_only.pk}/"),
             ("describe", f"/en/curator/items/{item.pk}/describe"), ("consent", f"/en/curator/items/{item.pk}/consent"),
             ("redact", f"/en/curator/items/{item.pk}/redact"), ("fixity", f"/en/curator/items/{item.pk}/fixity"),
             ("audit", "/en/curator/audit/"), ("exhibitions", "/en/curator/exhibitions/"),
             ("builder", f"/en/curator/exhibitions/{exhibition.pk}/"),
             ("settings", f"/en/curator/exhibitions/{exhibition.pk}/settings"),
             ("preview", f"/en/curator/exhibitions/{exhibition.pk}/preview"),
             ("research-applications", "/en/curator/research/applications/"),
             ("builder-ar", f"/ar/curator/exhibitions/{exhibition.pk}/"), ("queue-ar", "/ar/curator/queue/")]
    reader = [("research-room", "/en/curator/research/"), ("research-item", f"/en/curator/research/items/{shared.pk}/"),
              ("research-room-ar", "/ar/curator/research/")]
    return staff, reader, [("research-apply", "/en/curator/research/apply/")], [("sign-in", "/en/account/sign-in/")]


def _check(browser, live_server, user, pages, failures, shots):
    cookies = []
    if user is not None:
        client = Client()
        client.force_login(user)
        cookies = [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    for viewport in (DESK, PHONE):
        context = browser.new_context(base_url=live_server.url, viewport=viewport, bypass_csp=True, locale="en-GB")
        context.set_default_timeout(20_000)
        context.add_cookies(cookies)
        page = context.new_page()
        for name, path in pages:
            response = page.goto(path)
            key = f"{name}@{viewport['width']}"
            if response.status != 200:
                failures[key] = f"HTTP {response.status}"
                continue
            violations = axe_violations(page)
            if violations:
                failures[key] = violations
            if shots and viewport is DESK and name == "review-research":
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.locator("#decide-h").scroll_into_view_if_needed()
                page.screenshot(path=str(SHOTS / "curator-review-research.png"))
            if viewport is PHONE:
                wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                if wide > 0:
                    failures[key + " scrolls sideways"] = page.evaluate("""() => [...document.querySelectorAll(
                        'body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                        .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(
                        e.getBoundingClientRect().right))""")
                if shots and name in PHONE_SHOTS:
                    SHOTS.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(SHOTS / f"curator-phone-{name}.png"))
        context.close()


def test_every_workspace_page_at_desk_and_phone_width(chromium, live_server, administrator, own_storage,  # noqa: F811
                                                      settings):
    settings.SITE_URL = live_server.url
    item, research_only, shared, exhibition, reader, newcomer = _world(administrator)
    staff, reading, applying, anonymous = _pages(item, research_only, shared, exhibition)
    failures = {}
    shots = os.environ.get("MEMORIES_DOC_SCREENSHOTS") == "1"
    _check(chromium, live_server, administrator, staff, failures, shots)
    _check(chromium, live_server, reader, reading, failures, shots)
    _check(chromium, live_server, newcomer, applying, failures, shots)
    _check(chromium, live_server, None, anonymous, failures, shots)
    assert not failures, "\n" + "\n".join(f"{k}: {v}" for k, v in failures.items())

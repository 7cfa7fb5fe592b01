"""Browser test (Playwright, Debian's Chromium): a researcher signs in with the keyboard, reads the
reading room and an item whose photograph comes from private storage; an archivist's applications
page. axe: no serious or critical violation on any of them."""

import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from archive.curator.roles import setup_roles
from archive.models import AuditEvent, Item, ItemMedia
from archive.research import services
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import ItemFactory
from tests.iiif.media import ready
from tests.media_pipeline import makers

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _keep(page, name: str) -> None:
    """Screenshots for docs/screenshots when MEMORIES_DOC_SCREENSHOTS=1 (the gallery), else artifacts/."""
    path = screenshot(page, name)
    if os.environ.get("MEMORIES_DOC_SCREENSHOTS"):
        shutil.copy(path, DOCS / f"{name}.png")


@pytest.fixture
def people(db):
    setup_roles(demo_users=False)
    User = get_user_model()
    archivist = User.objects.create_user("archivist-b", password="pw-archivist-b", is_staff=True)
    archivist.groups.add(Group.objects.get(name="archivist"))
    researcher = User.objects.create_user("researcher-b", password="pw-researcher-b")
    access = services.apply(researcher, institution="Institute of Synthetic Studies",
                            purpose="How survivors describe the first hour (synthetic)", agreement_accepted=True)
    services.approve(access, actor=archivist, expires_at=timezone.now() + timedelta(days=90))
    waiting = User.objects.create_user("applicant-b", password="pw-applicant-b")
    services.apply(waiting, institution="Synthetic University", purpose="Remembrance practices (synthetic)",
                   agreement_accepted=True)
    return archivist, researcher


def test_a_researcher_reads_the_reading_room_with_the_keyboard(chromium, live_server, people, fresh_storage):
    _archivist, researcher = people
    item = ItemFactory(kind=Item.Kind.PHOTOGRAPH, consent={"scopes": ["research"]}, content_warnings=["injury"],
                       title={"en": "Candles on the square, the first evening"})
    asset = ready(makers.jpeg(640, 420), "candles.jpg", publish=False)
    ItemMedia.objects.create(item=item, asset=asset, role=ItemMedia.Role.PHOTO,
                             alt_text={"en": "Candles and flowers on paving stones (synthetic)"})
    ItemFactory(consent={"scopes": ["web", "iiif"]}, title={"en": "A public item, not for research"})

    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900},
                                  bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/en/curator/research/")
        assert "/curator/research/sign-in/" in page.url
        page.keyboard.press("Tab")  # skip link
        page.locator("#id_username").focus()
        page.keyboard.type("researcher-b")
        page.keyboard.press("Tab")
        page.keyboard.type("pw-researcher-b")
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url: url.endswith("/en/curator/research/"))
        assert page.locator("h1").inner_text() == "Reading room"
        assert page.get_by_text("A public item, not for research").count() == 0
        assert axe_violations(page) == []
        _keep(page, "curator-research-room")

        page.get_by_role("link", name="Candles on the square, the first evening").focus()
        page.keyboard.press("Enter")
        page.wait_for_selector("summary")
        page.locator("summary").focus()
        page.keyboard.press("Enter")  # pass the content warning
        img = page.locator(".cw-media img")
        img.wait_for()
        assert page.evaluate("(el) => el.complete && el.naturalWidth", img.element_handle()) == 640
        assert axe_violations(page) == []
        _keep(page, "curator-research-item")
        targets = set(AuditEvent.objects.filter(action="research.viewed", actor=researcher)
                      .values_list("target", flat=True))
        assert "item page" in targets and any(t.startswith("media ") for t in targets)
    finally:
        context.close()


def test_the_applications_page_for_an_archivist(chromium, live_server, people):
    archivist, _researcher = people
    client = Client()
    client.force_login(archivist)
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900},
                                  bypass_csp=True)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    try:
        page.goto("/en/curator/research/applications/")
        assert page.get_by_text("Synthetic University").count() == 1
        assert axe_violations(page) == []
        _keep(page, "curator-research-applications")
        page.goto("/en/curator/research/applications/?status=approved")
        assert page.get_by_role("button", name="Revoke now").count() == 1
        assert axe_violations(page) == []
    finally:
        context.close()

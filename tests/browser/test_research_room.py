"""Browser test (Playwright, Debian's Chromium): a researcher signs in with the keyboard, reads the
reading room and an item whose photograph comes from private storage; an archivist's applications
page. axe: no serious or critical violation on any of them."""

import json
import os
import shutil
import threading
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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
        assert "/en/account/sign-in/" in page.url
        page.keyboard.press("Tab")  # skip link
        page.locator("#id_username").focus()
        page.keyboard.type("researcher-b")
        page.keyboard.press("Tab")
        page.keyboard.type("pw-researcher-b")
        page.keyboard.press("Enter")
        page.wait_for_url(f"{live_server.url}/en/curator/research/")  # exactly: the sign-in URL ends so too
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
        # The picture is lazy: wait until the browser has decoded it, then check it is the real one.
        img.scroll_into_view_if_needed()
        page.wait_for_function("(el) => el.complete && el.naturalWidth > 0", arg=img.element_handle())
        assert page.evaluate("(el) => el.naturalWidth", img.element_handle()) == 640
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


def test_the_application_form_for_a_new_researcher(chromium, live_server, db):
    get_user_model().objects.create_user("newcomer-b", password="pw-newcomer-b")
    client = Client()
    client.force_login(get_user_model().objects.get(username="newcomer-b"))
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900},
                                  bypass_csp=True)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    try:
        page.goto("/en/curator/research/")
        page.get_by_role("link", name="Apply for research access").click()
        page.get_by_label("Institution").fill("Synthetic Institute")
        page.get_by_role("button", name="Send the application").click()  # the browser asks for the rest
        page.get_by_label("Purpose of your research").fill("Remembrance practices (synthetic)")
        page.get_by_role("button", name="Send the application").click()
        assert page.get_by_label("I accept the research agreement above").evaluate("el => el.validity.valueMissing")
        assert axe_violations(page) == []
        _keep(page, "curator-research-apply")
        page.get_by_label("I accept the research agreement above").check()
        page.get_by_role("button", name="Send the application").click()
        page.wait_for_url(f"{live_server.url}/en/curator/research/")  # exactly: the sign-in URL ends so too
        assert page.get_by_text("Waiting for a decision").count() == 1
    finally:
        context.close()


VIEWER_PAGE = """<!doctype html><html lang="en"><head><title>viewer</title></head><body>
<script>
  window.received = [];
  window.addEventListener("message", (e) => window.received.push({origin: e.origin, data: e.data}));
  const frame = document.createElement("iframe");
  frame.src = %s;
  document.body.appendChild(frame);
</script></body></html>"""


@contextmanager
def viewer_site(page_for):
    """A viewer on another origin of the same site (localhost, another port), as a real server
    (Chromium's local-network checks refuse a page it did not fetch from the loopback);
    `page_for(origin)` gives the page's HTML."""
    served = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(served["html"])

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    origin = f"http://localhost:{server.server_address[1]}"
    served["html"] = page_for(origin).encode()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield origin
    finally:
        server.shutdown()
        server.server_close()


def _framed_token(chromium, live_server, session: str, claimed_origin: str | None = None) -> list[dict]:
    """A viewer page on another origin frames the token service, as IIIF Auth 2 clients do, saying
    it is `claimed_origin` (its real origin by default); returns the messages it received."""
    base = live_server.url.replace("127.0.0.1", "localhost")
    context = chromium.new_context()
    context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
    page = context.new_page()

    def page_for(origin: str) -> str:
        url = f"{base}/iiif/research/auth/token?messageId=m-7&origin={claimed_origin or origin}"
        return VIEWER_PAGE % json.dumps(url)

    try:
        with viewer_site(page_for) as viewer:
            page.goto(f"{viewer}/viewer.html")
            page.wait_for_function("() => window.received.length > 0", timeout=5_000) if claimed_origin is None \
                else page.wait_for_timeout(1500)
            return page.evaluate("window.received")
    finally:
        context.close()


def test_the_token_service_posts_to_the_framing_viewer_only(chromium, live_server, people):
    _archivist, researcher = people
    client = Client()
    client.force_login(researcher)
    session = client.cookies["sessionid"].value
    received = _framed_token(chromium, live_server, session)
    assert len(received) == 1
    [message] = received
    assert message["origin"].startswith("http://localhost:")
    assert message["data"]["type"] == "AuthAccessToken2" and message["data"]["messageId"] == "m-7"
    assert services.user_for_token(message["data"]["accessToken"]) == researcher
    # A page that lies about its origin gets nothing: postMessage drops it for the real one.
    received = _framed_token(chromium, live_server, session, "https://elsewhere.example.org")
    assert received == []

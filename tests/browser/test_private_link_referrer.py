"""In Chromium, the management page names its URL to nobody (not even our own CSS and JS), and
its forms still work under Referrer-Policy: no-referrer (the browser then sends Origin: null)."""

import json

import pytest
from playwright.sync_api import expect
from rest_framework.test import APIClient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manage_page_sends_no_referer_and_its_forms_post(web, live_server):
    response = APIClient().post("/api/contributions/", {
        "kind": "testimony", "title": "A synthetic morning", "story": "Synthetic words.", "language": "en",
        "consent": json.dumps({"scopes": ["web"], "name_display": "anonymous"})}, format="multipart")
    manage = response.json()["manage_url"].replace("http://testserver", live_server.url)
    token = manage.rstrip("/").rsplit("/", 1)[-1]
    sent = []
    web.on("request", lambda r: sent.append((r.url, r.all_headers().get("referer", ""))))
    answer = web.goto(manage)
    assert answer.status == 200 and answer.headers["referrer-policy"] == "no-referrer"
    web.wait_for_load_state("networkidle")
    subresources = [(u, ref) for u, ref in sent if u != manage]
    assert any("/static/" in u for u, _ in subresources), sent
    assert all(token not in ref for _, ref in subresources), subresources

    web.get_by_role("button", name="Withdraw my story").click()
    expect(web.get_by_text("Your story will disappear now")).to_be_visible()  # the POST passed CSRF
    web.get_by_role("button", name="Yes, withdraw my story").click()
    web.get_by_text("Your story is withdrawn. It has been removed from every public place.").wait_for()

"""Private links (a contributor's token) leave no trace: every answer under one is no-referrer,
no-store and noindex, never kept by the page cache, and no log line or console mail holds the
token or the contributor's address."""

import io
import json
import logging
import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from memorial.logging import RedactTokensFilter
from tests.site.test_contribution_journey import _submit, url

pytestmark = pytest.mark.django_db

EXPECTED = {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow"}
CONSENT = {"scopes": ["web", "search"], "name_display": "initials", "display_name": "Rana Fictive"}


def _assert_private(response, what):
    for name, value in EXPECTED.items():
        assert response.get(name) == value, (what, response.status_code, name, response.get(name))
    cache_control = {w.strip() for w in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= cache_control, (what, response.get("Cache-Control"))


def _api_token(api) -> str:
    response = api.post("/api/contributions/", {
        "kind": "testimony", "title": "A synthetic morning", "story": "Synthetic words.", "language": "en",
        "consent": json.dumps(CONSENT), "contact_email": "rana.fictive@example.org"}, format="multipart")
    assert response.status_code == 201, response.content
    return response.json()["manage_url"].rstrip("/").rsplit("/", 1)[-1]


def test_every_token_page_and_api_answer_sends_the_three_headers(client, settings,
                                                                 django_capture_on_commit_callbacks):
    settings.RATE_LIMITS = {}
    settings.PAGE_CACHE_ENABLED = True
    with django_capture_on_commit_callbacks(execute=True):
        _submit(client)
    receipt_page = client.get(url("contribute-receipt"))
    _assert_private(receipt_page, "contribution complete page")
    token = re.search(r'/en/manage/([^"/]+)/', receipt_page.content.decode()).group(1)

    pages = [("get", url("manage", token), {}), ("get", url("receipt", token), {}),
             ("get", url("manage", "not-a-real-token"), {}), ("get", url("receipt", "not-a-real-token"), {})]
    pages += [("post", url("manage-change", token, action), {}) for action in ("narrow", "pause", "resume")]
    pages += [("post", url("manage-change", token, "withdraw"), {"confirm": "yes"}),
              ("post", url("manage-change", token, "no-such-action"), {}),
              ("post", url("manage-change", "not-a-real-token", "withdraw"), {})]
    for method, path, data in pages:
        _assert_private(getattr(client, method)(path, data), path)

    api = APIClient()
    token = _api_token(api)
    calls = [("get", f"/api/consent/{token}/", None), ("patch", f"/api/consent/{token}/", {"scopes": ["web"]}),
             ("get", f"/api/consent/{token}/receipt", None), ("post", f"/api/consent/{token}/withdraw", None),
             ("get", "/api/consent/not-a-real-token/", None), ("post", "/api/consent/not-a-real-token/withdraw", None),
             ("post", f"/api/consent/{token}/erase", None), ("get", "/api/consent/not-a-real-token/receipt", None)]
    for method, path, data in calls:
        response = getattr(api, method)(path, data, format="json") if data else getattr(api, method)(path)
        _assert_private(response, path)

    # Anonymous GETs, twice: the page cache never takes a page under a private link.
    anonymous = Client()
    for path in (url("receipt", token), url("manage", token), f"/api/consent/{token}/receipt"):
        for _ in range(2):
            assert "X-Page-Cache" not in anonymous.get(path), path


def test_a_form_post_from_a_no_referrer_page_passes_csrf_with_origin_null(settings,
                                                                          django_capture_on_commit_callbacks):
    # Browsers send "Origin: null" for a form posted from a no-referrer page; the token still counts.
    settings.RATE_LIMITS = {}
    client = Client(enforce_csrf_checks=True)
    page = client.get(url("contribute"))
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        _submit_with_csrf(client, csrf)
    token = re.search(r'/en/manage/([^"/]+)/', client.get(url("contribute-receipt")).content.decode()).group(1)
    posted = client.post(url("manage-change", token, "pause"), {"csrfmiddlewaretoken": csrf}, HTTP_ORIGIN="null")
    assert posted.status_code == 200, posted.status_code
    refused = client.post(url("manage-change", token, "pause"), {}, HTTP_ORIGIN="null")
    assert refused.status_code == 403  # no CSRF token: still refused
    elsewhere = client.post(url("contribute"), {"csrfmiddlewaretoken": csrf}, HTTP_ORIGIN="null")
    assert elsewhere.status_code == 403  # Origin: null is accepted under private links only


def _submit_with_csrf(client, csrf):
    from tests.site.test_contribution_journey import STORY

    extra = {"csrfmiddlewaretoken": csrf}
    client.post(url("contribute"), {**STORY, **extra})
    client.post(url("contribute-files"), {"continue": "1", **extra})
    client.post(url("contribute-consent"), {"scopes": ["web"], "name_display": "initials",
                                            "display_name": "Sam Sample", **extra})
    client.post(url("contribute-review"), {"confirm": "on", **extra})


@pytest.fixture
def captured(capsys):
    """Every stream handler of every logger (as settings.LOGGING left them: Django's own defaults
    too) into a buffer; stdout and stderr (the console mail) through capsys."""
    buffer = io.StringIO()
    loggers = [logging.getLogger(), *(v for v in logging.Logger.manager.loggerDict.values()
                                      if isinstance(v, logging.Logger))]
    handlers = list({id(h): h for lg in loggers for h in lg.handlers if isinstance(h, logging.StreamHandler)}.values())
    assert any(isinstance(f, RedactTokensFilter) for h in logging.getLogger().handlers for f in h.filters)
    old = [h.setStream(buffer) for h in handlers]
    yield lambda: buffer.getvalue() + "".join(capsys.readouterr())
    for h, stream in zip(handlers, old, strict=True):
        h.setStream(stream)


def test_a_whole_debug_contribution_logs_no_token_and_no_address(captured, settings,
                                                                 django_capture_on_commit_callbacks):
    from django.core import mail
    from django.core.mail import get_connection

    settings.DEBUG = True
    settings.RATE_LIMITS = {}
    settings.EMAIL_BACKEND = "memorial.mail.RedactingConsoleEmailBackend"
    mail.outbox = []
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        _submit(client, consent={"contact_email": "sam.sample@example.org"})
    page = client.get(url("contribute-receipt")).content.decode()
    token = re.search(r'/en/manage/([^"/]+)/', page).group(1)
    assert get_connection().__class__.__name__ == "RedactingConsoleEmailBackend"
    bad = "nearly" + token[6:-3]  # a cut or mistyped link
    for path in (f"/api/consent/{bad}/", url("manage", bad), url("receipt", bad), url("manage", token),
                 url("receipt", token), f"/api/consent/{token}/receipt"):
        client.get(path)
    client.post(url("manage-change", token, "withdraw"), {"confirm": "yes"})
    # A runserver access line goes through django.server.
    logging.getLogger("django.server").info('"GET %s HTTP/1.1" 200 512', url("manage", token))
    logging.getLogger("django.request").warning("Not Found: %s", f"/api/consent/{bad}/withdraw")

    log = captured()
    assert "Your private link" in log  # the console mail was printed
    assert "Not Found" in log
    for secret in (token, bad, "sam.sample@example.org", "sam.sample"):
        assert secret not in log, secret

"""Secrets never reach the logs: management tokens, Authorization headers, passwords, contact details."""

import io
import logging

import pytest
from django.contrib.auth import get_user_model

from memorial.logging import RedactTokensFilter

TOKEN = "Zx9" + "k" * 40
API_TOKEN = "0123456789abcdef0123456789abcdef01234567"
PASSWORD = "correct-horse-synthetic-battery"


@pytest.fixture
def console():
    """The console handler configured by settings.LOGGING, writing into a buffer for the test."""
    handlers = [h for h in logging.getLogger().handlers
                if any(isinstance(f, RedactTokensFilter) for f in h.filters)]
    assert handlers, "settings.LOGGING must put RedactTokensFilter on the root console handler"
    buffer = io.StringIO()
    old = handlers[0].setStream(buffer)
    yield buffer
    handlers[0].setStream(old)


@pytest.mark.django_db
def test_request_logs_carry_no_token_header_or_password(client, console, settings):
    settings.RATE_LIMITS = {}
    client.get(f"/api/consent/{TOKEN}/", HTTP_AUTHORIZATION=f"Token {API_TOKEN}")
    client.get(f"/en/manage/{TOKEN}/")
    client.get(f"/en/no-such-page/?token={TOKEN}&password={PASSWORD}")
    get_user_model().objects.create_user("curator-log", password="another-synthetic-pass-1")
    client.post("/admin/login/", {"username": "curator-log", "password": PASSWORD})
    # Application code that carelessly logs a request's details still leaks nothing.
    logging.getLogger("archive").warning(
        "Rejected %s with headers %r and form %r", f"/api/consent/{TOKEN}/withdraw",
        {"HTTP_AUTHORIZATION": f"Bearer {API_TOKEN}", "HTTP_COOKIE": "sessionid=abcdef0123456789; csrftoken=x1"},
        {"password": PASSWORD, "contact_email": "person@example.org"},
    )
    try:
        raise ValueError(f"could not load /en/manage/{TOKEN}/ password={PASSWORD}")
    except ValueError:
        logging.getLogger("archive").exception("failure")
    output = console.getvalue()
    assert "Not Found" in output and "[redacted]" in output  # the logs were really written
    for secret in (TOKEN, API_TOKEN, PASSWORD, "abcdef0123456789", "person@example.org"):
        assert secret not in output

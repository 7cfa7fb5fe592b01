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


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db
def test_search_requests_are_not_logged_one_by_one(client, console, settings, osmem_clone):
    from archive.search.tasks import sync_item
    from tests.factories import ItemFactory

    settings.SEARCH_BACKENDS = {"default": {"BACKEND": "archive.search.elasticsearch.ElasticsearchBackend",
                                            "OPTIONS": {"url": osmem_clone.url, "index_prefix": "logs", "timeout": 5}}}
    item = ItemFactory(title={"en": "A green umbrella"})
    sync_item(item.pk)
    body = client.get("/api/search/", {"q": "umbrella"}).json()
    assert [r["id"] for r in body["results"]] == [str(item.pk)]  # the cluster was really asked
    logging.getLogger("archive").warning("marker after the search")
    output = console.getvalue()
    assert "marker after the search" in output
    assert "[status:" not in output and "_search" not in output  # elastic_transport's per-request INFO


@pytest.mark.django_db
def test_search_outage_logs_carry_no_credentials_of_the_cluster_url(client, console, settings):
    secret = "synthetic-es-pass-4821"
    url = f"http://memories:{secret}@127.0.0.1:{_closed_port()}"
    settings.SEARCH_BACKENDS = {"default": {"BACKEND": "archive.search.elasticsearch.ElasticsearchBackend",
                                            "OPTIONS": {"url": url, "index_prefix": "down", "timeout": 1}}}
    assert client.get("/api/search/", {"q": "umbrella"}).status_code == 503
    output = console.getvalue()
    # The outage is logged (with the cluster's URL, as the backend's error says it), without the password.
    assert "search backend default unavailable" in output and "127.0.0.1" in output
    assert secret not in output and "memories:" not in output

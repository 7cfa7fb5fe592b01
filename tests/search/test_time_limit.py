"""On PostgreSQL no search holds a database connection past its time limit (statement_timeout,
SEARCH_TIME_LIMIT_MS): a phrase or prefix query at a million items can take seconds there. The
fault is caused for real: another connection holds the search table locked, so the query waits
until PostgreSQL stops it. The visitor gets a translated request for other words (the API a 503),
the connection stays usable, and the next search answers."""

from contextlib import contextmanager

import pytest
from django.db import connection, connections

from archive.search.base import SearchQuery
from archive.search.database import DatabaseSearchBackend
from archive.search.sql import TABLE

pytestmark = [
    # Committed transactions, as a request has: the limit applies to a search in a transaction of
    # its own (one inside a caller's transaction is left alone, database.py says why).
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's; the -m postgres pass"),
]


@contextmanager
def table_locked():
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
            yield
            cursor.execute("ROLLBACK")
    finally:
        other.close()


def test_a_search_past_the_limit_is_stopped_and_the_next_one_answers(settings):
    settings.SEARCH_BACKENDS = {"default": {"BACKEND": "archive.search.database.DatabaseSearchBackend",
                                            "OPTIONS": {"time_limit_ms": 300}}}
    from archive.search import selectors

    with table_locked():
        results = selectors.search(SearchQuery(text='"harbour lantern"'))
    assert results.unavailable and results.timed_out and results.hits == []
    again = selectors.search(SearchQuery(text='"harbour lantern"'))
    assert not again.unavailable and not again.timed_out
    with connection.cursor() as cursor:  # the limit ended with the search's own transaction
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"


def test_the_page_asks_for_other_words_and_the_api_says_503(client, settings):
    settings.SEARCH_BACKENDS = {"default": {"BACKEND": "archive.search.database.DatabaseSearchBackend",
                                            "OPTIONS": {"time_limit_ms": 300}}}
    with table_locked():
        page = client.get("/fr/search/", {"q": "lanterne"})
        api = client.get("/api/search/", {"q": "lantern"})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert "Cette recherche a pris trop de temps" in page.text and 'role="alert"' in page.text
    assert api.status_code == 503 and api.json()["unavailable"] is True
    assert "took too long" in api.json()["detail"]
    assert client.get("/api/search/", {"q": "lantern"}).status_code == 200


def test_one_setting_a_search_with_the_limit_and_none_without():
    from django.test.utils import CaptureQueriesContext

    for options, expected in (({}, 1), ({"time_limit_ms": 0}, 0)):
        backend = DatabaseSearchBackend("test", options)
        with CaptureQueriesContext(connection) as seen:
            backend.search(SearchQuery(text="lantern"))
        assert sum("statement_timeout" in q["sql"] for q in seen.captured_queries) == expected, options

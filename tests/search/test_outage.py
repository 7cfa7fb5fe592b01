"""Elasticsearch down: the site stays up, search says so (or falls back), updates wait in a
queue and are applied when the cluster answers again. The outage is a closed port."""

import socket

import pytest
from django.core.cache import cache

from archive import services
from archive.search import get_backend, selectors
from archive.search.base import SearchQuery
from archive.search.models import SearchDocument, SearchPendingUpdate
from archive.search.tasks import retry_pending, sync_item
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens once the socket is closed


def es_settings(url: str, prefix: str, **options) -> dict:
    return {"default": {"BACKEND": "archive.search.elasticsearch.ElasticsearchBackend",
                        "OPTIONS": {"url": url, "index_prefix": prefix, "timeout": 2, **options}}}


def test_search_page_stays_up_with_a_translated_message(client, settings):
    settings.SEARCH_BACKENDS = es_settings(closed_port_url(), "down")
    r = client.get("/en/search/", {"q": "scarf"})
    assert r.status_code == 200
    assert "Search is unavailable right now" in r.content.decode()
    assert 'role="alert"' in r.content.decode()
    # In the visitor's language (the message was once left out of every catalogue).
    assert "La recherche est indisponible pour le moment." in client.get("/fr/search/", {"q": "scarf"}).text
    api = client.get("/api/search/", {"q": "scarf"})
    assert api.status_code == 503 and api.json()["unavailable"] is True
    # The rest of the site is not touched by the outage.
    assert client.get("/en/").status_code == 200


def test_falls_back_to_the_database_backend_when_configured(client, settings):
    item = ItemFactory(title={"en": "A blue scarf"})
    settings.SEARCH_BACKENDS = {
        **es_settings(closed_port_url(), "down", fallback="database"),
        "database": {"BACKEND": "archive.search.database.DatabaseSearchBackend", "OPTIONS": {}},
    }
    detail = sync_item(item.pk)  # writes go to every backend: the fallback stays current
    assert "database: indexed" in detail and "default: queued" in detail
    body = client.get("/api/search/", {"q": "scarf"}).json()
    assert [r["id"] for r in body["results"]] == [str(item.pk)]
    assert body["backend"].startswith("database/")


def test_updates_queued_while_down_are_applied_when_it_returns(settings, osmem_clone, django_capture_on_commit_callbacks):
    cache.clear()
    keep = ItemFactory(title={"en": "A blue scarf"})
    gone = ItemFactory(title={"en": "A red scarf"})
    settings.SEARCH_BACKENDS = es_settings(osmem_clone.url, "outage")
    sync_item(gone.pk)
    assert get_backend().count() == 1

    settings.SEARCH_BACKENDS = es_settings(closed_port_url(), "outage")
    assert "queued" in sync_item(keep.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_consent(gone, scopes=["web", "search"], withdrawn=True)  # propagation: handler runs
    assert set(SearchPendingUpdate.objects.values_list("item_id", "action")) == {
        (str(keep.pk), "index"), (str(gone.pk), "delete")}
    report = gone.removal_reports.get()
    # Honest about it: queued, with what keeps results right meanwhile.
    assert any(e["surface"] == "search" and "queued" in e["detail"] and "older consent" in e["detail"]
               for e in report.surfaces)
    assert retry_pending.call("default") == 0  # still down: nothing lost
    assert SearchPendingUpdate.objects.get(item_id=str(keep.pk)).attempts == 2

    settings.SEARCH_BACKENDS = es_settings(osmem_clone.url, "outage")
    # The first answered search schedules the retry of the queue (after commit).
    with django_capture_on_commit_callbacks(execute=True):
        results = selectors.search(SearchQuery(text="scarf"))
    assert not results.unavailable
    assert not SearchPendingUpdate.objects.exists()
    assert set(get_backend().ids()) == {str(keep.pk)}
    assert [h.id for h in selectors.search(SearchQuery(text="scarf")).hits] == [str(keep.pk)]
    assert not SearchDocument.objects.exists()  # the database backend was not configured here


def test_fallbacks_that_are_all_down_end_in_unavailable(client, settings):
    down = closed_port_url()
    settings.SEARCH_BACKENDS = {
        **es_settings(down, "a", fallback="other"),
        "other": {"BACKEND": "archive.search.elasticsearch.ElasticsearchBackend",
                  "OPTIONS": {"url": down, "index_prefix": "b", "timeout": 1, "fallback": "default"}},
    }
    r = client.get("/api/search/", {"q": "scarf"})
    assert r.status_code == 503 and r.json()["unavailable"] is True

"""Search backend down mid-life: the site stays up, search says so, consent still holds, and the
updates made meanwhile are applied when the cluster answers again.

The cluster is a private osmem-server process (the OpenSearch-compatible stand-in) that the test
freezes with SIGSTOP: a hung backend, the worst kind (connections open, no answer), unlike a closed
port (tests/search/test_outage.py). SIGCONT brings it back with its data.
"""

from __future__ import annotations

import os
import signal
import time

import pytest
from django.core.cache import cache
from osmem_server import OsmemServer

from archive import services
from archive.search import get_backend
from archive.search.models import SearchPendingUpdate
from archive.search.tasks import sync_item
from tests.factories import ItemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def cluster(settings):
    server = OsmemServer.start(japanese=False)
    settings.SEARCH_BACKENDS = {"default": {
        "BACKEND": "archive.search.elasticsearch.ElasticsearchBackend",
        "OPTIONS": {"url": server.url, "index_prefix": "faults", "timeout": 1},
    }}
    cache.clear()
    yield server
    os.kill(server.pid, signal.SIGCONT)
    server.close()


def _ids(client, q: str) -> list[str]:
    response = client.get("/api/search/", {"q": q})
    assert response.status_code == 200, response.content
    return [r["id"] for r in response.json()["results"]]


def test_hung_search_cluster_degrades_clearly_and_catches_up(client, cluster, django_capture_on_commit_callbacks):
    lantern = ItemFactory(title={"en": "An amber lantern"})
    scarf = ItemFactory(title={"en": "An amber scarf"})
    for item in (lantern, scarf):
        sync_item(item.pk)
    assert sorted(_ids(client, "amber")) == sorted([str(lantern.pk), str(scarf.pk)])

    os.kill(cluster.pid, signal.SIGSTOP)  # the cluster hangs
    try:
        started = time.monotonic()
        page = client.get("/en/search/", {"q": "amber"})
        assert page.status_code == 200
        assert "Search is unavailable right now" in page.text and 'role="alert"' in page.text
        assert time.monotonic() - started < 10  # bounded by the client timeout, the worker is not stuck
        assert client.get("/api/search/", {"q": "amber"}).status_code == 503
        # The rest of the archive is up.
        assert client.get("/en/").status_code == 200
        assert client.get(f"/en/items/{lantern.pk}/").status_code == 200

        # Meanwhile: a contributor withdraws, and a new item is published.
        with django_capture_on_commit_callbacks(execute=True):
            services.record_consent(scarf, scopes=["web", "search"], withdrawn=True)
        kite = ItemFactory(title={"en": "An amber kite"})
        assert "queued" in sync_item(kite.pk)
        pending = set(SearchPendingUpdate.objects.values_list("item_id", "action"))
        assert pending == {(str(scarf.pk), "delete"), (str(kite.pk), "index")}  # nothing lost
        assert client.get(f"/en/items/{scarf.pk}/").status_code == 404  # withdrawal is immediate on the web
    finally:
        os.kill(cluster.pid, signal.SIGCONT)

    # Back: the withdrawn story never shows, even before its delete reaches the index...
    with django_capture_on_commit_callbacks(execute=True):
        first = _ids(client, "amber")
    assert str(scarf.pk) not in first
    # ...and the first answered search queued the catch-up, which ran after commit.
    assert not SearchPendingUpdate.objects.exists()
    assert set(get_backend().ids()) == {str(lantern.pk), str(kite.pk)}
    assert sorted(_ids(client, "amber")) == sorted([str(lantern.pk), str(kite.pk)])

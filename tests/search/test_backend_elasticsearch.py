"""The backend suite against Elasticsearch: the osmem-server stand-in (an OpenSearch-compatible
server in a wheel) always, and a real cluster whenever ELASTICSEARCH_URL is set."""

import uuid

import pytest
from django.conf import settings

from archive.search.elasticsearch import ElasticsearchBackend
from tests.search.backend_suite import BackendSuite

pytestmark = pytest.mark.django_db


def es_backend(url: str) -> ElasticsearchBackend:
    # A unique prefix per test: tests never share indices, even on a shared real cluster.
    return ElasticsearchBackend("test", {"url": url, "index_prefix": f"test-{uuid.uuid4().hex[:10]}"})


class TestElasticsearchOnOsmem(BackendSuite):
    @pytest.fixture
    def backend(self, osmem_clone):
        backend = es_backend(osmem_clone.url)
        yield backend
        backend.close()

    def test_alias_points_at_one_index_after_rebuild(self, backend, items):
        before = backend._live_indices()
        target = backend.start_rebuild()
        backend.finish_rebuild(target)
        after = backend._live_indices()
        assert after == [target] and before != after
        assert not backend.client.indices.exists(index=before[0])

    def test_rebuild_resumes_into_the_same_index(self, backend, items):
        target = backend.start_rebuild()
        assert backend.start_rebuild(resume=target) == target


@pytest.mark.skipif(not getattr(settings, "TEST_ELASTICSEARCH_URL", None),
                    reason="ELASTICSEARCH_URL is not set: no real cluster to test against")
class TestElasticsearchRealCluster(BackendSuite):
    @pytest.fixture
    def backend(self):
        backend = es_backend(settings.TEST_ELASTICSEARCH_URL)
        yield backend
        for name in backend._live_indices():
            backend.client.indices.delete(index=name, ignore_unavailable=True)
        backend.close()


def test_deep_pages_stay_inside_the_result_window(osmem_clone, client, settings):
    settings.SEARCH_BACKENDS = {"default": {"BACKEND": "archive.search.elasticsearch.ElasticsearchBackend",
                                            "OPTIONS": {"url": osmem_clone.url, "index_prefix": "deep"}}}
    r = client.get("/api/search/", {"q": "anything", "page": "9999", "page_size": "50"})
    assert r.status_code == 200 and r.json()["page"] == 200


def test_a_refused_request_degrades_instead_of_failing(osmem_clone, client, settings):
    settings.SEARCH_BACKENDS = {"default": {"BACKEND": "archive.search.elasticsearch.ElasticsearchBackend",
                                            "OPTIONS": {"url": osmem_clone.url, "index_prefix": "gone"}}}
    assert client.get("/api/search/", {"q": "x"}).status_code == 200
    from archive.search import get_backend

    backend = get_backend()
    for name in backend._live_indices():  # an operator deletes the index under the running site
        backend.client.indices.delete(index=name)
    r = client.get("/api/search/", {"q": "x"})
    assert r.status_code == 503 and r.json()["unavailable"]
    assert client.get("/api/search/", {"q": "x"}).status_code == 200  # re-created on the next request

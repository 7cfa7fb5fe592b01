"""A full rebuild into Elasticsearch streams: documents go from a generator through
helpers.streaming_bulk in chunks, and memory does not grow with the number of documents. Against
the osmem-server stand-in (an OpenSearch-compatible server in its own process, so tracemalloc
sees only this process: the client, the generator and the chunks). Synthetic documents only."""

from __future__ import annotations

import tracemalloc
import uuid

import pytest

from archive.search.elasticsearch import ElasticsearchBackend

pytestmark = pytest.mark.django_db


def documents(n: int):
    for i in range(n):
        yield {"id": str(uuid.UUID(int=i + 1)), "kind": "testimony", "country": "XA", "languages": ["en"],
               "title": {"en": f"Synthetic memory {i}"}, "text": {"title": f"synthetic memory {i}",
                                                                 "body": "a harbour lantern " * 20}}


def rebuild_peak(backend: ElasticsearchBackend, n: int) -> int:
    target = backend.start_rebuild()
    tracemalloc.start()
    try:
        assert backend.index(documents(n), target=target) == n
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        backend.finish_rebuild(target)


def test_a_rebuild_streams_in_memory_that_does_not_grow_with_the_archive(osmem_clone):
    backend = ElasticsearchBackend("test", {"url": osmem_clone.url, "index_prefix": f"test-{uuid.uuid4().hex[:10]}"})
    try:
        rebuild_peak(backend, 50)  # the client's connections and first-use caches, outside the figures
        small, large = rebuild_peak(backend, 600), rebuild_peak(backend, 3000)
        assert backend.count() == 3000
    finally:
        backend.close()
    # 5x the documents: a list of every action would be ~5x the memory; a stream is one chunk.
    assert large < 1.5 * small, (small, large)


def test_an_index_template_carries_the_operators_shards_and_replicas(osmem_clone):
    prefix = f"test-{uuid.uuid4().hex[:10]}"
    backend = ElasticsearchBackend("test", {"url": osmem_clone.url, "index_prefix": prefix, "shards": 3, "replicas": 2})
    try:
        backend.ensure_index()
        client, alias = backend.client, backend.alias_name
        template = client.indices.get_index_template(name=f"{alias}-template")["index_templates"][0]["index_template"]
        assert template["index_patterns"] == [f"{alias}-*"]
        assert template["template"]["settings"]["index"]["number_of_shards"] == "3"
        live = backend._live_indices()[0]
        assert client.indices.get_settings(index=live)[live]["settings"]["index"]["number_of_replicas"] == "2"
        # An index an operator makes on the cluster under the pattern gets the same settings.
        client.indices.create(index=f"{alias}-restored")
        restored = client.indices.get_settings(index=f"{alias}-restored")[f"{alias}-restored"]["settings"]["index"]
        assert (restored["number_of_shards"], restored["number_of_replicas"]) == ("3", "2")
    finally:
        backend.close()

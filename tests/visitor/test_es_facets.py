"""Elasticsearch's faceted counts, without a cluster: the request counts each facet under the other
facets' filters (post_filter narrows the hits), and nested filter aggregations are read back."""

from archive.search.base import SearchQuery
from archive.search.elasticsearch import build_query
from archive.search.es_facets import buckets


def test_each_facet_counts_under_the_other_filters_only():
    body = build_query(SearchQuery(filters={"country": ["XA"], "kind": ["testimony"]}))
    assert body["post_filter"]["bool"]["filter"] == [{"terms": {"country": ["XA"]}}, {"terms": {"kind": ["testimony"]}}]
    assert body["aggs"]["country"]["filter"]["bool"]["filter"] == [{"terms": {"kind": ["testimony"]}}]
    assert body["aggs"]["kind"]["filter"]["bool"]["filter"] == [{"terms": {"country": ["XA"]}}]
    assert len(body["aggs"]["event"]["filter"]["bool"]["filter"]) == 2  # not filtered itself: both
    assert "terms" in build_query(SearchQuery())["aggs"]["event"]  # no filters: plain terms
    assert all("terms" not in str(c) for c in body["query"]["bool"]["filter"][2:])


def test_nested_and_plain_buckets_are_read_back():
    response = {"aggregations": {
        "country": {"doc_count": 3, "values": {"buckets": [{"key": "XB", "doc_count": 1}, {"key": "XA", "doc_count": 2}]}},
        "year": {"buckets": [{"key": 2004.0, "doc_count": 1}]},
        "has_transcript": {"buckets": [{"key": 1, "key_as_string": "true", "doc_count": 4}]},
        "event": {"buckets": [{"key": "", "doc_count": 9}]},
    }}
    out = {f: [(b.value, b.count) for b in bs] for f, bs in buckets(response).items()}
    assert out == {"country": [("XA", 2), ("XB", 1)], "year": [("2004", 1)], "has_transcript": [("true", 4)],
                   "event": []}

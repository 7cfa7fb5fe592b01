"""Elasticsearch facets as faceted search counts them: each facet under every filter but its own
(the filters themselves narrow the hits through `post_filter`), and the buckets read back."""

from __future__ import annotations

from archive.search.base import FACETS, FacetBucket, SearchQuery

BOOLEANS = ("has_transcript", "content_warning")


def aggs(query: SearchQuery, facet_clauses: dict[str, dict], field, sizes: dict[str, int]) -> dict:
    out = {}
    for facet in query.facets:
        if facet not in FACETS:
            continue
        terms = {"terms": {"field": field(facet), "size": sizes.get(facet, 20)}}
        others = [c for f, c in facet_clauses.items() if f != facet]
        out[facet] = {"filter": {"bool": {"filter": others}}, "aggs": {"values": terms}} if others else terms
    return out


def _key(facet: str, bucket: dict) -> str | None:
    if facet in BOOLEANS:
        key = bucket.get("key_as_string", bucket["key"])
        return "true" if key in (True, 1, "true", "1") else "false"
    key = bucket["key"]
    if isinstance(key, float) and key.is_integer():
        key = int(key)
    return None if key == "" else str(key)  # no event, no country: not a facet value


def buckets(response: dict) -> dict[str, list[FacetBucket]]:
    facets: dict[str, list[FacetBucket]] = {}
    for facet, agg in (response.get("aggregations") or {}).items():
        agg = agg.get("values", agg)  # a facet counted under the other facets' filters
        found = [FacetBucket(value=key, count=int(b["doc_count"]))
                 for b in agg.get("buckets", []) if (key := _key(facet, b)) is not None]
        found.sort(key=lambda b: (-b.count, b.value))
        facets[facet] = found
    return facets

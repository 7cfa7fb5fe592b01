"""A page of a large result set in date order with a filter on one kind, decade or year walks that
value's own index (migration 0011), newest first, and equals the exact page. SQLite here;
PostgreSQL (which picks its indexes itself) in the `-m postgres` run. Synthetic documents only."""

from __future__ import annotations

import pytest
from django.db import connection

from archive.search.base import SearchQuery
from archive.search.database import DatabaseSearchBackend

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

KINDS = ("testimony", "photograph", "object_story")


def docs() -> list[dict]:
    out = []
    for i in range(90):
        year = 1975 + (i * 7) % 50
        out.append({"id": f"00000000-0000-4000-8000-{i:012d}", "kind": KINDS[i % 3], "country": "XA",
                    "year": year, "decade": year // 10 * 10, "languages": ["en"], "has_transcript": i % 4 == 0,
                    # Some share a date (the id breaks the tie), a few have none (last).
                    "date": None if i % 23 == 0 else f"{year}-{1 + i % 12:02d}-01",
                    "text": {"title": "harbour lantern", "body": f"memory {i}"}})
    return out


def search(sample: int, **query) -> list[str]:
    backend = DatabaseSearchBackend("test", {"facet_sample": sample})
    return [h.id for h in backend.search(SearchQuery(page_size=7, **query)).hits]


FILTERS = [{"decade": ["1990"]}, {"decade": ["1990"], "has_transcript": ["true"]}, {"kind": ["photograph"]},
           {"year": ["1982"]}, {"kind": ["testimony"], "decade": ["2010"]}, {"decade": ["1990", "2000"]},
           {"year": ["19x2"]}]


@pytest.mark.parametrize("filters", FILTERS)
def test_pages_through_a_filter_index_equal_the_exact_pages(filters):
    DatabaseSearchBackend("test", {}).clear()
    DatabaseSearchBackend("test", {}).index(docs())
    for text in ("", "lantern"):
        for sort in ("relevance", "newest", "oldest"):
            if text and sort == "relevance":
                continue  # by relevance with words: the best matches, not a date index
            pages = [search(5, text=text, filters=filters, sort=sort, page=p) for p in (1, 2, 3)]
            assert pages == [search(0, text=text, filters=filters, sort=sort, page=p) for p in (1, 2, 3)]
            assert len(set(sum(pages, []))) == len(sum(pages, []))  # no item twice across pages


@pytest.mark.skipif("connection.vendor != 'sqlite'")
@pytest.mark.parametrize(("filters", "index"), [({"decade": ["1990"], "has_transcript": ["true"]}, "search_decade_date"),
                                                 ({"kind": ["photograph"], "year": ["1982"]}, "search_year_date"),
                                                 ({"kind": ["photograph"]}, "search_kind_date"),
                                                 ({"kind": ["photograph", "testimony"]}, "search_date_desc")])
def test_the_page_walks_the_filtered_values_index_without_sorting(filters, index):
    DatabaseSearchBackend("test", {}).index(docs())
    statements = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        search(5, text="", filters=filters)
    sql, params = next(s for s in statements if "INDEXED BY" in s[0] and "INDEXED BY search_facets" not in s[0])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = [(node, parent, detail) for node, parent, _, detail in cursor.fetchall()]
    walk = next((row for row in plan if f"INDEX {index} " in row[2] + " "), None)
    assert walk, plan
    if index != "search_date_desc":  # the walk's rows come in the page's order: nothing sorts them
        assert not [row for row in plan if row[1] == walk[1] and "TEMP B-TREE" in row[2]], plan

"""Facet counts of a large result set come from a sample (the database backend's facet_sample):
scaled back up, marked approximate, exact below the sample size, and never counting an item the
query hides (consent re-check pending) or that is embargoed. SQLite FTS5 here; PostgreSQL in the
`-m postgres` run. Synthetic documents only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from archive.search.base import SearchQuery
from archive.search.database import DatabaseSearchBackend

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def doc(i: int, kind: str, **extra) -> dict:
    return {"id": f"00000000-0000-4000-8000-{i:012d}", "kind": kind, "country": "XA", "year": 2000 + i % 3,
            "decade": 2000, "languages": ["en"],
            "text": {"title": "harbour lantern", "body": f"memory {i}"}, **extra}


def backend(sample: int, docs: list[dict]) -> DatabaseSearchBackend:
    b = DatabaseSearchBackend("test", {"facet_sample": sample})
    b.clear()
    b.index(docs)
    return b


def kinds(results) -> dict[str, int]:
    return {bucket.value: bucket.count for bucket in results.facets["kind"]}


def ids(results) -> list[str]:
    return [h.id for h in results.hits]


def test_large_result_sets_count_on_a_sample_scaled_back_up():
    docs = [doc(i, "photograph" if i % 5 == 0 else "testimony", date=f"19{50 + i % 40}-01-01") for i in range(60)]
    results = backend(10, docs).search(SearchQuery(text="lantern"))
    assert results.approximate
    step = 1 + 60 // 10
    counts = kinds(results)
    assert counts and all(c % step == 0 for c in counts.values())
    assert results.total % step == 0 and abs(results.total - 60) <= 2 * step
    exact = backend(0, docs).search(SearchQuery(text="lantern"))
    assert not exact.approximate and exact.total == 60 and kinds(exact) == {"testimony": 48, "photograph": 12}
    # The page of hits is the exact one, in every order, with words and without.
    for text in ("lantern", ""):
        for sort in ("relevance", "newest", "oldest"):
            for page in (1, 2):
                q = {"text": text, "sort": sort, "page": page}
                assert ids(backend(10, docs).search(SearchQuery(**q))) == ids(backend(0, docs).search(SearchQuery(**q)))


def test_small_result_sets_are_exact():
    docs = [doc(i, "testimony") for i in range(9)]
    results = backend(10, docs).search(SearchQuery(text="lantern", filters={"kind": ["testimony"]}))
    assert not results.approximate
    assert kinds(results) == {"testimony": 9} and results.total == 9


def test_filters_that_leave_few_of_the_best_matches_still_find_the_rest(monkeypatch):
    from archive.search import sampled

    monkeypatch.setattr(sampled, "_TOP", 5)
    docs = [doc(i, "testimony", text={"title": "lantern lantern harbour", "body": ""}) for i in range(40)]
    docs += [doc(100 + i, "photograph", text={"title": "", "body": "a lantern among many other words"})
             for i in range(3)]
    results = backend(10, docs).search(SearchQuery(text="lantern", filters={"kind": ["photograph"]}))
    assert sorted(ids(results)) == sorted(d["id"] for d in docs[-3:])


def test_a_sample_never_counts_or_shows_hidden_or_embargoed_items():
    later = timezone.now() + timedelta(days=30)
    docs = [doc(i, "testimony") for i in range(40)]
    docs += [doc(100 + i, "photograph") for i in range(20)]  # re-check pending: the query hides them
    docs += [doc(200 + i, "object_story", embargo_until=later) for i in range(20)]
    hidden = tuple(d["id"] for d in docs if d["kind"] == "photograph")
    for text in ("lantern", ""):
        results = backend(5, docs).search(SearchQuery(text=text, hidden=hidden, page_size=50))
        assert results.approximate
        assert set(kinds(results)) == {"testimony"}
        assert {d["kind"] for d in docs if d["id"] in ids(results)} == {"testimony"}
        assert len(results.hits) == 40
        # The facet with its own filter counts over its own (sampled) rows, hidden ones left out too.
        filtered = backend(5, docs).search(SearchQuery(text=text, hidden=hidden, filters={"kind": ["testimony"]}))
        assert set(kinds(filtered)) == {"testimony"} and filtered.approximate


def test_the_page_and_the_api_say_the_counts_are_estimated(client, monkeypatch, settings):
    from archive.search import get_backend
    from tests.search.helpers import corpus, documents

    settings.PAGE_CACHE_ENABLED = False  # the same address, before and after the change of option
    live = get_backend()
    live.index(documents(corpus()))
    page = client.get("/en/search/").content.decode()
    assert "(about " not in page and "estimated from a sample" not in page
    assert client.get("/api/search/").json()["facets_approximate"] is False
    monkeypatch.setitem(live.options, "facet_sample", 2)
    page = client.get("/en/search/").content.decode()
    assert "(about " in page and "the counts are estimated from a sample" in page and "About " in page
    assert client.get("/api/search/").json()["facets_approximate"] is True
    page = client.get("/fr/search/").content.decode()
    assert "(environ " in page and "Environ " in page


def test_filters_the_sample_says_keep_few_matches_rank_every_match_at_once(monkeypatch):
    """Ranking the best matches first is skipped when the sample shows the filters leave too few of
    them for the page: the page is the same, in one statement instead of two."""
    from django.db import connection

    from archive.search import sampled

    monkeypatch.setattr(sampled, "_TOP", 5)
    docs = [doc(i, "testimony", text={"title": "lantern lantern harbour", "body": ""}) for i in range(40)]
    docs += [doc(100 + i, "photograph", text={"title": "", "body": "a lantern among many other words"})
             for i in range(3)]
    b = backend(10, docs)
    pages = []

    def capture(execute, sql, params, many, context):
        if ("bm25" in sql or "ts_rank" in sql) and "count(*)" not in sql:
            pages.append(sql)
        return execute(sql, params, many, context)

    for filters, expected in (({"kind": ["photograph"]}, 1), ({"kind": ["testimony"]}, 1), ({}, 1)):
        pages.clear()
        with connection.execute_wrapper(capture):
            results = b.search(SearchQuery(text="lantern", filters=filters))
        assert ids(results) == ids(backend(0, docs).search(SearchQuery(text="lantern", filters=filters)))
        b = backend(10, docs)
        assert len(pages) == expected, pages



def test_a_very_large_result_set_is_ranked_on_a_sample_of_its_matches(monkeypatch):
    """Above rank_sample matches, the hits are the best of every k-th match by row id (ranking
    costs about a microsecond a match); rank_sample 0 ranks them all. Hidden items stay out."""
    from archive.search import sampled
    from archive.search.models import SearchDocument

    monkeypatch.setattr(sampled, "_RANK_DEPTH", 2)

    docs = [doc(i, "testimony", text={"title": "lantern " * (1 + i % 9), "body": "harbour"}) for i in range(70)]
    hidden = (docs[0]["id"],)
    exact = DatabaseSearchBackend("test", {"facet_sample": 10, "rank_sample": 0})
    exact.clear()
    exact.index(docs)
    rowid = dict(SearchDocument.objects.values_list("item_id", "id"))
    sampled_backend = DatabaseSearchBackend("test", {"facet_sample": 10, "rank_sample": 10})
    every = 1 + 70 // 10
    for page in (1, 2):
        query = SearchQuery(text="lantern", page_size=2, page=page, hidden=hidden)
        hits = sampled_backend.search(query).hits
        assert len(hits) == 2 and all(rowid[h.id] % every == 0 for h in hits)
        assert hidden[0] not in [h.id for h in hits]
        best = [h for h in exact.search(SearchQuery(text="lantern", page_size=70, hidden=hidden)).hits
                if rowid[h.id] % every == 0]
        assert [h.id for h in hits] == [h.id for h in best][2 * (page - 1):2 * page]
    # A page deeper than the sample reaches is ranked over every match.
    deep = SearchQuery(text="lantern", page_size=2, page=30, hidden=hidden)
    assert [h.id for h in sampled_backend.search(deep).hits] == [h.id for h in exact.search(deep).hits]


def test_the_sample_counts_without_ranking():
    """The sampled statement counts; ranking it (bm25 reads every sampled match's positions) was
    wasted work: the hits are ranked by their own statement."""
    from django.db import connection

    statements = []

    def capture(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    b = backend(10, [doc(i, "testimony") for i in range(60)])
    with connection.execute_wrapper(capture):
        assert b.search(SearchQuery(text="lantern")).approximate
    counting = [s for s in statements if "'total'" in s]
    assert len(counting) == 1 and "bm25" not in counting[0] and "ts_rank" not in counting[0]

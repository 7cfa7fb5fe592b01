"""SQLite: index() inserts a batch in a few statements, so that FTS5 keeps the batch's terms in
memory and writes them out once (row by row it wrote a segment per row and merged them as they
piled up: 15 s for 6,000 rows, hundreds of GB read for a rebuild of a million). The rows and the
full-text index are the same either way. Synthetic documents only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection

from archive.search.base import SearchQuery
from archive.search.database import DatabaseSearchBackend

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def doc(i: int, word: str, **extra) -> dict:
    return {"id": f"00000000-0000-4000-8000-{i:012d}", "kind": "testimony", "country": "XA", "year": 1999,
            "decade": 1990, "languages": ["ar", "en"], "exhibitions": [], "has_transcript": i % 2 == 0,
            "date": "1999-03-01", "title": {"ar": "ساعة"},
            "text": {"title": f"{word} سَاعَة", "body": f"memory {i}", "transcript": ""}, **extra}


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_a_batch_reaches_fts5_in_one_write_not_one_per_row():
    backend = DatabaseSearchBackend("test", {})
    backend.clear()
    writes = []
    connection.ensure_connection()
    connection.connection.set_trace_callback(lambda sql: writes.append(sql) if "_fts_data'" in sql else None)
    try:
        backend.index([doc(i, "lantern") for i in range(120)])
    finally:
        connection.connection.set_trace_callback(None)
    assert 0 < len(writes) < 12, len(writes)  # a segment or two, not 120
    assert backend.search(SearchQuery(text="lantern")).total == 120


def test_values_round_trip_and_a_known_item_is_replaced():
    backend = DatabaseSearchBackend("test", {})
    backend.clear()
    later = datetime(2091, 5, 1, tzinfo=UTC)
    backend.index([doc(1, "harbour", embargo_until=later), doc(2, "harbour")])
    backend.index([doc(2, "bridge"), doc(3, "bridge")])  # 2 replaced, 3 new, in one batch
    before = SearchQuery(text="", at=datetime(2090, 1, 1, tzinfo=UTC))
    assert {h.id[-1] for h in backend.search(before).hits} == {"2", "3"}  # 1 under embargo
    results = backend.search(SearchQuery(text="bridge"))
    assert sorted(h.id[-1] for h in results.hits) == ["2", "3"]
    assert backend.search(SearchQuery(text="harbour")).total == 0  # 1 is embargoed, 2 no longer says it
    assert backend.search(SearchQuery(text="harbour", at=datetime(2092, 1, 1, tzinfo=UTC))).total == 1
    hit = next(h for h in results.hits if h.id.endswith("2"))
    assert hit.document["title"] == {"ar": "ساعة"} and hit.document["languages"] == ["ar", "en"]
    assert {b.value: b.count for b in results.facets["has_transcript"]} == {"true": 1, "false": 1}
    assert {b.value: b.count for b in results.facets["language"]} == {"ar": 2, "en": 2}


def test_the_debug_query_log_keeps_no_copy_of_the_documents():
    """Under DEBUG, Django logs every statement; a batch's parameter is megabytes of documents, and
    9,000 of them were kept (a rebuild of a million grew past 1 GB)."""
    backend = DatabaseSearchBackend("test", {})
    connection.force_debug_cursor = True
    try:
        connection.queries_log.clear()
        backend.index([doc(i, "lantern" * 40) for i in range(200)])
        assert connection.queries_log and max(len(q["sql"]) for q in connection.queries_log) < 5_000
    finally:
        connection.force_debug_cursor = False


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_a_rebuild_merges_with_a_large_page_cache_then_gives_it_back():
    """FTS5's merges at the end of a rebuild read every segment page through the table's interior
    pages: with SQLite's 2 MB cache a million items' final merge wrote 270 MB in 8.5 minutes."""
    backend = DatabaseSearchBackend("test", {"sqlite_rebuild_cache_kib": 4096, "sqlite_cache_kib": 1024})

    def cache_kib() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return -cursor.fetchone()[0]

    target = backend.start_rebuild()
    assert cache_kib() == 4096
    backend.index([doc(i, "lantern") for i in range(20)], target=target)
    backend.finish_rebuild(target)
    assert cache_kib() == 1024
    assert backend.search(SearchQuery(text="lantern")).total == 20

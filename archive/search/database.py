# ruff: noqa: S608  -- SQL is assembled only from constant column names (the FACETS whitelist);
# every value from a visitor is a bound parameter.
"""The database search backend: SQLite FTS5 on SQLite, full-text search with a GIN index on PostgreSQL.

Rows live in archive_searchdocument (archive/search/models.py); the full-text index beside it is
created by migration 0003 for each vendor. One SQL statement answers a query: the matching rows
are materialised once, and the page, the total and every facet's counts are read from them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from datetime import date, datetime

from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from archive.search import sampled
from archive.search.base import (
    FACETS,
    BaseSearchBackend,
    FacetBucket,
    Hit,
    SearchQuery,
    SearchResults,
    SearchTimedOut,
    SearchUnavailable,
)
from archive.search.models import SearchDocument
from archive.search.sql import (  # noqa: F401  (the expressions: tests read them here)
    BOOLEAN_FACETS,
    FTS,
    ROWS,
    TABLE,
    _facet_count,
    _facet_filter,
    _match,
    _order,
    _where_flags,
    fts5_expression,
    tsquery_expression,
)

# Stored for display only; the normalised text has its own columns.
_DISPLAY_EXCLUDE = ("text", "by_language")
_COLUMNS = ("item_id", "kind", "event", "country", "year", "decade", "languages", "exhibitions",
            "has_transcript", "content_warning", "date_sort", "embargo_ts", "expires_ts", "title_text",
            "body_text", "transcript_text", "document")
_JSON_COLUMNS = frozenset({"languages", "exhibitions", "document"})
_ROWS_PER_STATEMENT = 500  # SQLite: rows inserted by one statement (index() below)
QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE when statement_timeout stops a query
# What the matched rows carry: the facet columns and what the page is ordered by.
_MATCH_COLUMNS = ("d.id, d.kind, d.event, d.country, d.year, d.decade, d.languages, d.exhibitions, "
                  "d.has_transcript, d.content_warning, d.date_sort")


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def _ts(value) -> int | None:
    if not value:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return int(value.timestamp())


def _ordinal(value) -> int | None:
    if not value:
        return None
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return value.toordinal()


class DatabaseSearchBackend(BaseSearchBackend):
    """OPTIONS: `using` (database alias, default "default")."""

    @property
    def using(self) -> str:
        return self.options.get("using") or "default"

    @property
    def facet_sample(self) -> int:
        """Result sets larger than this get their total and facet counts from a sample of about this
        many rows (0: always exact)."""
        return max(0, int(self.options.get("facet_sample", 2_000) or 0))

    @property
    def rank_sample(self) -> int:
        """Result sets larger than this are ranked on a systematic sample of about this many
        matches (0: rank every match); sampled.rank_step."""
        return max(0, int(self.options.get("rank_sample", 5_000) or 0))

    @property
    def vendor(self) -> str:
        return connections[self.using].vendor

    @property
    def label(self) -> str:
        return "database/" + ("PostgreSQL" if self.vendor == "postgresql" else "SQLite FTS5")

    # -- writes -------------------------------------------------------------------------------
    def index(self, docs: Iterable[dict], *, target: str | None = None) -> int:
        # Plain executemany rather than bulk_create: indexing is the hot path of a full rebuild,
        # and the ORM's per-field compilation cost as much as SQLite's full-text insert.
        rows = [self._values(d) for d in docs]
        if not rows:
            return 0
        updates = ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS[1:])
        # An upsert: a new item is a plain insert, a known one is replaced (the update trigger
        # keeps FTS5 in step on SQLite; the generated tsvector follows on PostgreSQL).
        conflict = f"ON CONFLICT (item_id) DO UPDATE SET {updates}"
        with transaction.atomic(using=self.using), connections[self.using].cursor() as cursor:
            if self.vendor == "postgresql":
                marks = ", ".join("%s::jsonb" if c in _JSON_COLUMNS else "%s" for c in _COLUMNS)
                cursor.executemany(f"INSERT INTO {TABLE} ({', '.join(_COLUMNS)}) VALUES ({marks}) {conflict}", rows)
                return len(rows)
            # SQLite: many rows per statement, read from one JSON array. Row by row (executemany),
            # every row's trigger runs in a statement of its own, and FTS5 writes out its pending
            # terms as a new segment at each one, merging as they pile up: 6,000 rows took 15 s,
            # and a 1M rebuild read hundreds of GB. In one statement FTS5 keeps them in memory (0.13 s).
            picks = ", ".join(f"json_extract(j.value, '$[{k}]')" for k in range(len(_COLUMNS)))
            sql = (f"INSERT INTO {TABLE} ({', '.join(_COLUMNS)}) SELECT {picks} FROM json_each(%s) j "
                   f"WHERE true {conflict}")  # WHERE: SQLite's parser needs it before ON CONFLICT
            # executemany, even of one: Django's query log (DEBUG) keeps each execute's SQL with its
            # parameters written in, here megabytes of documents per statement, 9,000 statements deep.
            cursor.executemany(sql, [[_json(rows[start:start + _ROWS_PER_STATEMENT])]
                                     for start in range(0, len(rows), _ROWS_PER_STATEMENT)])
        return len(rows)

    def _values(self, doc: dict) -> list:
        text = doc.get("text") or {}
        display = {k: v for k, v in doc.items() if k not in _DISPLAY_EXCLUDE}
        return [
            str(doc["id"]), doc.get("kind", ""), doc.get("event") or "", doc.get("country") or "",
            doc.get("year"), doc.get("decade"), _json(doc.get("languages") or []),
            _json(doc.get("exhibitions") or []), bool(doc.get("has_transcript")),
            bool(doc.get("content_warning")), _ordinal(doc.get("date")), _ts(doc.get("embargo_until")),
            _ts(doc.get("expires_at")), text.get("title", ""), text.get("body", ""),
            text.get("transcript", ""), _json(display),
        ]

    def delete(self, ids: Iterable[str]) -> int:
        ids = [str(i) for i in ids]
        if ids:
            SearchDocument.objects.using(self.using).filter(item_id__in=ids).delete()
        return len(ids)

    def purge(self, ids: Iterable[str]) -> int:
        # FTS5 deletes by appending "delete" markers; the erased terms stay in older segments
        # until a merge. 'optimize' merges every segment into one now, and secure_delete (set on
        # every connection, memorial/settings.py) zeroes the pages it frees. On PostgreSQL the
        # dead tuples go with the VACUUM that archive/erasure.py runs after commit.
        count = self.delete(ids)
        self._fts_command("optimize")
        return count

    def clear(self) -> None:
        SearchDocument.objects.using(self.using).all().delete()

    def start_rebuild(self, resume: str | None = None) -> str:
        # Rows are replaced in place; the reindex command deletes the stale ones at the end.
        # On SQLite, FTS5 stops merging segments while the rebuild writes (much faster bulk
        # inserts) and finish_rebuild() merges once and restores the default.
        self._fts_command("automerge", 0)
        self._rebuild_cache(True)
        return "in-place"

    def finish_rebuild(self, target: str) -> None:
        self._fts_command("optimize")
        self._fts_command("automerge", 4)
        self._rebuild_cache(False)

    def _rebuild_cache(self, rebuilding: bool) -> None:
        """SQLite: a large page cache while a rebuild writes and merges the full-text index. With the
        search's 32 MB (or the default 2 MB) the merges read each segment page through the table's
        interior pages again and again: at 1M items the final merge wrote 270 MB in 8.5 minutes."""
        if self.vendor != "sqlite":
            return
        kib = int(self.options.get("sqlite_rebuild_cache_kib" if rebuilding else "sqlite_cache_kib",
                                   512 * 1024 if rebuilding else 32 * 1024))
        with connections[self.using].cursor() as cursor:
            self._tune(cursor)
            cursor.execute(f"PRAGMA cache_size = -{kib}")

    def _fts_command(self, command: str, value: int | None = None) -> None:
        if self.vendor != "sqlite":
            return
        with connections[self.using].cursor() as cursor:
            if value is None:
                cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES (%s)", [command])
            else:
                cursor.execute(f"INSERT INTO {FTS}({FTS}, rank) VALUES (%s, %s)", [command, value])

    # -- reads ----------------------------------------------------------------------------------
    def count(self, *, visible_at: datetime | None = None) -> int:
        qs = SearchDocument.objects.using(self.using)
        if visible_at is not None:
            now = int(visible_at.timestamp())
            qs = qs.exclude(embargo_ts__gt=now).exclude(expires_ts__lte=now)
        return qs.count()

    def ids(self) -> Iterator[str]:
        # .iterator(): a server-side cursor on PostgreSQL, chunks on SQLite; no list of every id.
        yield from (SearchDocument.objects.using(self.using).order_by("id").values_list("item_id", flat=True)
                    .iterator(chunk_size=2000))

    def _filters(self, query: SearchQuery, params: list) -> list[str]:
        """What every row must meet: visible now, not hidden. Facet filters are flags (below)."""
        pg = self.vendor == "postgresql"
        now = int((query.at or timezone.now()).timestamp())
        where = ["(d.embargo_ts IS NULL OR d.embargo_ts <= %s)", "(d.expires_ts IS NULL OR d.expires_ts > %s)"]
        params += [now, now]
        if query.hidden:
            # One parameter however many ids (SQLite limits the number of parameters).
            where.append("NOT (d.item_id = ANY(%s))" if pg else "d.item_id NOT IN (SELECT value FROM json_each(%s))")
            params.append(list(query.hidden) if pg else json.dumps(list(query.hidden)))
        return where

    def _flags(self, query: SearchQuery, params: list) -> dict[str, str]:
        """Each facet filter as a column of the matched rows (facet -> SQL condition)."""
        pg = self.vendor == "postgresql"
        flags = {}
        for facet, values in sorted(query.filters.items()):
            where: list[str] = []
            _facet_filter(facet, values, pg, where, params)
            if where:
                flags[facet] = where[0]
        return flags

    def _sql(self, query: SearchQuery, sample: sampled.Sample | None = None) -> tuple[str, list]:
        """One statement. `m` holds the rows that match the text, with one flag per facet filter;
        `kept` the rows every filter accepts (hits and total). Each facet counts over the rows every
        *other* filter accepts, as faceted search does: choosing "France" leaves the other
        countries' counts, so that a visitor can add them (OR within a facet). With a `sample`
        (a large result set, archive/search/sampled.py), `m` holds only the sampled rows and the
        statement answers the total and the facets; the hits come from sampled.hits()."""
        pg = self.vendor == "postgresql"
        flag_params: list = []
        flags = self._flags(query, flag_params)
        match_params: list = []
        flag_columns = "".join(f", ({cond}) AS flt_{facet}" for facet, cond in flags.items())
        source, score, where = _match(query.parsed, pg, match_params)
        if sample:  # counts only: no score (bm25 reads each match's positions and size)
            source, score, where = sample.source, "0.0", list(sample.where)
            match_params = list(sample.params)
        where += self._filters(query, match_params)
        matched = f"SELECT {_MATCH_COLUMNS}, {score} AS score{flag_columns} FROM {source} WHERE {' AND '.join(where)}"
        order = _order(query.sort, pg)
        text = "::text" if pg else ""
        num = "::float8" if pg else ""
        doc = "d.document" if not pg else "d.document::jsonb"
        null_doc = "NULL::jsonb" if pg else "NULL"
        parts = [] if sample else [
            f"SELECT 'hit' AS k, d.item_id{text} AS v, page.score{num} AS n, {doc} AS doc, page.pos AS pos "
            f"FROM (SELECT m.id, m.score, row_number() OVER (ORDER BY {order}) AS pos FROM kept m "
            f"ORDER BY {order} LIMIT %s OFFSET %s) page JOIN {TABLE} d ON d.id = page.id"]
        parts.append(f"SELECT 'total' AS k, NULL, count(*){num}, {null_doc}, 0 FROM kept")
        params_tail: list = [] if sample else [query.page_size, query.offset]
        materialized = "MATERIALIZED " if pg or _sqlite_materialized() else ""
        ctes = [*([sample.cte] if sample and sample.cte else []),
                f"m AS {materialized}({matched})", f"kept AS ({_where_flags('m', flags)})"]
        for facet in query.facets:
            if facet not in FACETS:
                continue
            rows = "kept"
            if facet in flags:
                rows = f"m_{facet}"
                ctes.append(f"{rows} AS ({_where_flags('m', flags, facet)})")
            parts.append(_facet_count(facet, pg, rows))
        sql = ("WITH RECURSIVE " if sample and sample.cte else "WITH ") + ", ".join(ctes) + " " + " UNION ALL ".join(parts)
        if sample and sample.cte:  # the recursive CTE's parameters come first
            return sql, [*sample.cte_params, *flag_params, *match_params]
        return sql, flag_params + match_params + params_tail

    def _tune(self, cursor) -> None:
        """Once per SQLite connection: memory-map the file so that the rows a query joins are read
        from the page cache of the OS, not through SQLite's small default cache (2 MB)."""
        wrapper = connections[self.using]
        if self.vendor != "sqlite" or getattr(wrapper, "_search_tuned_for", None) == id(wrapper.connection):
            return
        cursor.execute(f"PRAGMA mmap_size = {int(self.options.get('sqlite_mmap_bytes', 512 * 1024 * 1024))}")
        cursor.execute(f"PRAGMA cache_size = -{int(self.options.get('sqlite_cache_kib', 32 * 1024))}")
        wrapper._search_tuned_for = id(wrapper.connection)

    @property
    def time_limit_ms(self) -> int:
        """PostgreSQL's statement_timeout for one search (0: none). A phrase or prefix query at a
        million items can take seconds there (its GIN index holds no positions): a visitor's query,
        or a script's, must not hold a database connection that long."""
        return max(0, int(self.options.get("time_limit_ms", 3_000) or 0))

    def search(self, query: SearchQuery) -> SearchResults:
        started = time.perf_counter()
        try:
            # The limit is SET LOCAL in a transaction of the search's own, which ends it. A search
            # inside a caller's transaction (a task, a test) is left alone: there the limit would
            # outlive the search, and a stopped query would abort the caller's transaction.
            limited = (self.vendor == "postgresql" and self.time_limit_ms
                       and not connections[self.using].in_atomic_block)
            with (transaction.atomic(using=self.using) if limited else nullcontext()), \
                    connections[self.using].cursor() as cursor:
                self._tune(cursor)
                if limited:
                    cursor.execute("SELECT set_config('statement_timeout', %s, true)", [f"{self.time_limit_ms}ms"])
                # A large result set is counted on a sample (sampled.py); others exactly, in one go.
                sample = sampled.plan(self, query, cursor)
                cursor.execute(*self._sql(query, sample))
                rows = cursor.fetchall()
                if sample:
                    kept = next((int(r[2]) for r in rows if r[0] == "total"), 0) * sample.step
                    rows += sampled.hits(self, query, cursor, sample, kept)
        except DatabaseError as exc:
            if getattr(exc.__cause__, "sqlstate", None) == QUERY_CANCELED:
                raise SearchTimedOut(str(exc)) from exc
            # A malformed MATCH expression cannot happen (tokens are quoted), so this is the
            # database being unavailable: say so rather than fail the page.
            raise SearchUnavailable(str(exc)) from exc
        hits: list[tuple[int, Hit]] = []
        total = 0
        facets: dict[str, list[FacetBucket]] = {f: [] for f in query.facets if f in FACETS}
        step = sample.step if sample else 1
        for kind, value, number, doc, pos in rows:
            if kind == "hit":
                document = json.loads(doc) if isinstance(doc, str) else doc
                hits.append((pos, Hit(id=value, score=float(number or 0), document=document)))
            elif kind == "total":
                total = int(number) * step
            else:
                if kind in BOOLEAN_FACETS:
                    value = "true" if value in (1, True, "1", "true") else "false"
                facets[kind].append(FacetBucket(value=str(value), count=int(number) * step))
        for buckets in facets.values():
            buckets.sort(key=lambda b: (-b.count, b.value))
        return SearchResults(
            hits=[h for _, h in sorted(hits, key=lambda x: x[0])], total=total, facets=facets,
            took_ms=(time.perf_counter() - started) * 1000, backend=self.label, query=query,
            approximate=step > 1,
        )


def _sqlite_materialized() -> bool:
    import sqlite3

    return sqlite3.sqlite_version_info >= (3, 35, 0)

# ruff: noqa: S608  -- SQL is assembled only from constant names and integers computed here;
# every value from a visitor is a bound parameter.
"""Large result sets on the database backend: the total and the facet counts from a sample.

Exact counts read every matching row and group it once per facet, so their cost grows with the
result set: a visitor browsing a million items with no words, or a frequent word, would wait
seconds. When the words match more than `facet_sample` rows (FTS5 counts its matches without
reading any row; the empty query takes the span of row ids), the backend:

- reads only the rows whose id is a multiple of `step` (1 + matches // facet_sample), applies every
  filter to them (visibility now, items the query hides, facet filters) and counts the total and
  the facets on them, each count multiplied by `step`; the results say `approximate` and the
  interface writes "about". Row ids follow indexing order, not the content (a rebuild indexes in
  random UUID order), so every step-th row is a fair sample; a small bucket may be missed.
- finds the page of hits without counting: with no words, or sorted by date, exactly, by walking
  a date index (the filtered kind's, decade's or year's own when there is one); by relevance,
  among the best `_TOP` matches by FTS5's bm25 (read from the full-text index alone), widened to
  every match the filters keep when they leave too few of them. Above `rank_sample` matches only
  every k-th match (by row id) is ranked: the hits are the best of that sample (rank_step).

Consent is untouched: the same filters apply to the sample and to the hits, and only rows that
pass them are counted; archive.search.selectors re-checks each hit against the policy.
"""

from __future__ import annotations

from dataclasses import dataclass

# Hits by relevance are chosen among this many best matches (at least; more for deep pages).
_TOP = 500
# Results a ranking sample serves the same for every page (sampled.rank_step).
_RANK_DEPTH = 100
DATE_INDEX = "search_date_desc"  # made by migration 0008
# A facet filtered on one value, with its index of that value's rows newest first (migration 0011),
# the most selective first: walking the date index would read every newer row of other values.
FILTER_DATE_INDEXES = (("year", "search_year_date"), ("decade", "search_decade_date"),
                       ("kind", "search_kind_date"))


@dataclass(frozen=True)
class Sample:
    step: int
    source: str  # FROM ... of the sampled rows (aliases d, and f or q for the words)
    where: tuple[str, ...]
    params: tuple = ()
    cte: str = ""  # the recursive CTE of sampled row ids (no words)
    cte_params: tuple = ()
    size: int = 0  # rows the words match (no words: the span of row ids)


def plan(backend, query, cursor) -> Sample | None:
    """A Sample when the words match more rows than the backend's facet_sample, else None."""
    from archive.search.sql import FTS, ROWS, TABLE, fts5_expression, tsquery_expression

    cap = backend.facet_sample
    parsed = query.parsed
    if not cap:
        return None
    pg = backend.vendor == "postgresql"
    if parsed.empty:
        # Each in its own subquery: one end of the id b-tree each (together, a scan of an index).
        cursor.execute(f"SELECT (SELECT min(id) FROM {TABLE}), (SELECT max(id) FROM {TABLE})")
        low, high = cursor.fetchone()
        size = (high - low + 1) if high is not None else 0
    elif pg:
        expression = tsquery_expression(parsed)
        cursor.execute(f"SELECT count(*) FROM {TABLE} d WHERE d.search_vector @@ to_tsquery('simple', %s)",
                       [expression])
        size = cursor.fetchone()[0]
    else:
        expression = fts5_expression(parsed)
        cursor.execute(f"SELECT count(*) FROM {FTS} WHERE {FTS} MATCH %s", [expression])
        size = cursor.fetchone()[0]
    if size <= cap:
        return None
    step = 1 + size // cap
    if parsed.empty:
        cast = "CAST(%s AS bigint)" if pg else "%s"
        cte = f"r(x) AS (SELECT {cast} UNION ALL SELECT x + {step} FROM r WHERE x + {step} <= %s)"
        if pg:
            return Sample(step, f"r JOIN {TABLE} d ON d.id = r.x", (), cte=cte, cte_params=(low, high), size=size)
        # SQLite: an IN list, one lookup per sampled id. As a join, with planner statistics, SQLite
        # first builds a Bloom filter of every visible row (200 ms at 100k) to skip 2,000 lookups.
        return Sample(step, ROWS, ("d.id IN (SELECT x FROM r)",), cte=cte, cte_params=(low, high), size=size)
    if pg:
        return Sample(step, f"{TABLE} d, to_tsquery('simple', %s) q",
                      ("d.search_vector @@ q", f"d.id %% {step} = 0"), (expression,), size=size)
    # The sampling condition is on the full-text index's rowid: only sampled rows are joined.
    return Sample(step, f"{FTS} f CROSS JOIN {ROWS} ON d.id = f.rowid",
                  (f"{FTS} MATCH %s", f"f.rowid %% {step} = 0"), (expression,), size=size)


def hits(backend, query, cursor, sample: Sample, kept: int | None = None) -> list[tuple]:
    """The page of hits of a large result set, as rows of the search statement ('hit', ...).
    `kept`: how many rows the sample says pass the filters."""
    top = max(_TOP, 5 * (query.offset + query.page_size))
    by_relevance = query.sort == "relevance" and not query.parsed.empty
    kept = sample.size if kept is None else kept
    every = rank_step(backend, query, sample.size, kept)
    # When the sample says the filters keep so few matches that the best `top` would hold fewer
    # than twice the page, ranking them first is wasted work: every match is ranked anyway below.
    if by_relevance and sample.size and kept * top < 2 * (query.offset + query.page_size) * sample.size:
        return _ranked_page(backend, query, cursor, every)
    rows = _page(backend, query, cursor, top=top, every=every)
    if len(rows) < query.page_size and by_relevance:
        rows = _ranked_page(backend, query, cursor, every)  # filters left too few of the best matches
    return rows


def _ranked_page(backend, query, cursor, every: int) -> list[tuple]:
    """Every match the filters keep ranked (or those of the systematic sample); every match when the
    sample's estimate was too low to fill the page."""
    rows = _page(backend, query, cursor, top=0, every=every)
    if len(rows) < query.page_size and every > 1:
        rows = _page(backend, query, cursor, top=0)
    return rows


def rank_step(backend, query, matches: int, kept: int) -> int:
    """Rank only every k-th match (by row id, like the counts' sample) of more than `rank_sample`:
    ranking costs about a microsecond of CPU a match (FTS5's bm25 reads each match's positions and
    size), and filtering one a lookup: 170 ms for a prefix in 180,000 of a million items. The
    sample keeps, of the `kept` rows the filters pass, twice the first _RANK_DEPTH results (the
    same sample for each of those pages: they do not overlap); 1 ranks every match."""
    cap = backend.rank_sample
    if not cap or matches <= cap:
        return 1
    return max(1, min(1 + matches // cap, kept // (2 * max(query.offset + query.page_size, _RANK_DEPTH))))


def date_index(query) -> str:
    """The index to walk for a page in date order on SQLite: a filtered value's own, else the date's."""
    for facet, index in FILTER_DATE_INDEXES:
        values = query.filters.get(facet) or []
        # One value (several would need their rows merged and sorted); a year or decade as digits,
        # as database._facet_filter reads them (other text matches nothing: any index will do).
        if len(values) == 1 and (facet == "kind" or (values[0].isascii() and values[0].isdigit())):
            return index
    return DATE_INDEX


def _page(backend, query, cursor, top: int, every: int = 1) -> list[tuple]:
    from archive.search.sql import FTS, ROWS, TABLE, _match, _order, fts5_expression

    pg = backend.vendor == "postgresql"
    params: list = []
    parsed = query.parsed
    by_relevance = query.sort == "relevance" and not parsed.empty
    if not by_relevance:
        # The (date_sort DESC, id) index gives the rows in the page's order (newest; no words is
        # newest first too): read until the page is full. SQLite would otherwise pick the kind
        # index for a kind filter and sort every row of that kind.
        source, score, where = (f"{TABLE} d" if pg else f"{TABLE} d INDEXED BY {date_index(query)}"), "0.0", []
        if not parsed.empty:  # the matching ids, then the date index walked until the page is full
            _, _, match = _match(parsed, pg, params)
            inner = (f"SELECT d.id FROM {TABLE} d, to_tsquery('simple', %s) q WHERE {match[0]}" if pg
                     else f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s")
            where = [f"d.id IN ({inner})"]
        order = _order("newest" if query.sort == "relevance" else query.sort, pg)
    elif top and not pg:
        params.append(fts5_expression(parsed))
        sampled_rows = f"AND rowid %% {int(every)} = 0 " if every > 1 else ""
        source = (f"(SELECT rowid AS id, -bm25({FTS}, 4.0, 1.0, 0.7) AS score FROM {FTS} WHERE {FTS} MATCH %s "
                  f"{sampled_rows}ORDER BY bm25({FTS}, 4.0, 1.0, 0.7) LIMIT {int(top)}) t CROSS JOIN {ROWS} ON d.id = t.id")
        score, where, order = "t.score", [], _order("relevance", pg)
    else:
        source, score, where = _match(parsed, pg, params)
        # SQLite: on the full-text row id, so that a match not sampled is not looked up.
        where += [f"{'d.id' if pg else 'f.rowid'} %% {int(every)} = 0"] if every > 1 else []
        order = _order("relevance", pg)
    where += backend._filters(query, params)
    flag_params: list = []
    where += list(backend._flags(query, flag_params).values())
    text, num, doc = ("::text", "::float8", "d.document::jsonb") if pg else ("", "", "d.document")
    # No window function for the position: it would make the database order every row first. The
    # page's rows are chosen first; only theirs are read for their document (a page of 4 KB or more).
    sql = (f"SELECT d.item_id{text}, m.score{num}, {doc} FROM "
           f"(SELECT m.id, m.date_sort, m.score FROM (SELECT d.id, d.date_sort, {score} AS score FROM {source} "
           f"WHERE {' AND '.join(where) or '1 = 1'}) m ORDER BY {order} LIMIT %s OFFSET %s) m "
           f"JOIN {TABLE} d ON d.id = m.id ORDER BY {order}")
    cursor.execute(sql, [*params, *flag_params, query.page_size, query.offset])
    return [("hit", item, score, document, query.offset + k + 1)
            for k, (item, score, document) in enumerate(cursor.fetchall())]

# ruff: noqa: S608  -- SQL is assembled only from constant column names (the FACETS whitelist);
# every value from a visitor is a bound parameter.
"""The SQL pieces of the database search backend (archive/search/database.py, sampled.py): the
tables, the match expressions per vendor, facet filters and counts, the orders of a page."""

from __future__ import annotations

from archive.search.base import MULTI_VALUED, ParsedQuery

TABLE = "archive_searchdocument"
FTS = "archive_searchdocument_fts"
BOOLEAN_FACETS = frozenset({"has_transcript", "content_warning"})
INT_FACETS = frozenset({"year", "decade"})
# SQLite: the rows as matching, filtering and counting read them, through an index of every column
# they read, by id (migration 0012). A row of the table carries its texts and display document, a
# page of 4 KB or more (4.8 GB at 1M items); the index holds about 120 bytes a row.
FACET_INDEX = "search_facets"
ROWS = f"{TABLE} d INDEXED BY {FACET_INDEX}"


def fts5_expression(parsed: ParsedQuery) -> str:
    """An FTS5 MATCH expression: every token quoted (tokens are letters and digits only)."""
    def q(tok: str) -> str:
        return '"' + tok.replace('"', '""') + '"'
    parts = [q(t) for t in parsed.terms]
    parts += [q(" ".join(p)) for p in parsed.phrases]
    if parsed.prefix:
        parts.append(q(parsed.prefix) + " *")
    return " AND ".join(parts)


def tsquery_expression(parsed: ParsedQuery) -> str:
    """A to_tsquery('simple', ...) expression: terms AND phrases (<->) AND a prefix (:*)."""
    def q(tok: str) -> str:
        return "'" + tok.replace("\\", "\\\\").replace("'", "''") + "'"
    parts = [q(t) for t in parsed.terms]
    parts += ["(" + " <-> ".join(q(t) for t in p) + ")" for p in parsed.phrases]
    if parsed.prefix:
        parts.append(q(parsed.prefix) + ":*")
    return " & ".join(parts)


def _multi_column(facet: str) -> str:
    return "languages" if facet == "language" else "exhibitions"


def _facet_filter(facet: str, values: list[str], pg: bool, where: list[str], params: list) -> None:
    """Add the condition of one facet filter (OR within the facet) to `where` and `params`."""
    if facet in MULTI_VALUED:
        column = _multi_column(facet)
        if pg:
            where.append(f"d.{column} ?| %s")
            params.append(list(values))
        else:
            marks = ", ".join(["%s"] * len(values))
            where.append(f"EXISTS (SELECT 1 FROM json_each(d.{column}) j WHERE j.value IN ({marks}))")
            params += list(values)
    elif facet in BOOLEAN_FACETS:
        wanted = {v.lower() in ("1", "true", "yes", "on") for v in values}
        if len(wanted) == 1:
            where.append(f"d.{facet} = %s")
            params.append(wanted.pop())
    elif facet in INT_FACETS:
        # ASCII digits only, and of a size a year has ("²".isdigit() is True; a huge int overflows SQL).
        numbers = [int(v) for v in values if v.isascii() and v.lstrip("-").isdigit() and len(v) <= 6]
        if not numbers:
            where.append("1 = 0")
            return
        where.append(f"d.{facet} IN ({', '.join(['%s'] * len(numbers))})")
        params += numbers
    else:
        where.append(f"d.{facet} IN ({', '.join(['%s'] * len(values))})")
        params += list(values)


def _match(parsed: ParsedQuery, pg: bool, params: list) -> tuple[str, str, list[str]]:
    """The matched rows' source, their score expression and the match condition."""
    if parsed.empty:
        return (f"{TABLE} d" if pg else ROWS), "0.0", []
    if pg:
        params.append(tsquery_expression(parsed))
        return f"{TABLE} d, to_tsquery('simple', %s) q", "ts_rank(d.search_vector, q)", ["d.search_vector @@ q"]
    # CROSS JOIN keeps the full-text match as the outer loop: otherwise SQLite may walk an
    # index of d (kind, say) and re-run the MATCH, prefix expansion and all, for every row.
    params.append(fts5_expression(parsed))
    return (f"{FTS} f CROSS JOIN {ROWS} ON d.id = f.rowid",
            f"-bm25({FTS}, 4.0, 1.0, 0.7)",  # higher is better, like ts_rank
            [f"{FTS} MATCH %s"])


def _order(sort: str, pg: bool) -> str:
    nulls = " NULLS LAST" if pg else ""
    if sort == "newest":
        return f"m.date_sort DESC{nulls}, m.id"
    if sort == "oldest":
        return "m.date_sort IS NULL, m.date_sort ASC, m.id"
    return f"m.score DESC, m.date_sort DESC{nulls}, m.id"


def _where_flags(rows: str, flags: dict[str, str], leave_out: str | None = None) -> str:
    """The rows of `rows` whose flags are all true, but the flag of `leave_out`."""
    conditions = [f"{rows}.flt_{facet}" for facet in flags if facet != leave_out]
    return f"SELECT * FROM {rows}" + (f" WHERE {' AND '.join(conditions)}" if conditions else "")


def _facet_count(facet: str, pg: bool, rows: str = "m") -> str:
    """One facet's buckets (counted over `rows`), as rows of the UNION the search query answers with."""
    if facet in MULTI_VALUED:
        column = _multi_column(facet)
        if pg:
            return (f"SELECT '{facet}', j.value, count(*)::float8, NULL::jsonb, 0 FROM {rows} m, "
                    f"jsonb_array_elements_text(m.{column}) j(value) GROUP BY j.value")
        return (f"SELECT '{facet}', j.value, count(*), NULL, 0 FROM {rows} m, json_each(m.{column}) j "
                f"GROUP BY j.value")
    text = "::text" if pg else ""
    num = "::float8" if pg else ""
    null_doc = "NULL::jsonb" if pg else "NULL"
    blank = "" if facet in BOOLEAN_FACETS or facet in INT_FACETS else f" AND m.{facet} <> ''"
    return (f"SELECT '{facet}', m.{facet}{text}, count(*){num}, {null_doc}, 0 FROM {rows} m "
            f"WHERE m.{facet} IS NOT NULL{blank} GROUP BY m.{facet}")

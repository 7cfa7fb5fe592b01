"""The search backend contract.

Backends are chosen by settings.SEARCH_BACKENDS, the way Django chooses caches and storages:

    SEARCH_BACKENDS = {"default": {"BACKEND": "archive.search.database.DatabaseSearchBackend",
                                   "OPTIONS": {...}}}

A backend stores search documents (plain dicts built by archive.search.documents, only from the
consent policy's public projection) and answers `SearchQuery`s. It knows nothing about consent
beyond the time fields stored in each document (embargo, expiry), which it must filter at query
time. Everything the public sees goes through archive.search.selectors, which also re-checks each
returned page against the consent policy in the database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from archive.search import normalise

# Facets every backend counts. Multi-valued ones (a document may carry several values).
FACETS = ("kind", "event", "country", "decade", "year", "language", "exhibition", "has_transcript",
          "content_warning")
MULTI_VALUED = frozenset({"language", "exhibition"})
SORTS = ("relevance", "newest", "oldest")
MAX_PAGE_SIZE = 50
# Elasticsearch refuses from + size beyond its result window (10,000 by default); every backend
# stops there, so that paging behaves the same everywhere.
MAX_RESULT_WINDOW = 10_000


class SearchError(Exception):
    """Base class of the search package's errors."""


class SearchUnavailable(SearchError):
    """The backend cannot be reached (a cluster down, a closed port); the site must stay up."""


class SearchTimedOut(SearchError):
    """A query ran past the backend's time limit (a costly phrase or prefix at scale): the visitor
    is asked for other words; the server is not held."""


class InvalidSearchBackend(SearchError):
    """SEARCH_BACKENDS names a backend that cannot be loaded or is misconfigured."""


@dataclass(frozen=True)
class ParsedQuery:
    """Free text split into what every backend knows how to match.

    `terms`: single normalised tokens, all required; `phrases`: token sequences that must appear
    in order (quoted text, and every run of Chinese bigrams); `prefix`: the last bare word, matched
    as a prefix so that results appear while a visitor is still typing.
    """

    terms: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    prefix: str = ""

    @property
    def empty(self) -> bool:
        return not (self.terms or self.phrases or self.prefix)

    def all_tokens(self) -> list[str]:
        out = list(self.terms)
        for p in self.phrases:
            out.extend(p)
        if self.prefix:
            out.append(self.prefix)
        return out


_MAX_QUERY_TOKENS = 16


_PART = re.compile(r'"([^"]*)"?|([^\s"]+)')


def _query_parts(text: str) -> list[tuple[bool, str]]:
    """(quoted, text) for each "quoted phrase" (an unclosed quote runs to the end) and bare word."""
    parts = []
    for match in _PART.finditer(text):
        quoted_text, word = match.groups()
        if quoted_text is not None:
            parts.append((match.group(0).startswith('"'), quoted_text))
        else:
            parts.append((False, word))
    return parts


def parse_query(text: str) -> ParsedQuery:
    """Parse visitor text: "quoted phrases", bare words; the last bare word is also a prefix."""
    parts = _query_parts((text or "").strip()[:500])
    terms: list[str] = []
    phrases: list[tuple[str, ...]] = []
    prefix = ""
    last_bare = max((i for i, (quoted, _) in enumerate(parts) if not quoted), default=-1)
    for i, (quoted, part) in enumerate(parts):
        toks = normalise.tokens(part)
        if not toks:
            continue
        # Quoted text, and a bare word that breaks into several tokens (a Chinese run, "x-ray"),
        # must match in order.
        if len(toks) > 1:
            phrases.append(tuple(toks))
        elif i == last_bare and not quoted and not normalise.is_cjk(toks[0]):
            prefix = toks[0]
        else:
            terms.append(toks[0])
    return _bounded(terms, phrases, prefix)


def _bounded(terms: list[str], phrases: list[tuple[str, ...]], prefix: str) -> ParsedQuery:
    """Bound the work a single request can ask for."""
    terms = list(dict.fromkeys(terms))[:_MAX_QUERY_TOKENS]
    phrases = [p[:_MAX_QUERY_TOKENS] for p in phrases[:4]]
    if prefix in terms:
        prefix = ""
    return ParsedQuery(tuple(terms), tuple(phrases), prefix)


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else " " for ch in (text or ""))


@dataclass
class SearchQuery:
    text: str = ""
    # facet name -> accepted values (OR within a facet, AND across facets)
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20
    facets: tuple[str, ...] = FACETS
    at: datetime | None = None  # evaluate embargo/expiry at this moment (now by default)
    language: str = "en"  # the visitor's language: ranking hints only, never the result set
    # Item ids the backend leaves out of hits, total and facet counts: documents that may no longer
    # be what the current consent allows (set by archive.search.selectors, not by visitors).
    hidden: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Visitor input: no control characters (PostgreSQL refuses NUL), bounded lengths.
        self.text = _printable(self.text)[:500]
        self.page = max(1, min(10_000, int(self.page)))
        self.page_size = max(1, min(MAX_PAGE_SIZE, int(self.page_size)))
        self.page = min(self.page, MAX_RESULT_WINDOW // self.page_size)
        if self.sort not in SORTS:
            self.sort = "relevance"
        self.filters = {k: [_printable(str(v))[:100] for v in vs if str(v) != ""][:20]
                        for k, vs in self.filters.items() if k in FACETS}
        self.filters = {k: vs for k, vs in self.filters.items() if vs}

    @property
    def parsed(self) -> ParsedQuery:
        return parse_query(self.text)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


@dataclass
class TranscriptHit:
    start: float
    end: float | None
    text: str
    snippet: str  # HTML-escaped, with <mark> around matches
    media_id: int | None = None


@dataclass
class Hit:
    id: str
    score: float
    document: dict
    highlights: dict[str, str] = field(default_factory=dict)  # field -> HTML-escaped snippet
    transcript_hits: list[TranscriptHit] = field(default_factory=list)


@dataclass
class FacetBucket:
    value: str
    count: int
    label: str = ""
    selected: bool = False


@dataclass
class SearchResults:
    hits: list[Hit]
    total: int
    facets: dict[str, list[FacetBucket]]
    took_ms: float
    backend: str = ""
    query: SearchQuery | None = None
    unavailable: bool = False
    timed_out: bool = False  # with `unavailable`: this query, not the backend, was the trouble
    # Facet counts estimated from a sample of the matches (a large result set): shown as "about".
    approximate: bool = False

    @property
    def results(self) -> list[Hit]:
        return self.hits


class BaseSearchBackend:
    """What every backend implements. Documents are dicts with a string "id"."""

    def __init__(self, alias: str, options: dict | None = None) -> None:
        self.alias = alias
        self.options = dict(options or {})

    @property
    def label(self) -> str:
        return type(self).__name__

    # -- writes -------------------------------------------------------------------------------
    def index(self, docs: Iterable[dict], *, target: str | None = None) -> int:
        """Insert or replace documents; returns how many were written."""
        raise NotImplementedError

    def delete(self, ids: Iterable[str]) -> int:
        """Remove documents by id (missing ids are fine); returns how many ids were asked for."""
        raise NotImplementedError

    def clear(self) -> None:
        """Remove every document."""
        raise NotImplementedError

    def purge(self, ids: Iterable[str]) -> int:
        """Remove documents for good (an erasure): delete them, then have the index drop the
        deleted bytes it would otherwise keep until some later merge. Backends that keep none
        need not override it."""
        return self.delete(ids)

    # Full rebuilds: write into a fresh target and make it live at the end (ES swaps an alias).
    def start_rebuild(self, resume: str | None = None) -> str:
        raise NotImplementedError

    def finish_rebuild(self, target: str) -> None:
        raise NotImplementedError

    # -- reads ----------------------------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResults:
        raise NotImplementedError

    def count(self, *, visible_at: datetime | None = None) -> int:
        """Documents in the index; with `visible_at`, only those not embargoed or expired then."""
        raise NotImplementedError

    def ids(self) -> Iterator[str]:
        """Every document id in the index."""
        raise NotImplementedError

    def ping(self) -> bool:
        return True

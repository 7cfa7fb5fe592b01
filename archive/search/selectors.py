"""Public search: the backend's answer, re-checked against the consent policy, made presentable.

Every page of results is re-validated in the database with consent.visible_items("search") (one
query), so a withdrawal, an expiry or a narrowed scope hides a hit at once, even before the task
that deletes its document has run. A hit whose document was built under another consent version
than the item's current one is left out too, until the index catches up: its stored text may hold
what the new consent closes (an excluded transcript's cues, a name now anonymous) and would still
match and be highlighted. Names and thumbnails shown come from the current consent, not from the
stored document. Facet counts (and the total) leave out, in the backend itself, every item whose
document may be stale: a consent change not yet carried to every surface (its removal report is
pending, as when no worker runs), or an index update waiting for the backend. An expiry or an
embargo the document holds is filtered by the backend at query time.
"""

from __future__ import annotations

import html
import logging
import re
import uuid
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from archive import consent, surfaces
from archive.models import Item, ItemMedia
from archive.search import get_backend, normalise
from archive.search.base import (
    FacetBucket,
    Hit,
    ParsedQuery,
    SearchQuery,
    SearchResults,
    SearchTimedOut,
    SearchUnavailable,
    TranscriptHit,
)

logger = logging.getLogger(__name__)

MAX_TRANSCRIPT_HITS = 5
SNIPPET_CHARS = 180
# A word in original text, with its combining marks (Latin accents, Arabic harakat) attached.
_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed])+")


@dataclass
class _Matcher:
    tokens: frozenset[str]
    prefix: str
    cjk: tuple[str, ...]  # Chinese strings to find as substrings (bigram phrases joined back)

    @classmethod
    def from_query(cls, parsed: ParsedQuery) -> _Matcher:
        words = set(parsed.terms)
        cjk: list[str] = []
        for phrase in parsed.phrases:
            if all(normalise.is_cjk(t) for t in phrase):
                cjk.append(phrase[0] + "".join(t[-1] for t in phrase[1:]))
            else:
                words.update(phrase)
        for t in list(words):
            if normalise.is_cjk(t):
                cjk.append(t)
                words.discard(t)
        return cls(frozenset(words), parsed.prefix, tuple(cjk))

    def spans(self, text: str) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for m in _WORD.finditer(text):
            toks = normalise.tokens(m.group())
            if any(t in self.tokens or (self.prefix and t.startswith(self.prefix)) for t in toks):
                out.append(m.span())
        folded = normalise.fold(text) if self.cjk else ""
        if len(folded) == len(text):  # CJK offsets only when folding kept positions
            for needle in self.cjk:
                start = folded.find(needle)
                while start >= 0:
                    out.append((start, start + len(needle)))
                    start = folded.find(needle, start + 1)
        return sorted(out)


def _snippet(text: str, spans: list[tuple[int, int]], width: int = SNIPPET_CHARS) -> str:
    """HTML-escaped text around the first match, with <mark> around every match in the window."""
    if not spans:
        return ""
    first = spans[0][0]
    start = max(0, first - width // 3)
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and first - space < width // 2 else start
    end = min(len(text), start + width)
    out = ["…" if start else ""]
    pos = start
    for s, e in spans:
        if s < pos or e > end:
            continue
        out += [html.escape(text[pos:s]), "<mark>", html.escape(text[s:e]), "</mark>"]
        pos = e
    out.append(html.escape(text[pos:end]))
    if end < len(text):
        out.append("…")
    return "".join(out)


def _pick(language_map: dict, language: str) -> tuple[str, str]:
    if not language_map:
        return "", ""
    for lang in (language, language.split("-")[0]):
        if language_map.get(lang):
            return lang, language_map[lang]
    lang = next(iter(language_map))
    return lang, language_map[lang]


def annotate(hit: Hit, parsed: ParsedQuery, language: str) -> None:
    """Highlights (title, summary, story) and transcript hits with their start time."""
    if parsed.empty:
        return
    matcher = _Matcher.from_query(parsed)
    doc = hit.document
    for field in ("title", "summary", "story"):
        values = doc.get(field) or {}
        preferred, _text = _pick(values, language)
        # The visitor's language first, then any language that matched.
        for lang in [preferred, *(k for k in values if k != preferred)]:
            spans = matcher.spans(values.get(lang) or "")
            if spans:
                hit.highlights[field] = _snippet(values[lang], spans)
                break
    for cue in doc.get("cues") or []:
        spans = matcher.spans(cue.get("text") or "")
        if spans:
            hit.transcript_hits.append(TranscriptHit(
                start=float(cue.get("start") or 0), end=cue.get("end"), text=cue["text"],
                snippet=_snippet(cue["text"], spans), media_id=cue.get("media_id"),
            ))
            if len(hit.transcript_hits) >= MAX_TRANSCRIPT_HITS:
                break


def thumbnail_url(item: Item) -> str | None:
    """The first photo the policy allows on `search`; blurred when the item has content warnings."""
    from media_pipeline.services import public_urls

    for media in consent.allowed_media(item, "search"):
        if media.role == ItemMedia.Role.PHOTO:
            urls = public_urls(media.asset) or {}
            key = "thumb_blurred" if item.content_warnings else "thumb"
            return urls.get(key)
    return None


def _revalidate(results: SearchResults, query: SearchQuery) -> None:
    ids = [h.id for h in results.hits]
    if not ids:
        return
    items = {
        str(i.pk): i
        for i in consent.visible_items("search", at=query.at).filter(pk__in=ids).prefetch_related(
            Prefetch("media", queryset=ItemMedia.objects.select_related("asset"))
        )
    }
    kept = []
    stale = 0
    for hit in results.hits:
        item = items.get(hit.id)
        if item is None:
            continue
        # Built under an older consent (the propagation task has not re-indexed it yet, or the
        # backend was down and the update is queued): the document's text is not what the current
        # consent allows, so it must not match. It reappears once re-indexed. A document without
        # `consent_id` (indexed before the field existed) counts as stale: fail closed, and
        # `manage.py search_reindex` brings it back.
        if hit.document.get("consent_id") != item.current_consent_id:
            stale += 1
            continue
        hit.document = {**hit.document, "name": consent.name_for_display(item.current_consent),
                        "thumbnail": thumbnail_url(item)}
        kept.append(hit)
    dropped = len(results.hits) - len(kept)
    if dropped:
        logger.info("search: %d hit(s) hidden by the consent re-check before reindexing "
                    "(%d built under an older consent version)", dropped, stale)
    results.hits = kept
    results.total = max(0, results.total - dropped)


def search(query: SearchQuery, *, language: str = "en", alias: str = "default",
           _tried: frozenset[str] = frozenset()) -> SearchResults:
    """Search for the public. Never raises for a backend that is down: `unavailable` says so."""
    backend = get_backend(alias)
    allowed_values = _facet_value_limits(query)
    query.hidden = unsettled(backend.alias)
    try:
        results = backend.search(query)
    except SearchTimedOut as exc:
        logger.info("search on %s ran past its time limit: %s", alias, exc)
        return SearchResults(hits=[], total=0, facets={}, took_ms=0.0, backend=backend.label, query=query,
                             unavailable=True, timed_out=True)
    except SearchUnavailable as exc:
        logger.warning("search backend %s unavailable: %s", alias, exc)
        fallback = backend.options.get("fallback")
        # A fallback that is down too (or points back here) ends in "unavailable", not a loop.
        if not fallback or fallback in _tried | {alias}:
            return SearchResults(hits=[], total=0, facets={}, took_ms=0.0, backend=backend.label,
                                 query=query, unavailable=True)
        return search(query, language=language, alias=fallback, _tried=_tried | {alias})
    _revalidate(results, query)
    for facet, allowed in allowed_values.items():
        if facet in results.facets:
            results.facets[facet] = [b for b in results.facets[facet] if b.value in allowed]
    parsed = query.parsed
    for hit in results.hits:
        annotate(hit, parsed, language)
    _label_facets(results, query, language)
    from archive.search.tasks import schedule_pending_retry

    schedule_pending_retry(backend.alias)
    return results


def unsettled(alias: str) -> tuple[str, ...]:
    """Items whose indexed document may not be what their current consent allows: a consent change
    whose propagation is pending (or failing), or an index update waiting for the backend `alias`.
    No hit, total or facet count includes them until they settle (fail closed). One query."""
    from django.db import connection

    from archive.models import RemovalReport
    from archive.search.models import SearchPendingUpdate

    sql = (f"SELECT CAST(item_id AS varchar(36)) FROM {RemovalReport._meta.db_table} "  # noqa: S608 (model constants)
           f"WHERE completed_at IS NULL UNION SELECT item_id FROM {SearchPendingUpdate._meta.db_table} "
           "WHERE backend = %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [alias])
        # UUIDs come back as 32 hex digits (SQLite) or hyphenated (PostgreSQL, the pending table).
        return tuple(sorted({str(uuid.UUID(str(row[0]))) for row in cursor.fetchall()}))


def _facet_value_limits(query: SearchQuery) -> dict[str, set[str]]:
    """Apply read-time facet limits that registered surfaces set (an exhibition counts only inside
    its publication window): a filter on a value not allowed now matches nothing (not everything),
    and its buckets go."""
    limits = {}
    for facet in {*query.filters, *query.facets}:
        allowed = surfaces.registry.facet_values(facet, query.at)
        if allowed is None:
            continue
        limits[facet] = allowed
        if facet in query.filters:
            query.filters[facet] = [v for v in query.filters[facet] if v in allowed] or ["~none~"]
    return limits


def _label_facets(results: SearchResults, query: SearchQuery, language: str) -> None:
    from archive.models import Event

    kinds = dict(Item.Kind.choices)
    events = {}
    if results.facets.get("event"):
        slugs = [b.value for b in results.facets["event"]]
        events = {e.slug: _pick(e.name, language)[1] or e.slug for e in Event.objects.filter(slug__in=slugs)}
    for facet, buckets in results.facets.items():
        selected = set(query.filters.get(facet, []))
        labels = surfaces.registry.facet_labels(facet, [b.value for b in buckets], language)
        for b in buckets:
            b.selected = b.value in selected
            b.label = labels.get(b.value) or _bucket_label(facet, b, kinds, events, language)
        if facet in CHRONOLOGICAL:
            buckets.sort(key=lambda b: int(b.value) if b.value.lstrip("-").isdigit() else 0)


# Years and decades read in time order, not by how many items each holds.
CHRONOLOGICAL = frozenset({"year", "decade"})


def _bucket_label(facet: str, bucket: FacetBucket, kinds: dict, events: dict, language: str) -> str:
    from django.utils.translation import get_language_info

    from archive.search import labels as cldr

    v = bucket.value
    if facet == "country":
        return cldr.country_name(v, language)
    if facet == "kind":
        return str(kinds.get(v, v))
    if facet == "event":
        return events.get(v, v)
    if facet == "decade":
        return _("%(decade)ss") % {"decade": v}
    if facet in ("has_transcript", "content_warning"):
        return _("Yes") if v == "true" else _("No")
    if facet == "language":
        try:
            return get_language_info(v)["name_translated"]
        except KeyError:
            return v
    return v

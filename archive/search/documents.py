"""The one function that builds an item's search document, from its public projection only.

Nothing here reads the item's fields directly: everything comes from
archive.projection.public_projection(item, "search"), so a field, a media or a name that the
consent does not open on the `search` surface cannot reach any index. Names appear as the
consent says to display them (projection.name). The one value taken beside the projection is the
id of the consent version the document was built under (`consent_id`, never displayed).

Embargo and expiry are stored in the document and filtered at query time: an item under an
embargo that will open is indexed now (built as the policy will see it when the embargo ends) and
becomes findable by itself when the moment passes, with no reindex.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from archive import consent, surfaces
from archive.models import Item, ItemMedia
from archive.projection import public_projection
from archive.search import normalise


def items_for_indexing() -> QuerySet[Item]:
    """Items with everything a document needs, fetched in a fixed number of queries."""
    return Item.objects.select_related("current_consent", "event", "contributor").prefetch_related(
        "subjects", Prefetch("media", queryset=ItemMedia.objects.select_related("asset"))
    )


def _moment(item: Item, at: datetime | None) -> datetime:
    """When to evaluate the policy: now, or the end of a future embargo (filtered at query time)."""
    return consent.policy_moment(item.current_consent, at or timezone.now())


def _texts(language_map: dict | None) -> list[str]:
    return [str(v) for v in (language_map or {}).values() if v]


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _transcript_cues(media) -> list[dict]:
    cues = []
    for cue in media.asset.cues or []:
        text = str(cue.get("text") or "").strip()
        if text:
            cues.append({"start": float(cue.get("start") or 0), "end": cue.get("end"),
                         "text": text, "media_id": media.pk})
    return cues


def _media_facts(public) -> tuple[list[dict], list[str], list[int]]:
    """From the public media: the transcripts' cues, their languages, and the photos' ids."""
    cues: list[dict] = []
    transcript_languages: list[str] = []
    photo_ids: list[int] = []
    for media in public.media:
        if media.role == ItemMedia.Role.TRANSCRIPT:
            if media.language:
                transcript_languages.append(media.language)
            cues.extend(_transcript_cues(media))
        elif media.role == ItemMedia.Role.PHOTO:
            photo_ids.append(media.pk)
    return cues, transcript_languages, photo_ids


def _body_parts(public, event: dict) -> list[str]:
    return [*_texts(public.summary), *_texts(public.story), public.name, public.place,
            public.date_text, *_texts(event.get("name")),
            *(t for s in public.subjects for t in _texts(s.get("label")))]


def _by_language(public) -> dict[str, list[str]]:
    """Original texts grouped by base language ("zh-hans" with "zh")."""
    by_language: dict[str, list[str]] = {}
    for field in (public.title, public.summary, public.story):
        for lang, text in (field or {}).items():
            if text:
                by_language.setdefault(lang.split("-")[0], []).append(str(text))
    return by_language


def build_document(item: Item, at: datetime | None = None) -> dict | None:
    """The search document for `item`, or None when it must not be in the index at all."""
    moment = _moment(item, at)
    public = public_projection(item, "search", moment)
    if public is None:
        return None
    cues, transcript_languages, has_photo_ids = _media_facts(public)
    when = public.date_start
    year = when.year if when else None
    languages = sorted({*public.title, *public.summary, *public.story, *transcript_languages}
                       or {public.original_language})
    event = public.event or {}
    subjects = public.subjects
    title_parts = _texts(public.title)
    body_parts = _body_parts(public, event)
    by_language = _by_language(public)
    doc = {
        "id": public.id,
        "kind": public.kind,
        "title": public.title,
        "summary": public.summary,
        "story": public.story,
        "original_language": public.original_language,
        "name": public.name,
        "relationship": public.relationship,
        "place": public.place,
        "country": public.country,
        "date_text": public.date_text,
        "date": _iso(when),
        "year": year,
        "decade": (year // 10) * 10 if year else None,
        "event": event.get("slug", ""),
        "event_name": event.get("name") or {},
        "subjects": subjects,
        "content_warnings": public.content_warnings,
        "content_warning": bool(public.content_warnings),
        "languages": languages,
        "exhibitions": [],
        "has_transcript": bool(cues),
        "cues": cues,
        "photo_media": has_photo_ids,
        "published_at": _iso(public.published_at),
        "embargo_until": _iso(public.embargo_until),
        "expires_at": _iso(public.expires_at),
        # The consent version the document was built under (an internal id, not shown): the read
        # path leaves the hit out while the item's current consent is another one, i.e. until the
        # propagation task has re-indexed it (selectors._revalidate). Stored in the display
        # document on every backend (the database `document` column, Elasticsearch _source), so
        # it needs no column and no mapping.
        "consent_id": item.current_consent_id,
        # Normalised text, what every backend matches (see normalise.py).
        "text": {
            "title": normalise.normalise(" ".join(title_parts)),
            "body": normalise.normalise(" ".join(p for p in body_parts if p)),
            "transcript": normalise.normalise(" ".join(c["text"] for c in cues)),
        },
        # Original text per language, for analyzers that stem (Elasticsearch).
        "by_language": {lang: " ".join(parts) for lang, parts in by_language.items()},
    }
    # Higher floors add public, consent-checked values (exhibitions: the slugs of those showing it).
    surfaces.registry.contribute(item, doc)
    doc["exhibitions"] = sorted(set(doc.get("exhibitions") or []))
    return doc

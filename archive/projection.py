"""The public projection of an item: only what the consent policy allows on one surface.

Search documents, IIIF manifests, API responses and pages are all built from this, never from the
model directly, so a field the consent does not open cannot leak through any of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from archive import consent
from archive.models import Item, ItemMedia


@dataclass
class PublicItem:
    id: str
    kind: str
    title: dict
    summary: dict
    story: dict
    original_language: str
    date_text: str
    date_start: object
    date_end: object
    place: str
    country: str
    event: dict | None
    subjects: list[dict]
    content_warnings: list[str]
    rights: str
    name: str  # as the consent says to display it; '' for anonymous
    relationship: str
    media: list[ItemMedia] = field(default_factory=list)
    published_at: datetime | None = None
    embargo_until: datetime | None = None
    expires_at: datetime | None = None


def public_projection(item: Item, surface: str, at: datetime | None = None) -> PublicItem | None:
    """The item as `surface` may show it at `at`, or None where it may not appear at all."""
    if not consent.allows(item, surface, at):
        return None
    c = consent.current_consent(item)
    event = None
    if item.event_id:
        event = {"slug": item.event.slug, "name": item.event.name, "country": item.event.country}
    return PublicItem(
        id=str(item.pk),
        kind=item.kind,
        title=item.title,
        summary=item.summary,
        story=item.story,
        original_language=item.original_language,
        date_text=item.date_text,
        date_start=item.date_start,
        date_end=item.date_end,
        place=item.place,
        country=item.country,
        event=event,
        subjects=[{"slug": s.slug, "label": s.label} for s in item.subjects.all()],
        content_warnings=list(item.content_warnings or []),
        rights=item.rights,
        name=consent.name_for_display(c),
        relationship=item.contributor.relationship if item.contributor_id else "",
        media=consent.allowed_media(item, surface, at),
        published_at=item.published_at,
        embargo_until=c.embargo_until,
        expires_at=c.expires_at,
    )

"""Reads of exhibitions and remembrance days, for public surfaces and for the curators' builder.

Publication windows (publish_at / unpublish_at) are evaluated at read time, like consent embargo
and expiry: an exhibition scheduled for a remembrance day goes live at that moment with no job
having run. Pass `at` to evaluate at another moment (tests, previews, the cache's time boundary).
Items are filtered through the consent policy (archive.consent) and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.utils import timezone

from archive import consent
from archive.keyset import keyset_page
from archive.models import Item, ItemMedia
from exhibitions.models import Exhibition, ExhibitionEntry, ExhibitionSection, RemembranceDay


def live_q(at: datetime | None = None, prefix: str = "") -> Q:
    """Exhibitions the public may see at `at`: published and inside their window."""
    at = at or timezone.now()
    return (
        Q(**{f"{prefix}status": Exhibition.Status.PUBLISHED})
        & (Q(**{f"{prefix}publish_at__isnull": True}) | Q(**{f"{prefix}publish_at__lte": at}))
        & (Q(**{f"{prefix}unpublish_at__isnull": True}) | Q(**{f"{prefix}unpublish_at__gt": at}))
    )


COVER_RELATED = ("remembrance_day", "cover__asset", "cover__item__current_consent")


def live_exhibitions(at: datetime | None = None) -> QuerySet[Exhibition]:
    """Exhibitions the public may see now (published, inside their window)."""
    return Exhibition.objects.filter(live_q(at))


def cover_media(exhibition: Exhibition, at: datetime | None = None) -> ItemMedia | None:
    """The exhibition's cover, only where the cover's item consent allows it in an exhibition
    (a curator's cover choice never outlives the contributor's consent)."""
    cover = exhibition.cover
    if cover is None or not consent.media_allowed(cover.item, cover, "exhibition", at):
        return None
    return cover


def live_exhibition(slug: str, at: datetime | None = None) -> Exhibition:
    """One live exhibition; raises Exhibition.DoesNotExist otherwise (the view turns that into 404)."""
    return live_exhibitions(at).select_related(*COVER_RELATED).get(slug=slug)


def previewable_exhibition(token: str) -> Exhibition:
    """The exhibition behind an unlisted preview link, whatever its window (curators share these
    links before the day). Drafts have no working link. Raises Exhibition.DoesNotExist."""
    if not token:
        raise Exhibition.DoesNotExist
    return Exhibition.objects.select_related(*COVER_RELATED).get(
        preview_token=token, status__in=[Exhibition.Status.UNLISTED, Exhibition.Status.PUBLISHED]
    )


def entries_q(surfaces: tuple[str, ...] = ("exhibition",), at: datetime | None = None) -> Q:
    q = Q()
    for surface in surfaces:
        q &= consent.visible_q(surface, at, prefix="item__")
    return q


def visible_entries(exhibition: Exhibition, at: datetime | None = None,
                    surfaces: tuple[str, ...] = ("exhibition",)) -> QuerySet[ExhibitionEntry]:
    """The exhibition's entries whose items consent allows in an exhibition (and on every other
    surface in `surfaces`, e.g. "iiif" for the IIIF collection), in order.

    An entry whose item was withdrawn simply drops out here: the exhibition keeps working.
    """
    return (
        exhibition.entries.filter(entries_q(surfaces, at))
        .select_related("item", "item__current_consent", "item__event", "media", "media__asset", "section")
        .prefetch_related(Prefetch("item__media", queryset=ItemMedia.objects.select_related("asset")))
        .order_by("position", "id")
    )


def media_prefetch(exclude_transcripts: bool = False) -> Prefetch:
    """Items' media with their assets, without the heavy columns a list never needs."""
    qs = ItemMedia.objects.select_related("asset").defer(
        "alt_text", "caption", "asset__cues", "asset__redactions", "asset__failure_reason")
    if exclude_transcripts:  # lists show a picture: transcripts are never their thumbnail
        qs = qs.exclude(role=ItemMedia.Role.TRANSCRIPT)
    return Prefetch("media", queryset=qs)


def collection_items(exhibition: Exhibition, at: datetime | None = None) -> QuerySet[Item]:
    """The items of the exhibition's IIIF collection: placed in it, allowed by consent both in an
    exhibition and on IIIF, once each, in the curator's order (an item's first placement)."""
    q = consent.visible_q("exhibition", at) & consent.visible_q("iiif", at)
    return (
        Item.objects.filter(q, exhibition_entries__exhibition=exhibition)
        .annotate(first_position=Min("exhibition_entries__position"), first_entry=Min("exhibition_entries__id"))
        .select_related("current_consent")
        .defer("story", "summary", "moderation_note")
        .prefetch_related(media_prefetch(exclude_transcripts=True))
        .order_by("first_position", "first_entry")
    )


@dataclass
class PublicEntry:
    """An entry as the exhibition page shows it: what the consent opens, nothing more."""

    entry: ExhibitionEntry
    item: Item
    media: ItemMedia | None  # the media to show (the curator's choice, or the item's first allowed)
    caption: dict
    on_web: bool  # whether the item has a public page to link to
    credit: str = ""  # who shared it, as their consent says to show the name ('' for anonymous)
    date_text: str = ""


def public_entries(exhibition: Exhibition, at: datetime | None = None) -> list[PublicEntry]:
    out = []
    for entry in visible_entries(exhibition, at):
        item = entry.item
        allowed = consent.allowed_media(item, "exhibition", at)
        media = None
        if entry.media_id:
            media = next((m for m in allowed if m.pk == entry.media_id), None)
            if media is None:
                # The curator chose one media and consent now excludes it: drop the entry rather
                # than show another media the curator did not choose.
                continue
        else:
            media = next((m for m in allowed if m.role != ItemMedia.Role.TRANSCRIPT), None)
        # The credit through the policy's own name rule (current consent is already selected: no query).
        out.append(PublicEntry(entry, item, media, entry.caption or {}, consent.allows(item, "web", at),
                               credit=consent.shown_name(item, "exhibition", at),
                               date_text=item.date_text or (str(item.date_start.year) if item.date_start else "")))
    return out


def shown_sections(exhibition: Exhibition, entries: list) -> tuple[list[tuple[ExhibitionSection, list]], list]:
    """The sections a public place shows, in order, each with its entries from `entries` (public
    entries, or anything with `.entry`), and the entries in no shown section.

    A section whose every entry consent now hides goes with its heading and text: a curator's words
    about memories that are withdrawn or narrowed must not stay up without them. A section that
    never held an entry (an opening or closing text) stays."""
    held = set(exhibition.entries.exclude(section=None).values_list("section_id", flat=True).distinct())
    by_section: dict[int | None, list] = {}
    for e in entries:
        by_section.setdefault(e.entry.section_id, []).append(e)
    sections = []
    for section in exhibition.sections.all():
        group = by_section.pop(section.pk, [])
        if group or section.pk not in held:
            sections.append((section, group))
    loose = [e for group in by_section.values() for e in group]  # in no (or a deleted) section
    return sections, loose


def narrated(sections: list, loose: list) -> tuple[list[tuple[list, object]], list]:
    """The memories of `shown_sections` in the page's order, each with the sections that start just
    before it (their heading and text): a text block between two memories shows on the one after
    it (the sequence view, the kiosk). The sections after the last memory (closing text) come second."""
    steps, waiting = [], []
    for section, entries in sections:
        if any((section.title or {}).values()) or any((section.text or {}).values()):
            waiting.append(section)
        for e in entries:
            steps.append((waiting, e))
            waiting = []
    for e in loose:
        steps.append((waiting, e))
        waiting = []
    return steps, waiting


def entries_version(exhibition: Exhibition, at: datetime) -> tuple:
    """A fingerprint of everything the exhibition's IIIF collection depends on (two small queries).

    It changes when an entry is added or removed, an item or its media changes, a consent
    version is recorded, or time crosses an embargo, expiry or the exhibition's own window, so a
    cached collection keyed on it can never outlive what the policy says now.
    """
    shown = exhibition.entries.filter(entries_q(("exhibition", "iiif"), at)).aggregate(
        n=Count("item", distinct=True),
        item_at=Max("item__updated_at"),
        consent_id=Max("item__current_consent"),
        asset_at=Max("item__media__asset__updated_at"),
    )
    every = exhibition.entries.aggregate(entry_count=Count("id"), last_entry=Max("id"))
    consent_moment = consent.next_boundary_in(exhibition.entries.all(), at, prefix="item__")
    window = [t for t in (exhibition.publish_at, exhibition.unpublish_at, consent_moment) if t and t > at]
    boundary = min(window) if window else None
    return (
        exhibition.pk, exhibition.updated_at.isoformat(),
        *(v.isoformat() if isinstance(v, datetime) else v for v in (*shown.values(), *every.values())),
        boundary.isoformat() if boundary else None,
    )


# --- Remembrance days ----------------------------------------------------------------------------


def remembrance_day(slug: str) -> RemembranceDay:
    return RemembranceDay.objects.get(slug=slug)


def remembrance_days() -> QuerySet[RemembranceDay]:
    return RemembranceDay.objects.all()


def occurrence(day: RemembranceDay, today: date) -> date:
    """This year's date of a recurring day (29 February falls back to 28 in common years)."""
    try:
        return date(today.year, day.month, day.day)
    except ValueError:
        return date(today.year, day.month, day.day - 1)


def next_remembrance_day(today: date | None = None) -> tuple[RemembranceDay, date] | None:
    """The current or next remembrance day, with its date (today counts as current)."""
    today = today or timezone.localdate()
    best = None
    for day in RemembranceDay.objects.all():
        when = occurrence(day, today)
        if when < today:
            when = occurrence(day, date(today.year + 1, 1, 1))
        if best is None or when < best[1]:
            best = (day, when)
    return best


def day_exhibitions(day: RemembranceDay, at: datetime | None = None) -> QuerySet[Exhibition]:
    return live_exhibitions(at).filter(remembrance_day=day)


@dataclass(frozen=True)
class WallName:
    name: str
    event: dict  # the event's name as a language map ({} when the item has none)
    # Ids of this person's items whose consent also opens a public page (the name links to them).
    stories: tuple = ()


@dataclass(frozen=True)
class Wall:
    names: list[WallName]
    older: str | None = None  # cursor of the next page of names (published later)
    newer: str | None = None  # cursor of the previous page


def memorial_wall(at: datetime | None = None, after: str | None = None, before: str | None = None) -> Wall:
    """One page of names whose consent allows the memorial wall, as the consent says to show them.

    Pages run over the items in publication order (keyset: any page costs the same, and every name
    is reached by following the pages); within a page names are in alphabetical order. Anonymous
    consent yields no name and is left off the wall (not shown as 'Anonymous' many times).
    """
    items = consent.visible_items("memorial_wall", at).select_related("event")
    page = keyset_page(items, ("published_at", "id"), settings.WALL_PAGE_SIZE, after, before)
    found: dict[tuple[str, str], WallName] = {}
    for item in page:
        name = consent.shown_name(item, "memorial_wall", at)
        if not name:
            continue
        key = (name, item.event.slug if item.event_id else "")
        wall = found.get(key) or WallName(name, item.event.name if item.event_id else {})
        if consent.allows(item, "web", at):  # a page only where the policy opens one
            wall = WallName(wall.name, wall.event, (*wall.stories, str(item.pk)))
        found[key] = wall
    return Wall(sorted(found.values(), key=lambda n: n.name.casefold()), page.older, page.newer)


def exhibition_slugs_for_item(item: Item, at: datetime | None = None) -> list[str]:
    """Exhibitions the item is placed in, as consent allows, for the search document.

    Scheduled exhibitions are included so that a document indexed today is right on the day;
    the search facet must intersect them with live_exhibition_slugs(at) at query time.
    """
    if not consent.allows(item, "exhibition", at):
        return []
    return list(
        Exhibition.objects.filter(status=Exhibition.Status.PUBLISHED, entries__item=item)
        .distinct().order_by("slug").values_list("slug", flat=True)
    )


def live_exhibition_slugs(at: datetime | None = None) -> set[str]:
    """Slugs of the exhibitions live at `at` (the search facet's read-time filter)."""
    return set(live_exhibitions(at).values_list("slug", flat=True))


# --- Fingerprints of the other IIIF collections (cache keys) --------------------------------------


def _iso(value):
    return value.isoformat() if isinstance(value, datetime) else value


def live_exhibitions_version(at: datetime) -> tuple:
    """Changes when an exhibition is edited, or opens or closes (read-time windows)."""
    published = Exhibition.objects.filter(status=Exhibition.Status.PUBLISHED)
    agg = published.aggregate(
        n=Count("id"), changed=Max("updated_at"),
        opens=Min("publish_at", filter=Q(publish_at__gt=at)), closes=Min("unpublish_at", filter=Q(unpublish_at__gt=at)),
    )
    live = published.filter(live_q(at)).aggregate(n=Count("id"), changed=Max("updated_at"))
    return (*map(_iso, agg.values()), *map(_iso, live.values()))


def iiif_items_version(at: datetime) -> tuple:
    """The next moment an embargo ends or a consent expires anywhere (read-time changes no write
    announces). Every write to the record moves the shared generation, which the document cache
    keys on too, so nothing here counts or scans the items: two indexed lookups at any size."""
    return (_iso(consent.next_boundary_anywhere(at)),)


# --- the curators' exhibition builder -----------------------------------------------------------


def exhibitions_for_builder() -> QuerySet[Exhibition]:
    return Exhibition.objects.select_related("remembrance_day").order_by("-updated_at")


def entries_for_builder(exhibition: Exhibition) -> list[ExhibitionEntry]:
    return list(exhibition.entries.select_related("item", "item__current_consent", "media", "media__asset", "section")
                .prefetch_related(Prefetch("item__media", queryset=ItemMedia.objects.select_related("asset")))
                .order_by("position", "id"))


def addable_items(exhibition: Exhibition, query: str = "", limit: int = 50) -> QuerySet[Item]:
    """Items the consent policy allows in an exhibition now, not already placed in this one."""
    qs = consent.visible_items("exhibition").exclude(exhibition_entries__exhibition=exhibition)
    query = query.strip()
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(place__icontains=query))
    return qs.order_by("-published_at", "-created_at")[:limit]


def preview_moment(exhibition: Exhibition, at: datetime | None = None) -> datetime:
    """The moment a preview shows: the one asked for, else opening day if it is still to come."""
    if at:
        return at
    now = timezone.now()
    return exhibition.publish_at if exhibition.publish_at and exhibition.publish_at > now else now

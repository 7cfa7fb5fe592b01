"""The exhibition builder's own reads (the picker, warnings on entries, the status sentence).

Kept apart from exhibitions.selectors, whose reads serve the public pages. Consent is asked of
archive.consent and nothing else: the picker offers what it allows in exhibitions now, and an entry
already placed is checked again on every view, so a withdrawal shows up here at once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from archive import consent, vocabularies
from archive.models import SURFACES, Item, ItemMedia
from exhibitions.iiif.common import media_urls
from exhibitions.models import Exhibition, ExhibitionEntry

PICKER_LIMIT = 60


@dataclass
class Candidate:
    """An item as the picker shows it: enough to tell two items apart at a glance."""

    item: Item
    thumb: str  # the blurred thumbnail when the item carries a content warning, never the sharp one
    warned: bool
    kind: str
    language: str
    date: str
    surfaces: list[str] = field(default_factory=list)  # where consent allows it now


def entry_thumb(entry: ExhibitionEntry) -> tuple[str, bool]:
    """The entry's thumbnail (its chosen media, else the item's first picture) and whether it is
    the blurred one."""
    media = [entry.media] if entry.media_id else None
    return _thumb(entry.item, media), bool(entry.item.content_warnings)


def _thumb(item: Item, media_list=None) -> str:
    for media in media_list if media_list is not None else item.media.all():
        if media.role == ItemMedia.Role.TRANSCRIPT:
            continue
        urls = media_urls(media.asset)
        thumb = urls.get("thumb_blurred", "") if item.content_warnings else (urls.get("thumb") or urls.get("poster", ""))
        if thumb:
            return thumb
    return ""


def candidates(exhibition: Exhibition, *, query: str = "", kind: str = "", language: str = "",
               limit: int = PICKER_LIMIT) -> list[Candidate]:
    """Items the consent policy allows in an exhibition now and not yet placed in this one,
    filtered by words (title in any language, place), kind and original language."""
    qs = consent.visible_items("exhibition").exclude(exhibition_entries__exhibition=exhibition)
    query = query.strip()
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(place__icontains=query) | Q(date_text__icontains=query))
    if kind:
        qs = qs.filter(kind=kind)
    if language:
        qs = qs.filter(original_language=language)
    qs = (qs.select_related("current_consent")
          .prefetch_related(Prefetch("media", queryset=ItemMedia.objects.select_related("asset").order_by("position", "id")))
          .order_by("-published_at", "-created_at")[:limit])
    languages = dict(vocabularies.CONTENT_LANGUAGES)
    out = []
    for item in qs:
        out.append(Candidate(
            item=item, thumb=_thumb(item), warned=bool(item.content_warnings),
            kind=item.get_kind_display(), language=str(languages.get(item.original_language, item.original_language)),
            date=item.date_text or (str(item.date_start.year) if item.date_start else ""),
            surfaces=[s for s in SURFACES if consent.allows(item, s)],
        ))
    return out


@dataclass
class EntryWarning:
    code: str  # "duplicate" or a consent refusal code (archive.consent.refusal)
    moment: datetime | None = None
    positions: list[int] = field(default_factory=list)


def entry_warnings(entries: list[ExhibitionEntry], at: datetime | None = None) -> dict[int, list[EntryWarning]]:
    """For each entry: the same item placed more than once, and consent that no longer allows it
    in an exhibition (the public does not see it; the curator should know why)."""
    places = Counter(e.item_id for e in entries)
    numbers = {e.pk: n for n, e in enumerate(entries, start=1)}
    out: dict[int, list[EntryWarning]] = {}
    for entry in entries:
        found = []
        if places[entry.item_id] > 1:
            found.append(EntryWarning("duplicate", positions=[numbers[o.pk] for o in entries
                                                              if o.item_id == entry.item_id and o.pk != entry.pk]))
        refused = consent.refusal(entry.item, "exhibition", at)
        if refused:
            found.append(EntryWarning(refused[0], refused[1]))
        if found:
            out[entry.pk] = found
    return out


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({timezone.get_current_timezone_name()})"


def status_text(exhibition: Exhibition, now: datetime | None = None) -> str:
    """One sentence that is true now: a published exhibition that opens tomorrow is "scheduled",
    not "public"; one whose closing time has passed is "closed"."""
    now = now or timezone.now()
    opens, closes = exhibition.publish_at, exhibition.unpublish_at
    if exhibition.status == Exhibition.Status.DRAFT:
        return _("Draft: only the workspace can see it.")
    if exhibition.status == Exhibition.Status.UNLISTED:
        return _("Unlisted: seen only through its preview link, not listed publicly.")
    if closes and closes <= now:
        return _("Closed: it was public until %(when)s.") % {"when": _when(closes)}
    if opens and opens > now:
        if closes:
            return _("Scheduled: public from %(opens)s until %(closes)s.") % {"opens": _when(opens), "closes": _when(closes)}
        return _("Scheduled: public from %(opens)s.") % {"opens": _when(opens)}
    if closes:
        return _("Public now, until %(closes)s.") % {"closes": _when(closes)}
    return _("Public now.")


def sections_with_entries(exhibition: Exhibition, entries: list[ExhibitionEntry]) -> tuple[list, list]:
    """The builder's grouping, the public page's order: each section with its entries, then the
    entries in no section."""
    by_section: dict[int | None, list] = {}
    for entry in entries:
        by_section.setdefault(entry.section_id, []).append(entry)
    sections = [(section, by_section.pop(section.pk, [])) for section in exhibition.sections.order_by("position", "id")]
    loose = [e for group in by_section.values() for e in group]
    return sections, loose


def kinds() -> list[tuple[str, str]]:
    return list(Item.Kind.choices)


def picture_entries(entries: list[ExhibitionEntry]) -> QuerySet[ItemMedia]:
    """Media that could be the cover: pictures of the exhibition's entries."""
    return (ItemMedia.objects.filter(item_id__in={e.item_id for e in entries})
            .exclude(role=ItemMedia.Role.TRANSCRIPT).select_related("asset", "item"))

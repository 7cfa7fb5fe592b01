"""The exhibition builder's writes (the curator workspace's only way to change exhibitions; its
reads are in exhibitions.selectors).

Adding an entry is the one place a curator places an item in an exhibition, so it asks the consent
policy first: only items whose consent allows `exhibition` can be added. (The public pages ask
again at read time, so a later withdrawal still wins.) Every change is audited.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from archive import audit, consent
from archive.models import Item, ItemMedia
from exhibitions.models import Exhibition, ExhibitionEntry, ExhibitionSection
from exhibitions.selectors import entries_for_builder


class BuilderError(ValueError):
    """A builder change that cannot be made; the message says why, for the curator."""


def _snapshot(exhibition: Exhibition) -> dict:
    return {
        "title": exhibition.title, "summary": exhibition.summary, "introduction": exhibition.introduction,
        "status": exhibition.status, "featured": exhibition.featured,
        "publish_at": exhibition.publish_at.isoformat() if exhibition.publish_at else None,
        "unpublish_at": exhibition.unpublish_at.isoformat() if exhibition.unpublish_at else None,
        "remembrance_day": exhibition.remembrance_day_id,
    }


@transaction.atomic
def create_exhibition(*, slug: str, title: dict, actor) -> Exhibition:
    if Exhibition.objects.filter(slug=slug).exists():
        raise BuilderError(_("An exhibition with the address “%(slug)s” exists already.") % {"slug": slug})
    exhibition = Exhibition.objects.create(slug=slug, title=title, status=Exhibition.Status.DRAFT)
    audit.record("exhibition.created", actor=actor, target=f"exhibition:{slug}", after=_snapshot(exhibition))
    return exhibition


@transaction.atomic
def update_exhibition(exhibition: Exhibition, *, actor, **fields) -> Exhibition:
    publish_at, unpublish_at = fields.get("publish_at"), fields.get("unpublish_at")
    if publish_at and unpublish_at and unpublish_at <= publish_at:
        raise BuilderError(_("The exhibition must close after it opens."))
    before = _snapshot(exhibition)
    for name, value in fields.items():
        setattr(exhibition, name, value)
    exhibition.save()
    after = _snapshot(exhibition)
    changed = [k for k in after if after[k] != before[k]]
    if changed:
        audit.record("exhibition.changed", actor=actor, target=f"exhibition:{exhibition.slug}",
                     before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return exhibition


@transaction.atomic
def add_entry(exhibition: Exhibition, item: Item, *, actor, media: ItemMedia | None = None,
              caption: dict | None = None, section: ExhibitionSection | None = None) -> ExhibitionEntry:
    item = Item.objects.select_related("current_consent").get(pk=item.pk)
    if not consent.allows(item, "exhibition"):
        raise BuilderError(_("This item's consent does not allow it in an exhibition; it cannot be added."))
    if media is not None and (media.item_id != item.pk or not consent.media_allowed(item, media, "exhibition")):
        raise BuilderError(_("This media cannot be shown in an exhibition."))
    if exhibition.entries.filter(item=item, media=media).exists():
        raise BuilderError(_("This item is already in the exhibition."))
    last = exhibition.entries.aggregate(m=Max("position"))["m"]
    entry = ExhibitionEntry.objects.create(
        exhibition=exhibition, item=item, media=media, caption=caption or {}, section=section,
        position=0 if last is None else last + 1,
    )
    audit.record("exhibition.entry_added", actor=actor, item=item, target=f"exhibition:{exhibition.slug}",
                 after={"entry": entry.pk, "position": entry.position, "caption": entry.caption})
    return entry


def _renumber(exhibition: Exhibition, ordered: list[ExhibitionEntry]) -> None:
    for position, entry in enumerate(ordered):
        if entry.position != position:
            entry.position = position
            entry.save(update_fields=["position"])
    Exhibition.objects.filter(pk=exhibition.pk).update(updated_at=timezone.now())


def page_order(exhibition: Exhibition, sections: list[ExhibitionSection]) -> list[ExhibitionEntry]:
    """Every entry in the public page's order: section by section, then the entries in no section."""
    rank = {s.pk: n for n, s in enumerate(sections)}
    entries = exhibition.entries.order_by("position", "id")
    return sorted(entries, key=lambda e: (rank.get(e.section_id, len(rank)), e.position, e.pk))


def settle(exhibition: Exhibition, sections: list[ExhibitionSection] | None = None) -> None:
    """Sections numbered in the order given (their stored order by default) and entries in the
    page's order, so that what follows entries' positions (the sequence's neighbours, the IIIF
    collection, the kiosk) follows the page."""
    sections = list(exhibition.sections.order_by("position", "id")) if sections is None else sections
    for position, section in enumerate(sections):
        if section.position != position:
            section.position = position
            section.save(update_fields=["position"])
    _renumber(exhibition, page_order(exhibition, sections))


@transaction.atomic
def move_entry(entry: ExhibitionEntry, *, direction: str, actor) -> None:
    """Move one entry up or down by one place among the entries of its section (the public page
    shows them section by section, so that is the order a curator sees and changes)."""
    if direction not in ("up", "down"):
        raise BuilderError(_("Move an entry up or down."))
    ordered = entries_for_builder(entry.exhibition)
    siblings = [i for i, e in enumerate(ordered) if e.section_id == entry.section_id]
    place = next(n for n, i in enumerate(siblings) if ordered[i].pk == entry.pk)
    other = place - 1 if direction == "up" else place + 1
    if not 0 <= other < len(siblings):
        return
    index, target = siblings[place], siblings[other]
    ordered[index], ordered[target] = ordered[target], ordered[index]
    _renumber(entry.exhibition, ordered)
    audit.record("exhibition.entry_moved", actor=actor, item=entry.item, target=f"exhibition:{entry.exhibition.slug}",
                 before={"position": index}, after={"position": target})


@transaction.atomic
def reorder(exhibition: Exhibition, entry_ids: list[int], *, actor) -> None:
    """Set the whole order at once (drag and drop posts it). It must name every entry once."""
    ordered = entries_for_builder(exhibition)
    by_id = {e.pk: e for e in ordered}
    if sorted(entry_ids) != sorted(by_id):
        raise BuilderError(_("The order sent does not match the exhibition's entries; reload the page."))
    before = [e.pk for e in ordered]
    _renumber(exhibition, [by_id[i] for i in entry_ids])
    if before != entry_ids:
        audit.record("exhibition.reordered", actor=actor, target=f"exhibition:{exhibition.slug}",
                     before={"order": before}, after={"order": entry_ids})


@transaction.atomic
def reorder_sections(exhibition: Exhibition, section_ids: list[int], *, actor) -> None:
    """Set the sections' whole order at once (drag and drop posts it). It must name each one once."""
    ordered = list(exhibition.sections.order_by("position", "id"))
    by_id = {s.pk: s for s in ordered}
    if sorted(section_ids) != sorted(by_id):
        raise BuilderError(_("The order sent does not match the exhibition's sections; reload the page."))
    before = [s.pk for s in ordered]
    if before == section_ids:
        return
    settle(exhibition, [by_id[pk] for pk in section_ids])
    audit.record("exhibition.section_moved", actor=actor, target=f"exhibition:{exhibition.slug}",
                 before={"order": before}, after={"order": section_ids})


@transaction.atomic
def set_caption(entry: ExhibitionEntry, caption: dict, *, actor) -> None:
    before = entry.caption
    caption = {lang: text.strip() for lang, text in caption.items() if text and text.strip()}
    if caption == before:
        return
    entry.caption = caption
    entry.save(update_fields=["caption"])
    audit.record("exhibition.caption_changed", actor=actor, item=entry.item,
                 target=f"exhibition:{entry.exhibition.slug}", before={"caption": before}, after={"caption": caption})


@transaction.atomic
def remove_entry(entry: ExhibitionEntry, *, actor) -> None:
    exhibition = entry.exhibition
    audit.record("exhibition.entry_removed", actor=actor, item=entry.item, target=f"exhibition:{exhibition.slug}",
                 before={"entry": entry.pk, "caption": entry.caption})
    entry.delete()
    _renumber(exhibition, entries_for_builder(exhibition))


@transaction.atomic
def add_entries(exhibition: Exhibition, items: list[Item], *, actor,
                section: ExhibitionSection | None = None) -> tuple[list[ExhibitionEntry], list[str]]:
    """Several items at once (the picker's multi-select), in the order given. Each is asked of the
    consent policy like a single addition; those refused are named, the others are added."""
    added, refused = [], []
    for item in items:
        try:
            added.append(add_entry(exhibition, item, actor=actor, section=section))
        except BuilderError as exc:
            refused.append(f"{item}: {exc}")
    return added, refused


def _section_snapshot(section: ExhibitionSection) -> dict:
    return {"section": section.pk, "title": section.title, "text": section.text, "position": section.position}


@transaction.atomic
def save_section(exhibition: Exhibition, *, title: dict, text: dict, actor,
                 section: ExhibitionSection | None = None) -> ExhibitionSection:
    """A new section (a heading and/or narrative text, with the entries placed in it), or new words
    for an existing one."""
    if not any(title.values()) and not any(text.values()):
        raise BuilderError(_("Give the section a heading or some text in at least one language."))
    before = _section_snapshot(section) if section else {}
    if section is None:
        last = exhibition.sections.aggregate(m=Max("position"))["m"]
        section = ExhibitionSection(exhibition=exhibition, position=0 if last is None else last + 1)
    section.title, section.text = title, text
    section.save()
    Exhibition.objects.filter(pk=exhibition.pk).update(updated_at=timezone.now())
    audit.record("exhibition.section_saved", actor=actor, target=f"exhibition:{exhibition.slug}",
                 before=before, after=_section_snapshot(section))
    return section


@transaction.atomic
def move_section(section: ExhibitionSection, *, direction: str, actor) -> None:
    if direction not in ("up", "down"):
        raise BuilderError(_("Move a section up or down."))
    ordered = list(section.exhibition.sections.order_by("position", "id"))
    index = next(i for i, s in enumerate(ordered) if s.pk == section.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    settle(section.exhibition, ordered)
    audit.record("exhibition.section_moved", actor=actor, target=f"exhibition:{section.exhibition.slug}",
                 before={"section": section.pk, "position": index}, after={"position": target})


@transaction.atomic
def delete_section(section: ExhibitionSection, *, actor) -> None:
    """The section goes; its entries stay in the exhibition, outside any section."""
    exhibition = section.exhibition
    audit.record("exhibition.section_deleted", actor=actor, target=f"exhibition:{exhibition.slug}",
                 before=_section_snapshot(section))
    section.entries.update(section=None)
    section.delete()
    settle(exhibition)


@transaction.atomic
def place_in_section(entry: ExhibitionEntry, section: ExhibitionSection | None, *, actor) -> None:
    if section is not None and section.exhibition_id != entry.exhibition_id:
        raise BuilderError(_("That section belongs to another exhibition."))
    if entry.section_id == (section.pk if section else None):
        return
    before = entry.section_id
    entry.section = section
    entry.save(update_fields=["section"])
    settle(entry.exhibition)
    audit.record("exhibition.entry_sectioned", actor=actor, item=entry.item,
                 target=f"exhibition:{entry.exhibition.slug}", before={"section": before},
                 after={"section": entry.section_id})


@transaction.atomic
def set_cover(exhibition: Exhibition, media: ItemMedia | None, *, actor) -> None:
    """The exhibition's cover picture: one of its entries' media that consent allows in exhibitions
    now (the public page asks again at read time, so a later withdrawal still removes it)."""
    if media is not None:
        if not exhibition.entries.filter(item_id=media.item_id).exists():
            raise BuilderError(_("Choose the cover among the exhibition's own entries."))
        if not consent.media_allowed(media.item, media, "exhibition"):
            raise BuilderError(_("This picture's consent does not allow it in an exhibition."))
    before = exhibition.cover_id
    exhibition.cover = media
    exhibition.save(update_fields=["cover", "updated_at"])
    audit.record("exhibition.cover_changed", actor=actor, target=f"exhibition:{exhibition.slug}",
                 before={"cover": before}, after={"cover": media.pk if media else None})

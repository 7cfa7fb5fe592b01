"""Narrative text between two entries of an exhibition (the builder's "Add text here").

A text block is an untitled section. Adding one after an entry splits that entry's section there:
the new section starts with the text and takes the entries that followed, so every reader of
sections (the public page and its preview, the sequence view, the printed catalogue) shows it in
place with nothing new to learn. Removing it merges its entries back into the section before it.
Entries' positions are renumbered to the page's order after each change, so the readers that
follow positions (the IIIF collection, the kiosk) keep the page's order too.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archive import audit, vocabularies
from exhibitions.models import Exhibition, ExhibitionEntry, ExhibitionSection
from exhibitions.services.builder import BuilderError, settle

MAX_TEXT = 20000  # characters per language, as a section's text
LANG_CODES = [code for code, _label in vocabularies.CONTENT_LANGUAGES]


def is_text_block(section: ExhibitionSection) -> bool:
    """A section without a heading in any language: narrative text between entries."""
    return not any((v or "").strip() for v in (section.title or {}).values())


def _clean(text: dict) -> dict:
    cleaned = {lang: (text.get(lang) or "").strip() for lang in LANG_CODES if (text.get(lang) or "").strip()}
    if not cleaned:
        raise BuilderError(_("Write the text in at least one language."))
    if any(len(value) > MAX_TEXT for value in cleaned.values()):
        raise BuilderError(_("The text is too long (%(n)s characters at most per language).") % {"n": f"{MAX_TEXT:,}"})
    return cleaned


def _locked(exhibition: Exhibition) -> Exhibition:
    # One builder change to an exhibition's order at a time (PostgreSQL row lock; SQLite serialises writes).
    return Exhibition.objects.select_for_update().get(pk=exhibition.pk)


def _sections(exhibition: Exhibition) -> list[ExhibitionSection]:
    return list(exhibition.sections.order_by("position", "id"))


def _block(exhibition: Exhibition, sections: list[ExhibitionSection], section_id) -> ExhibitionSection:
    block = next((s for s in sections if str(s.pk) == str(section_id)), None)
    if block is None:
        raise BuilderError(_("That text block is not in this exhibition; reload the builder."))
    if not is_text_block(block):
        raise BuilderError(_("This section has a heading: edit or remove it as a section."))
    return block


def _group_loose(exhibition: Exhibition, sections: list[ExhibitionSection]) -> ExhibitionSection:
    """Entries in no section are shown after every section; to put text among them they first become
    an untitled group of their own at the end, in the same order (no heading, no text: invisible)."""
    group = ExhibitionSection.objects.create(exhibition=exhibition, position=len(sections), title={}, text={})
    exhibition.entries.filter(section__isnull=True).update(section=group)
    sections.append(group)
    return group


@transaction.atomic
def add_text_after(exhibition: Exhibition, entry_id, text: dict, *, actor) -> ExhibitionSection:
    """Narrative text right after the entry `entry_id`: its section is split there, the new untitled
    section holding the text and the entries that followed it (positions and captions kept)."""
    text = _clean(text)
    exhibition = _locked(exhibition)
    entry = exhibition.entries.filter(pk=entry_id).first() if str(entry_id).isdigit() else None
    if entry is None:
        raise BuilderError(_("That place is not after an entry of this exhibition; reload the builder."))
    sections = _sections(exhibition)
    settle(exhibition, sections)  # positions in the page's order before cutting the page there
    entry.refresh_from_db()
    section_id = entry.section_id if entry.section_id is not None else _group_loose(exhibition, sections).pk
    index = next(n for n, s in enumerate(sections) if s.pk == section_id)
    block = ExhibitionSection.objects.create(exhibition=exhibition, position=index + 1, title={}, text=text)
    sections.insert(index + 1, block)
    following = list(exhibition.entries.filter(section_id=section_id, position__gt=entry.position)
                     .order_by("position", "id").values_list("pk", flat=True))
    ExhibitionEntry.objects.filter(pk__in=following).update(section=block)
    settle(exhibition, sections)
    audit.record("exhibition.text_added", actor=actor, target=f"exhibition:{exhibition.slug}",
                 after={"section": block.pk, "after_entry": entry.pk, "text": text, "entries": following})
    return block


@transaction.atomic
def save_text_block(exhibition: Exhibition, section_id, text: dict, *, actor) -> ExhibitionSection:
    """New words for a text block, in the six languages."""
    text = _clean(text)
    exhibition = _locked(exhibition)
    block = _block(exhibition, _sections(exhibition), section_id)
    if block.text == text:
        return block
    before = block.text
    block.text = text
    block.save(update_fields=["text"])
    Exhibition.objects.filter(pk=exhibition.pk).update(updated_at=timezone.now())
    audit.record("exhibition.text_changed", actor=actor, target=f"exhibition:{exhibition.slug}",
                 before={"section": block.pk, "text": before}, after={"section": block.pk, "text": text})
    return block


def _dissolve_trailing_groups(exhibition: Exhibition, sections: list[ExhibitionSection]) -> None:
    """An untitled section without text at the end shows exactly as entries in no section do: give
    its entries back to no section (they come before the others there, as their positions say)."""
    while sections and is_text_block(sections[-1]) and not any((sections[-1].text or {}).values()):
        group = sections.pop()
        group.entries.update(section=None)
        group.delete()


@transaction.atomic
def remove_text_block(exhibition: Exhibition, section_id, *, actor) -> ExhibitionSection | None:
    """The text goes; its entries join the section before it, after that section's own, in order.
    A first text block has no section before it: its entries keep their place as an untitled group.
    Returns the section the entries are now in (None: in no section)."""
    exhibition = _locked(exhibition)
    sections = _sections(exhibition)
    block = _block(exhibition, sections, section_id)
    settle(exhibition, sections)
    index = sections.index(block)
    moved = list(block.entries.order_by("position", "id").values_list("pk", flat=True))
    before = {"section": block.pk, "text": block.text, "entries": moved}
    if index > 0:
        into = sections[index - 1]
        block.entries.update(section=into)
        block.delete()
        sections.pop(index)
    else:
        into = block
        block.text = {}
        block.save(update_fields=["text"])
    _dissolve_trailing_groups(exhibition, sections)
    settle(exhibition, sections)
    into = into if into in sections else None
    audit.record("exhibition.text_removed", actor=actor, target=f"exhibition:{exhibition.slug}",
                 before=before, after={"section": into.pk if into else None, "entries": moved})
    return into

"""Narrative text between any two entries (exhibitions/services/narrative.py): adding it splits the
section there, removing it merges the entries back; order, captions and positions are kept; bad
input changes nothing; every change is audited."""

import pytest

from archive.models import AuditEvent
from exhibitions.models import ExhibitionEntry, ExhibitionSection
from exhibitions.services import narrative
from exhibitions.services.builder import BuilderError
from tests.factories import ExhibitionEntryFactory, ExhibitionFactory, ItemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]  # row locks, JSON key order: both databases


def built(n=6, section_title=None, status="draft"):
    """An exhibition of n entries with captions, in one titled section (or in none)."""
    exhibition = ExhibitionFactory(status=status)
    section = (ExhibitionSection.objects.create(exhibition=exhibition, title={"en": section_title})
               if section_title else None)
    entries = [ExhibitionEntryFactory(exhibition=exhibition, section=section, position=n_,
                                      item=ItemFactory(title={"en": f"Memory {n_ + 1}"}),
                                      caption={"en": f"Caption {n_ + 1}", "ar": f"تعليق {n_ + 1}"})
               for n_ in range(n)]
    return exhibition, section, entries


def layout(exhibition):
    """The page as a curator reads it: (heading, text, [memories]) per section, then the loose ones."""
    out = []
    for s in exhibition.sections.order_by("position", "id"):
        out.append((s.title.get("en", ""), s.text.get("en", ""),
                    list(s.entries.order_by("position").values_list("item__title__en", flat=True))))
    loose = list(exhibition.entries.filter(section=None).order_by("position").values_list("item__title__en", flat=True))
    if loose:
        out.append((None, None, loose))
    return out


def state(exhibition):
    return (layout(exhibition),
            list(exhibition.entries.order_by("position").values_list("pk", "position", "section_id", "caption")),
            list(exhibition.sections.values_list("pk", "position", "title", "text")),
            AuditEvent.objects.count())


def memories(k, m):
    return [f"Memory {n}" for n in range(k, m + 1)]


def test_text_between_the_third_and_fourth_entry_splits_the_section_there_and_removing_it_merges_back(curator):
    exhibition, section, entries = built(section_title="What they carried")
    before = state(exhibition)
    block = narrative.add_text_after(exhibition, entries[2].pk, {"en": " A pause. ", "ar": "وقفة."}, actor=curator)
    assert layout(exhibition) == [("What they carried", "", memories(1, 3)), ("", "A pause.", memories(4, 6))]
    assert block.text == {"en": "A pause.", "ar": "وقفة."} and block.title == {}
    # Positions are the page's order, captions untouched.
    assert list(exhibition.entries.order_by("position").values_list("item__title__en", "caption__en")) == \
        [(f"Memory {n}", f"Caption {n}") for n in range(1, 7)]
    added = AuditEvent.objects.get(action="exhibition.text_added")
    assert added.actor == curator and added.after["entries"] == [e.pk for e in entries[3:]]

    narrative.save_text_block(exhibition, block.pk, {"en": "A longer pause.", "fr": "Une pause."}, actor=curator)
    block.refresh_from_db()
    assert block.text == {"en": "A longer pause.", "fr": "Une pause."}
    assert AuditEvent.objects.get(action="exhibition.text_changed").before["text"] == {"en": "A pause.", "ar": "وقفة."}

    assert narrative.remove_text_block(exhibition, block.pk, actor=curator) == section
    assert AuditEvent.objects.filter(action="exhibition.text_removed").count() == 1
    after = state(exhibition)
    assert after[:3] == before[:3]  # the same page, positions, sections and captions as before


def test_text_among_entries_in_no_section_keeps_their_order_and_removing_it_restores_them(curator):
    exhibition, _section, entries = built(n=5)
    titled = ExhibitionSection.objects.create(exhibition=exhibition, title={"en": "First room"})
    ExhibitionEntry.objects.filter(pk=entries[0].pk).update(section=titled)
    before = state(exhibition)
    block = narrative.add_text_after(exhibition, entries[2].pk, {"en": "Between."}, actor=curator)
    # The loose entries are shown after every section: they become an untitled group there, then the text.
    assert layout(exhibition) == [("First room", "", ["Memory 1"]), ("", "", memories(2, 3)),
                                  ("", "Between.", memories(4, 5))]
    narrative.remove_text_block(exhibition, block.pk, actor=curator)
    assert state(exhibition)[:2] == before[:2]
    assert exhibition.sections.count() == 1


def test_text_after_the_last_entry_of_a_section_comes_before_the_next_section(curator):
    exhibition, section, entries = built(n=4, section_title="One")
    two = ExhibitionSection.objects.create(exhibition=exhibition, title={"en": "Two"}, position=1)
    ExhibitionEntry.objects.filter(pk__in=[e.pk for e in entries[2:]]).update(section=two)
    narrative.add_text_after(exhibition, entries[1].pk, {"en": "Closing words of one."}, actor=curator)
    assert layout(exhibition) == [("One", "", memories(1, 2)), ("", "Closing words of one.", []),
                                  ("Two", "", memories(3, 4))]


def test_a_first_text_block_removed_keeps_its_entries_in_place(curator):
    exhibition, _s, entries = built(n=3)
    first = ExhibitionSection.objects.create(exhibition=exhibition, text={"en": "Opening."}, position=0)
    later = ExhibitionSection.objects.create(exhibition=exhibition, title={"en": "Later"}, position=1)
    ExhibitionEntry.objects.filter(pk=entries[0].pk).update(section=first)
    ExhibitionEntry.objects.filter(pk__in=[entries[1].pk, entries[2].pk]).update(section=later)
    assert narrative.remove_text_block(exhibition, first.pk, actor=curator) == first
    assert layout(exhibition) == [("", "", ["Memory 1"]), ("Later", "", memories(2, 3))]


@pytest.mark.parametrize("case", ["other entry", "not a number", "empty text", "too long", "other section",
                                  "titled section", "unknown section"])
def test_bad_input_is_refused_with_a_reason_and_changes_nothing(curator, case):
    exhibition, section, entries = built(section_title="A room")
    other, other_section, other_entries = built(n=2, section_title="Elsewhere")
    block = narrative.add_text_after(exhibition, entries[1].pk, {"en": "Kept."}, actor=curator)
    before, elsewhere = state(exhibition), state(other)
    calls = {
        "other entry": lambda: narrative.add_text_after(exhibition, other_entries[0].pk, {"en": "x"}, actor=curator),
        "not a number": lambda: narrative.add_text_after(exhibition, "1; drop", {"en": "x"}, actor=curator),
        "empty text": lambda: narrative.add_text_after(exhibition, entries[0].pk, {"en": "  ", "xx": "y"},
                                                       actor=curator),
        "too long": lambda: narrative.save_text_block(exhibition, block.pk, {"en": "x" * 20001}, actor=curator),
        "other section": lambda: narrative.remove_text_block(exhibition, other_section.pk, actor=curator),
        "titled section": lambda: narrative.remove_text_block(exhibition, section.pk, actor=curator),
        "unknown section": lambda: narrative.save_text_block(exhibition, 0, {"en": "x"}, actor=curator),
    }
    with pytest.raises(BuilderError) as refused:
        calls[case]()
    assert str(refused.value)
    assert state(exhibition) == before and state(other) == elsewhere


def test_moving_sections_and_entries_keeps_positions_in_the_page_order(curator):
    """What follows positions (the IIIF collection, the kiosk) follows the page after section moves."""
    from exhibitions.services import builder

    exhibition, one, entries = built(n=4, section_title="One")
    two = ExhibitionSection.objects.create(exhibition=exhibition, title={"en": "Two"}, position=1)
    builder.place_in_section(entries[0], two, actor=curator)
    assert list(exhibition.entries.order_by("position").values_list("item__title__en", flat=True)) == \
        ["Memory 2", "Memory 3", "Memory 4", "Memory 1"]
    builder.move_section(two, direction="up", actor=curator)
    assert list(exhibition.entries.order_by("position").values_list("item__title__en", flat=True)) == \
        ["Memory 1", "Memory 2", "Memory 3", "Memory 4"]
    builder.delete_section(two, actor=curator)  # its entry goes to no section: shown last
    assert list(exhibition.entries.order_by("position").values_list("item__title__en", flat=True)) == \
        ["Memory 2", "Memory 3", "Memory 4", "Memory 1"]

"""Text between two entries through the builder's plain forms (no JavaScript), and where it shows:
the public page in place (no empty heading or landmark), the sequence view on the memory after it,
the printed catalogue between the two memories, the IIIF collection in the page's order."""

import re

import pytest

from archive.models import AuditEvent
from exhibitions.kit import catalogue
from exhibitions.models import ExhibitionEntry, ExhibitionSection
from tests.curator.test_text_blocks import built, state
from tests.iiif.schema import errors
from tests.kit.test_catalogue import text_of

pytestmark = pytest.mark.django_db


def url(exhibition, rest=""):
    return f"/en/curator/exhibitions/{exhibition.pk}/{rest}"


def messages_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.text.split('class="cw-messages')[1].split("</ul>")[0]).split())


def test_add_edit_and_remove_text_between_entries_without_javascript(curator, as_user):
    exhibition, section, entries = built(n=4, section_title="What they carried")
    client = as_user(curator)
    page = client.get(url(exhibition)).text
    # "Add text here" at the foot of every entry: the text goes after it, before the next.
    assert page.count('name="after"') == 4
    assert f'lang="ar" dir="rtl" maxlength="20000" id="id_after-{entries[1].pk}-text_ar"' in page
    response = client.post(url(exhibition, "text/new"), {"after": entries[1].pk,
                                                         f"after-{entries[1].pk}-text_en": "A pause.",
                                                         f"after-{entries[1].pk}-text_fr": "Une pause."}, follow=True)
    assert "Text added between the entries." in messages_of(response)
    block = exhibition.sections.get(title={})
    assert response.redirect_chain[-1][0].endswith(f"#section-{block.pk}")
    # The builder shows it as "Text block 2" with its languages' status, and its own remove button.
    builder = response.text
    assert f'<h3 id="section-h-{block.pk}">Text block 2</h3>' in builder
    status = builder.split(f'id="section-h-{block.pk}"')[1].split("</summary>")[0]
    assert re.findall(r'cw-status-(\w+)"><abbr class="cw-badge" title="(\w+)', status) == [
        ("written", "English"), ("missing", "Arabic"), ("written", "French"), ("missing", "Spanish"),
        ("missing", "Russian"), ("missing", "Chinese")]
    assert "Remove text block" in builder.split(f'id="section-{block.pk}"')[1].split("</section>")[0]

    client.post(url(exhibition, f"text/{block.pk}"), {f"text-{block.pk}-text_en": "A longer pause.",
                                                      f"text-{block.pk}-text_ar": "وقفة أطول."})
    block.refresh_from_db()
    assert block.text == {"en": "A longer pause.", "ar": "وقفة أطول."}

    other, other_section, other_entries = built(n=2, section_title="Elsewhere")
    before = state(exhibition)
    too_long = client.post(url(exhibition, f"text/{block.pk}"), {f"text-{block.pk}-text_en": "x" * 20001}, follow=True)
    assert "The text is too long (20,000 characters at most per language)." in messages_of(too_long)
    # Not only length: the form's own reason, translated (a NUL was once reported as "too long").
    nul = client.post(url(exhibition, f"text/{block.pk}"), {f"text-{block.pk}-text_en": "a\x00b"}, follow=True)
    assert "Null characters are not allowed." in messages_of(nul)
    foreign = client.post(url(exhibition, "text/new"), {"after": other_entries[0].pk,
                                                        f"after-{other_entries[0].pk}-text_en": "x"}, follow=True)
    assert "That place is not after an entry of this exhibition" in messages_of(foreign)
    not_mine = client.post(url(exhibition, f"text/{other_section.pk}/remove"), follow=True)
    assert "That text block is not in this exhibition" in messages_of(not_mine)
    empty = client.post(url(exhibition, "text/new"), {"after": entries[0].pk}, follow=True)
    assert "Write the text in at least one language." in messages_of(empty)
    assert state(exhibition) == before

    removed = client.post(url(exhibition, f"text/{block.pk}/remove"), follow=True)
    assert "Text removed" in messages_of(removed)
    assert list(section.entries.order_by("position")) == entries
    assert [a for a in AuditEvent.objects.order_by("id").values_list("action", flat=True) if a.startswith("exhibition.text")] == [
        "exhibition.text_added", "exhibition.text_changed", "exhibition.text_removed"]
    log = client.get("/en/curator/audit/").text
    assert "Exhibition text added between entries" in log and "Exhibition text between entries removed" in log
    french = as_user(curator).get(f"/fr/curator/exhibitions/{exhibition.pk}/").text
    assert "Ajouter un texte ici" in french


def test_the_public_page_sequence_catalogue_and_iiif_show_the_text_in_place(curator, as_user, client):
    exhibition, _none, entries = built(n=4, status="published")
    client_c = as_user(curator)
    client_c.post(url(exhibition, "text/new"), {"after": entries[1].pk,
                                                f"after-{entries[1].pk}-text_en": "Between the second and the third."})
    page = client.get(f"/en/exhibitions/{exhibition.slug}/").text
    article = page[page.index("<article"):page.index("</article>")]
    assert article.index("Memory 2") < article.index("Between the second and the third.") < article.index("Memory 3")
    # Untitled sections: no empty heading, no unnamed labelledby, the text styled as a text block.
    assert not re.search(r"<h2[^>]*>\s*</h2>", article)
    for target in re.findall(r'aria-labelledby="([^"]+)"', article):
        assert f'id="{target}"' in article
    assert article.count('class="exhibition-section exhibition-section--text"') == 1

    # The sequence view: the text on the memory after it, once; the count unchanged.
    shown = {n: client.get(f"/en/exhibitions/{exhibition.slug}/{n}/").text for n in (2, 3)}
    assert "Between the second and the third." in shown[3] and "4 of 4" not in shown[3] and "3 of 4" in shown[3]
    assert "Between the second and the third." not in shown[2]

    pdf_text = text_of(catalogue.render(exhibition, "en"))
    assert pdf_text.index("Memory 2") < pdf_text.index("Between the second and the third.") < pdf_text.index("Memory 3")

    collection = client.get(f"/iiif/collection/exhibition/{exhibition.slug}").json()
    assert errors(collection) == []
    assert [m["label"]["en"][0] for m in collection["items"]] == [f"Memory {n}" for n in range(1, 5)]


def test_a_closing_text_after_the_last_memory_shows_on_the_last_step(curator, client):
    from exhibitions.services import narrative

    exhibition, section, entries = built(n=2, section_title="Room", status="published")
    narrative.add_text_after(exhibition, entries[1].pk, {"en": "Closing words."}, actor=curator)
    assert ExhibitionSection.objects.filter(exhibition=exhibition).count() == 2
    assert ExhibitionEntry.objects.filter(exhibition=exhibition, section=section).count() == 2
    last = client.get(f"/en/exhibitions/{exhibition.slug}/2/").text
    assert last.index("Open this memory") < last.index("Closing words.")
    assert "Closing words." not in client.get(f"/en/exhibitions/{exhibition.slug}/1/").text


def test_the_builder_says_when_a_section_is_hidden_with_its_words(curator, as_user):
    from archive import services

    exhibition, section, entries = built(n=2, section_title="What they carried")
    client = as_user(curator)
    note = "Hidden from the public with its heading and text"
    services.record_consent(entries[0].item, scopes=[], actor_label="contributor")
    assert note not in client.get(url(exhibition)).text  # one memory still shown
    services.record_consent(entries[1].item, scopes=["web"], actor_label="contributor")
    assert note in client.get(url(exhibition)).text

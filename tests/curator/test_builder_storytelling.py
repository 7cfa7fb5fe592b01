"""The exhibition builder for storytelling: picker (filters, consent badges, warned thumbnails
blurred), several items at once, sections and text blocks, cover, caption translation status,
warnings for duplicates and withdrawn consent, a status sentence that is true, the preview as the
public page itself."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from archive import services
from archive.models import AuditEvent
from exhibitions.builder_selectors import status_text
from exhibitions.models import Exhibition, ExhibitionSection
from tests.factories import ExhibitionEntryFactory, ExhibitionFactory, ItemFactory

pytestmark = pytest.mark.django_db


def url(exhibition, rest=""):
    return f"/en/curator/exhibitions/{exhibition.pk}/{rest}"


def test_picker_filters_and_shows_kind_date_language_and_consent(curator, as_user):
    exhibition = ExhibitionFactory(status="draft")
    ItemFactory(title={"en": "A synthetic watch"}, kind="object_story", date_text="2004", original_language="en",
                consent={"scopes": ["web", "exhibition"]})
    ItemFactory(title={"fr": "Un témoignage synthétique"}, kind="testimony", original_language="fr")
    client = as_user(curator)
    page = client.get(url(exhibition)).text
    picker = page.split('id="picker-form"')[1]
    assert "A synthetic watch" in picker and "Un témoignage synthétique" in picker
    watch = picker.split("A synthetic watch")[1].split("</li>")[0]
    assert "Object story" in watch and "2004" in watch and "English" in watch
    assert re.findall(r'cw-badge--ok">([^<]+)<', watch) == ["web", "exhibitions"]
    only_testimonies = client.get(url(exhibition), {"kind": "testimony"}).text.split('id="picker-form"')[1]
    assert "Un témoignage synthétique" in only_testimonies and "A synthetic watch" not in only_testimonies
    only_fr = client.get(url(exhibition), {"language": "fr", "q": "synth"}).text.split('id="picker-form"')[1]
    assert "Un témoignage synthétique" in only_fr and "A synthetic watch" not in only_fr
    assert "No item matches these filters." in client.get(url(exhibition), {"q": "nothing-like-this"}).text


def test_several_items_added_at_once_into_a_section_in_the_order_ticked(curator, as_user):
    exhibition = ExhibitionFactory(status="draft")
    items = [ItemFactory(title={"en": f"Object {n}"}) for n in range(5)]
    refused = ItemFactory(title={"en": "Web only"}, consent={"scopes": ["web"]})
    section = ExhibitionSection.objects.create(exhibition=exhibition, title={"en": "Before"})
    client = as_user(curator)
    response = client.post(url(exhibition, "add-many"),
                           {"items": [str(i.pk) for i in items] + [str(refused.pk)], "section": section.pk},
                           follow=True)
    assert "5 items added to the exhibition." in response.text
    assert "Web only: This item&#x27;s consent does not allow it in an exhibition" in response.text
    placed = list(exhibition.entries.order_by("position").values_list("item__title__en", "section_id"))
    assert placed == [(f"Object {n}", section.pk) for n in range(5)]
    assert AuditEvent.objects.filter(action="exhibition.entry_added").count() == 5
    empty = client.post(url(exhibition, "add-many"), {}, follow=True)
    assert "Tick at least one item to add." in empty.text
    assert client.post(url(exhibition, "add-many"), {"items": ["x"], "section": "nope"}).status_code == 404


def test_sections_and_text_blocks_reach_the_public_page_in_order(curator, as_user):
    exhibition = ExhibitionFactory(status="published", title={"en": "Objects that remember"})
    client = as_user(curator)
    client.post(url(exhibition, "sections/new"), {"new-section-title_en": "The morning",
                                                  "new-section-text_en": "What people carried that day."})
    client.post(url(exhibition, "sections/new"), {"new-section-text_en": "A pause between rooms, no heading."})
    bad = client.post(url(exhibition, "sections/new"), {}, follow=True)
    assert "Give the section a heading or some text" in bad.text
    first, block = exhibition.sections.order_by("position")
    entry = ExhibitionEntryFactory(exhibition=exhibition, item=ItemFactory(title={"en": "A kept ticket"}))
    client.post(url(exhibition, f"entries/{entry.pk}/section"), {"section": first.pk})
    client.post(url(exhibition, f"sections/{block.pk}/move/up"))
    public = client.get(f"/en/exhibitions/{exhibition.slug}/").text
    public = public[public.index("<article"):]  # the page's reading order (the JSON-LD in <head> lists entries too)
    assert public.index("A pause between rooms") < public.index("The morning") < public.index("A kept ticket")
    client.post(url(exhibition, f"sections/{first.pk}/delete"))
    entry.refresh_from_db()
    assert entry.section_id is None and exhibition.entries.count() == 1


def test_cover_among_the_entries_only_and_as_consent_allows(curator, as_user):
    from archive.models import ItemMedia
    from media_pipeline.models import MediaAsset

    exhibition = ExhibitionFactory(status="draft")
    inside = ItemFactory(title={"en": "Inside"})
    outside = ItemFactory(title={"en": "Outside"})
    ExhibitionEntryFactory(exhibition=exhibition, item=inside)
    mine = ItemMedia.objects.create(item=inside, asset=MediaAsset.objects.create(kind="image"), role="photo")
    theirs = ItemMedia.objects.create(item=outside, asset=MediaAsset.objects.create(kind="image"), role="photo")
    client = as_user(curator)
    client.post(url(exhibition, "cover"), {"media": theirs.pk})
    exhibition.refresh_from_db()
    assert exhibition.cover_id is None
    client.post(url(exhibition, "cover"), {"media": mine.pk})
    exhibition.refresh_from_db()
    assert exhibition.cover_id == mine.pk
    assert AuditEvent.objects.filter(action="exhibition.cover_changed").count() == 1


def test_caption_translation_status_and_warnings(curator, as_user):
    exhibition = ExhibitionFactory(status="published")
    item = ItemFactory(title={"en": "Twice placed"}, original_language="en")
    ExhibitionEntryFactory(exhibition=exhibition, item=item, position=0, caption={"en": "Original", "fr": "Traduit"})
    ExhibitionEntryFactory(exhibition=exhibition, item=item, position=1)
    withdrawn = ExhibitionEntryFactory(exhibition=exhibition, item=ItemFactory(title={"en": "Withdrawn later"}),
                                       position=2)
    services.record_consent(withdrawn.item, scopes=[], withdrawn=True, propagate=False)
    page = as_user(curator).get(url(exhibition)).text
    assert "Duplicate: this item is also entry 2." in page and "Duplicate: this item is also entry 1." in page
    hidden = page.split("Withdrawn later")[1].split("</li>")[0]
    assert "Hidden from the public:" in hidden and "consent withdrawn" in hidden
    assert "3 warnings below" in page
    first = page.split(f'id="caption-{exhibition.entries.order_by("position").first().pk}-en"')[0]
    states = re.findall(r'<div class="cw-lang cw-status-(\w+)">', page)
    assert states[:6] == ["original", "missing", "translated", "missing", "missing", "missing"]
    assert first  # the English caption field exists


def test_status_sentence_is_true_at_every_moment(settings):
    settings.TIME_ZONE = "Europe/Paris"
    now = timezone.now()
    tomorrow = ExhibitionFactory.build(status="published", publish_at=now + timedelta(days=1))
    text = status_text(tomorrow, now)
    assert text.startswith("Scheduled: public from ") and "(Europe/Paris)" in text and "public now" not in text.lower()
    assert status_text(ExhibitionFactory.build(status="published", publish_at=now - timedelta(days=1)), now) == "Public now."
    closed = ExhibitionFactory.build(status="published", unpublish_at=now - timedelta(hours=1))
    assert status_text(closed, now).startswith("Closed: it was public until ")
    assert status_text(ExhibitionFactory.build(status="draft"), now).startswith("Draft")
    assert status_text(ExhibitionFactory.build(status="unlisted", publish_at=now - timedelta(days=1)),
                       now).startswith("Unlisted")


def test_schedule_shows_the_time_zone_and_the_introduction_side_by_side(curator, as_user, settings):
    settings.TIME_ZONE = "Europe/Paris"
    exhibition = ExhibitionFactory(status="published", publish_at=timezone.now() + timedelta(days=1))
    page = as_user(curator).get(url(exhibition, "settings")).text
    assert page.count("In the archive&#x27;s time zone, Europe/Paris.") == 2
    assert "Scheduled: public from" in page and "At this moment the exhibition is public" not in page
    intro = page.split('cw-intro')[1].split("</fieldset>")[0]
    assert intro.count("<textarea") == 6 and intro.count('rows="14"') == 6


def _article(html: str) -> str:
    match = re.search(r'<article class="exhibition".*?</article>', html, re.S)
    assert match, "no exhibition article on the page"
    return match.group(0)


def test_preview_content_is_the_published_pages_html(curator, as_user):
    exhibition = ExhibitionFactory(status="draft", slug="same-html", title={"en": "Same HTML"},
                                   introduction={"en": "An introduction."})
    section = ExhibitionSection.objects.create(exhibition=exhibition, title={"en": "A section"}, text={"en": "Words."})
    for n in range(3):
        ExhibitionEntryFactory(exhibition=exhibition, item=ItemFactory(title={"en": f"Memory {n}"}),
                               section=section if n else None, position=n, caption={"en": f"Caption {n}"})
    client = as_user(curator)
    preview = client.get(url(exhibition, "preview"))
    assert preview.status_code == 200 and 'class="quick-exit"' in preview.text  # the public page, chrome and all
    Exhibition.objects.filter(pk=exhibition.pk).update(status="published")
    published = client.get("/en/exhibitions/same-html/")
    assert published.status_code == 200
    assert _article(preview.text) == _article(published.text)


def test_a_section_that_is_not_this_exhibitions_is_a_404_never_an_error(curator, as_user):
    exhibition, other = ExhibitionFactory(status="draft"), ExhibitionFactory(status="draft")
    theirs = ExhibitionSection.objects.create(exhibition=other, title={"en": "Theirs"}, position=1)
    client = as_user(curator)
    for section_id in (0, theirs.pk, 999999):
        assert client.post(url(exhibition, f"sections/{section_id}/move/up")).status_code == 404
        assert client.post(url(exhibition, f"sections/{section_id}/delete")).status_code == 404
        assert client.post(url(exhibition, f"sections/{section_id}"), {f"section-{section_id}-title_en": "x"}
                           ).status_code == 404
    assert not exhibition.sections.exists()
    assert ExhibitionSection.objects.filter(pk=theirs.pk).exists()

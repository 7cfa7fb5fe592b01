"""A curator's words go with the memories they are about: a section (titled, or a text block)
whose every entry consent now hides is left out of the exhibition page, the preview, the sequence
view and the printed catalogue, heading and text alike; it comes back when consent does. A section
that never held an entry (an opening or closing text) and one with a memory still shown stay."""

import pytest
from django.urls import reverse

from archive import services
from exhibitions.kit import catalogue
from exhibitions.models import ExhibitionSection
from tests.factories import ExhibitionEntryFactory, ExhibitionFactory, ItemFactory

pytestmark = pytest.mark.django_db


def _exhibition():
    exhibition = ExhibitionFactory(status="published", slug="kept")
    carried = ExhibitionSection.objects.create(exhibition=exhibition, position=1, title={"en": "What they carried"},
                                               text={"en": "Two keepsakes of the Lantern family (synthetic)."})
    kept = ExhibitionSection.objects.create(exhibition=exhibition, position=2, title={"en": "What was kept"})
    ExhibitionSection.objects.create(exhibition=exhibition, position=3, text={"en": "A closing word."})
    withdrawn = [ExhibitionEntryFactory(exhibition=exhibition, section=carried, position=n,
                                        item=ItemFactory(title={"en": f"Keepsake {n}"})) for n in (1, 2)]
    ExhibitionEntryFactory(exhibition=exhibition, section=kept, position=3, item=ItemFactory(title={"en": "A key"}))
    return exhibition, [e.item for e in withdrawn]


def _page(client, exhibition) -> str:
    response = client.get(reverse("exhibition-detail", args=[exhibition.slug]))
    assert response.status_code == 200
    return response.text


def test_a_section_goes_with_its_last_memory_and_comes_back_with_it(client):
    exhibition, items = _exhibition()
    page = _page(client, exhibition)
    assert "What they carried" in page and "Lantern family" in page and "Keepsake 1" in page

    services.record_consent(items[0], scopes=["web"], actor_label="contributor")  # narrowed: one still shown
    page = _page(client, exhibition)
    assert "What they carried" in page and "Lantern family" in page and "Keepsake 2" in page

    services.record_consent(items[1], scopes=[], actor_label="contributor")  # withdrawn: none left
    page = _page(client, exhibition)
    assert "What they carried" not in page and "Lantern family" not in page and "Keepsake" not in page
    assert "What was kept" in page and "A key" in page and "A closing word." in page  # the others stay
    sequence = client.get(reverse("exhibition-sequence", args=[exhibition.slug, 1])).text
    assert "Lantern family" not in sequence and "A key" in sequence
    printed = catalogue.context(exhibition, "en")
    assert [s[0].text for s in printed["sections"]] == ["What was kept", ""]
    assert [s[1].text for s in printed["sections"]][1] == "A closing word."

    services.record_consent(items[1], scopes=["web", "exhibition"], actor_label="contributor")  # given again
    assert "Lantern family" in _page(client, exhibition)

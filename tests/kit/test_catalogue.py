"""The printed catalogue (exhibitions/kit/catalogue.py): a PDF of what consent allows in an
exhibition at the moment of printing, in every script, with the print date. Text is read back with
poppler's pdftotext, fonts with pdffonts, pictures with pdfimages (Debian's poppler-utils)."""

import io
import subprocess

import pytest
from django.core.management import call_command

from archive import consent, services
from archive.i18n import pick
from exhibitions import selectors
from exhibitions.kit import catalogue
from exhibitions.models import Exhibition
from tests.factories import ExhibitionEntryFactory, ExhibitionFactory, ItemFactory
from tests.kit.test_share_cards import BLUE, RED, coloured_photo

pytestmark = pytest.mark.django_db


def poppler(tool, pdf: bytes, *args) -> str:
    return subprocess.run([tool, *args, "-", "-"] if tool == "pdftotext" else [tool, *args, "-"],
                          input=pdf, capture_output=True, check=True).stdout.decode()


BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def text_of(pdf: bytes) -> str:
    """The PDF's words in reading order, without the embedding marks pdftotext puts around RTL runs."""
    return " ".join(poppler("pdftotext", pdf).translate(BIDI_CONTROLS).split())


def shows(expected: str, text: str, lang: str) -> bool:
    """Whether `text` holds `expected`. pdftotext gives Latin runs inside Arabic lines out of order
    and splits lam-alef ligatures, so in Arabic every word without a lam must be found instead."""
    if lang != "ar":
        return " ".join(expected.split()) in text
    words = [w.strip(".:،") for w in expected.split() if "ل" not in w]
    return all(w in text for w in words if w)


@pytest.fixture
def demo(settings, fresh_storage):
    call_command("seed_demo", "--no-media", stdout=io.StringIO())


def test_the_demo_exhibitions_print_with_their_entries_and_the_consent_date(demo):
    exhibitions = list(selectors.live_exhibitions())
    assert len(exhibitions) >= 3
    for exhibition, lang in ((e, lang) for e in exhibitions for lang in ("en", "ar")):
        pdf = catalogue.render(exhibition, lang)
        assert pdf.startswith(b"%PDF-")
        text = text_of(pdf)
        assert shows(pick(exhibition.title, lang).text, text, lang)
        for entry in selectors.public_entries(exhibition):
            assert shows(pick(entry.item.title, lang).text, text, lang), entry.item
            if entry.credit:
                assert entry.credit in text
        fonts = poppler("pdffonts", pdf).replace("-", "")
        if lang == "ar":
            assert "NotoNaskhArabic" in fonts and "يعكس هذا الكتالوج" in text
        else:
            assert "NotoSerif" in fonts and "This catalogue reflects the consent" in text


def test_a_withdrawn_memory_never_appears(demo):
    exhibition = next(e for e in selectors.live_exhibitions() if len(selectors.public_entries(e)) >= 2)
    entries = selectors.public_entries(exhibition)
    gone, kept = entries[0].item, entries[1].item
    gone_name = consent.shown_name(gone, "exhibition")
    services.record_consent(gone, scopes=[], withdrawn=True, propagate=False, actor_label="test")
    others = {consent.shown_name(e.item, "exhibition") for e in entries[1:]}
    for lang in ("en", "ar"):
        text = text_of(catalogue.render(Exhibition.objects.get(pk=exhibition.pk), lang))
        assert shows(pick(kept.title, lang).text, text, lang)
        if lang == "en":
            assert pick(gone.title, lang).text not in text and gone.story["en"][:40] not in text
        if gone_name and gone_name not in others:
            assert gone_name not in text


def test_pictures_names_and_warnings_as_consent_allows(fresh_storage):
    exhibition = ExhibitionFactory()
    shown, _use = coloured_photo(RED, title={"en": "Red photograph"})
    services.record_consent(shown, scopes=["exhibition"], name_display="initials", display_name="Sam Example",
                            propagate=False, actor_label="test")
    warned, _warned_use = coloured_photo(BLUE, title={"en": "Warned photograph"}, content_warnings=["injury"])
    narrowed = ItemFactory(title={"en": "Web only story"})
    services.record_consent(narrowed, scopes=["web"], propagate=False, actor_label="test")
    for position, item in enumerate((shown, warned, narrowed)):
        ExhibitionEntryFactory(exhibition=exhibition, item=item, position=position)
    pdf = catalogue.render(exhibition, "en")
    text = text_of(pdf)
    assert "Red photograph" in text and "S. E." in text and "Sam Example" not in text
    assert "Warned photograph" in text and "The picture is not printed." in text
    assert "Web only story" not in text
    images = poppler("pdfimages", pdf, "-list").splitlines()[2:]
    assert len(images) == 1  # the red photograph only: the warned one's picture stays out of print


def test_curators_print_from_the_workspace(curator, moderator, as_user, client):
    exhibition = ExhibitionFactory(title={"en": "Objects", "fr": "Objets"})
    ExhibitionEntryFactory(exhibition=exhibition, item=ItemFactory(title={"en": "A kept key", "fr": "Une clé gardée"}))
    url = f"/en/curator/exhibitions/{exhibition.pk}/catalogue.pdf"
    assert client.get(url).status_code == 302  # to the login page
    page = as_user(curator).get(f"/en/curator/exhibitions/{exhibition.pk}/")
    assert f'action="{url}"' in page.text
    response = client.get(url, {"lang": "fr"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert f"catalogue-{exhibition.slug}-fr-" in response["Content-Disposition"]
    assert "Une clé gardée" in text_of(response.content)
    assert client.get(url, {"lang": "xx"}).status_code == 404


def test_the_command_writes_the_pdf(tmp_path):
    exhibition = ExhibitionFactory(title={"en": "Printed by command"})
    out = tmp_path / "c.pdf"
    call_command("print_catalogue", exhibition.slug, "--lang", "ar", "--output", str(out), stdout=io.StringIO())
    assert "Printed by command" in text_of(out.read_bytes())
    with pytest.raises(Exception, match="No exhibition 'missing'"):
        call_command("print_catalogue", "missing", stdout=io.StringIO())

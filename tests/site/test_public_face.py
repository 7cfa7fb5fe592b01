"""Issue 14 without a browser: the demo looks real (a distinct, decodable drawing for each object and
place; coherent dates; no duplicate in an exhibition; real captions; rights as labels), the memorial
wall links names only where consent opens a page, testimony cards carry their duration."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse
from PIL import Image, ImageChops, ImageStat

from archive import vocabularies
from archive.models import Item
from archive.templatetags.public_site import rights_label
from exhibitions.models import Exhibition
from media_pipeline import demo
from media_pipeline.demo_drawings import OBJECTS, SCENES
from memorial.management.commands.seed_demo import event_year
from tests.factories import ItemFactory, RemembranceDayFactory

pytestmark = pytest.mark.django_db


def test_every_demo_object_and_place_has_its_own_picture():
    pictures = {}
    for subject in OBJECTS + SCENES:
        data = demo.photo(seed=7, width=480, height=320, orientation=1, subject=subject)
        pictures[subject] = Image.open(io.BytesIO(data)).convert("L").resize((96, 64))  # real JPEG decoding
    names = list(pictures)
    for k, a in enumerate(names):
        for b in names[k + 1:]:
            difference = ImageStat.Stat(ImageChops.difference(pictures[a], pictures[b])).mean[0]
            assert difference > 6, f"{a} and {b} look alike ({difference:.1f})"


def test_rights_show_as_a_label_whether_written_with_http_or_https():
    assert rights_label("https://creativecommons.org/licenses/by-nc-nd/4.0/") == str(dict(vocabularies.RIGHTS_STATEMENTS)[
        "http://creativecommons.org/licenses/by-nc-nd/4.0/"])
    assert rights_label("http://rightsstatements.org/vocab/InC/1.0") == "In Copyright"
    assert rights_label("https://example.org/my-licence") == "https://example.org/my-licence"  # unknown: as given


@pytest.fixture
def seeded(settings, fresh_storage):
    call_command("seed_demo", "--no-media", stdout=io.StringIO())


def test_demo_dates_follow_their_event(seeded):
    for item in Item.objects.select_related("event"):
        year = event_year(item.event.slug)
        assert item.date_start.year >= year, (item.title, item.date_start, year)
        if item.kind == Item.Kind.PHOTOGRAPH:  # "a year later", as the titles say
            assert item.date_start.year == year + 1 and "{place}" not in item.title["en"]


def test_demo_exhibitions_hold_each_memory_once_with_real_captions(seeded):
    labels = dict(vocabularies.RIGHTS_STATEMENTS)
    assert all(item.rights in labels for item in Item.objects.all())
    for exhibition in Exhibition.objects.filter(entries__isnull=False).distinct():
        entries = list(exhibition.entries.select_related("item"))
        titles = Counter(e.item.title.get("en") for e in entries)
        assert max(titles.values()) == 1, titles
        assert all(not e.caption["en"].startswith("Entry ") and len(e.caption["en"]) > 30 for e in entries)
        assert exhibition.introduction.get("en") and exhibition.sections.count() >= 1
        assert all(e.section_id for e in entries)


def test_memorial_wall_links_a_name_only_where_consent_opens_a_page(client):
    day = RemembranceDayFactory(slug="wall-day")
    linked = ItemFactory(consent={"scopes": ["web", "memorial_wall"], "name_display": "full", "display_name": "Ana Linked"})
    ItemFactory(consent={"scopes": ["memorial_wall"], "name_display": "full", "display_name": "Bo Unlinked"})
    html = client.get(reverse("remembrance-day", args=[day.slug])).content.decode()
    assert f'href="{reverse("item-detail", args=[linked.pk])}"><bdi>Ana Linked</bdi></a>' in html
    assert "<bdi>Bo Unlinked</bdi>" in html and "Bo Unlinked</bdi></a>" not in html
    assert "chose to be named" in html  # the wall says who is named


def test_testimony_cards_show_their_duration(client, fresh_storage, settings):
    from tests.site.media import make_testimony

    settings.SITE_URL = "http://testserver"
    make_testimony(title={"en": "A card with a duration (synthetic)"})
    html = client.get(reverse("home")).content.decode()
    assert 'class="card card--testimony"' in html and 'class="card__duration"' in html


ERROR_HEADINGS = {"en": ("This page is not here", "Something went wrong on our side")}


@pytest.mark.parametrize("lang", ["ar", "zh-hans", "en", "fr", "ru", "es"])
def test_404_and_500_pages_are_styled_in_six_languages(client, settings, lang):
    from django.test import RequestFactory
    from django.utils import translation
    from django.views.defaults import server_error

    settings.DEBUG = False
    not_found = client.get(f"/{lang}/no-such-page/")
    assert not_found.status_code == 404
    html = not_found.content.decode()
    with translation.override(lang):
        failed = server_error(RequestFactory().get(f"/{lang}/")).content.decode()
        from django.utils.translation import gettext
        expected = (gettext("This page is not here"), gettext("Something went wrong on our side"))
    if lang != "en":
        assert expected != ERROR_HEADINGS["en"]  # translated, not left in English
    assert f"<h1 id=\"error-heading\">{expected[0]}</h1>" in html and "css/site.css" in html
    assert f"<h1 id=\"error-heading\">{expected[1]}</h1>" in failed and "css/site.css" in failed
    assert f'lang="{lang}"' in failed

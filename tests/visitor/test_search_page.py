"""The search page a visitor can steer: facets that keep their other values, chips and "clear all",
years in order, labels in the visitor's language (CLDR countries, content warnings), dates in each
language's CLDR form, user text isolated with <bdi>, no timings; the home page's remembrance day."""

import re
from datetime import date

import pytest

from archive.search import get_backend
from tests.factories import ItemFactory
from tests.search.helpers import corpus, documents

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def items():
    items = corpus()
    get_backend().index(documents(items))
    return items


def _facet_values(html: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="([^"]+)"', html)


def test_a_chosen_value_keeps_the_facets_other_values_and_gets_a_chip(client, items):
    html = client.get("/en/search/", {"country": "XA"}).content.decode()
    assert set(_facet_values(html, "country")) == {"XA", "XB", "XC"}
    assert 'name="country" value="XA" checked' in html
    chip = re.search(r'<a class="chip" href="([^"]+)">Country: <bdi>([^<]+)</bdi>', html)
    assert chip and chip.group(2) == "Fictional place XA"
    assert chip.group(1) == "/en/search/"  # removing the only filter
    html = client.get("/en/search/", {"q": "synthetic", "country": ["XA", "XB"], "kind": "testimony",
                                      "page": "1"}).content.decode()
    removes = dict(re.findall(r'<a class="chip" href="([^"]+)">[^<]*<bdi>([^<]+)</bdi>', html))
    assert len(removes) == 3
    removal = next(href for href, label in removes.items() if label == "Fictional place XB")
    assert "country=XA" in removal and "country=XB" not in removal and "kind=testimony" in removal
    assert "page=" not in removal
    clear = re.search(r'<a class="chips-clear" href="([^"]+)">Clear all filters</a>', html)
    assert clear and clear.group(1).replace("&amp;", "&") == "?q=synthetic"


def test_years_and_decades_in_time_order(client, items):
    html = client.get("/en/search/").content.decode()
    assert _facet_values(html, "decade") == ["1990", "2000", "2010"]
    years = _facet_values(html, "year")
    assert years == sorted(years, key=int) and len(years) == 5


def test_no_timing_shown_to_visitors(client, items):
    response = client.get("/en/search/", {"q": "synthetic"})
    html = response.content.decode()
    assert response.status_code == 200 and 'class="search-results"' in html and "result" in html
    assert not re.search(r"\bin [\d.]+ ms\b", html) and "search-timing" not in html


@pytest.mark.parametrize(("lang", "france", "violence"), [("ar", "فرنسا", "عنف"), ("zh-hans", "法国", "暴力")])
def test_country_and_warning_labels_in_arabic_and_chinese(client, lang, france, violence):
    item = ItemFactory(title={"en": "A synthetic lantern"}, country="FR", content_warnings=["violence"])
    get_backend().index(documents({"lantern": item}))
    html = client.get(f"/{lang}/search/").content.decode()
    assert re.search(rf'name="country" value="FR"[^>]*> <bdi>{france}</bdi>', html), html[:200]
    warning = re.search(r'class="content-warning"><strong>[^<]+</strong> ([^<]+)</p>', html)
    assert warning and violence in warning.group(1) and "violence" not in warning.group(1)


def test_dates_in_cldr_form_and_names_isolated(client):
    item = ItemFactory(title={"en": "A synthetic lantern"}, date_start=date(2011, 8, 21), date_text="",
                       consent={"name_display": "initials", "display_name": "Nadia Synthetic"})
    get_backend().index(documents({"lantern": item}))
    ar = client.get("/ar/search/").content.decode()
    assert "<bdi>N. S.</bdi>" in ar
    assert "<bdi>21 أغسطس 2011</bdi>" in ar
    zh = client.get("/zh-hans/search/").content.decode()
    assert "<bdi>2011年8月21日</bdi>" in zh and "2011-08-21<" not in zh


def test_home_page_remembrance_day_in_cldr_form(client):
    from exhibitions.models import RemembranceDay

    RemembranceDay.objects.create(slug="victims-of-terrorism", month=8, day=21,
                                  name={"en": "International Day of Remembrance"})
    zh = client.get("/zh-hans/").content.decode()
    assert "8月21日" in zh and "21 八月" not in zh
    ar = client.get("/ar/").content.decode()
    assert "21 أغسطس" in ar


@pytest.mark.parametrize("value", ["\u00b2", "99999999999999999999", "-", "1e3"])
@pytest.mark.parametrize("facet", ["year", "decade"])
def test_a_year_that_is_no_year_matches_nothing_and_never_crashes(client, items, facet, value):
    for path in ("/en/search/", "/api/search/"):
        response = client.get(path, {facet: value})
        assert response.status_code == 200, (path, facet, value)

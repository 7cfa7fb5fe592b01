"""Feeds carry contributor text as text: cut first, then escaped, never HTML of user text."""

import html
import xml.etree.ElementTree as ET

import pytest

from tests.factories import ItemFactory
from tests.security.hostile import MARKUP_STORY, MARKUP_TITLE, TAGS

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _no_markup(text: str, what: str) -> None:
    for tag in TAGS:
        assert tag not in text, (what, tag, text[:200])


@pytest.fixture
def hostile_item():
    return ItemFactory(title={"en": MARKUP_TITLE}, summary={}, story={"en": MARKUP_STORY})


def test_rss_description_and_title_are_escaped_text(client, hostile_item):
    response = client.get("/en/feeds/items/")
    assert response.status_code == 200
    item = ET.fromstring(response.content).find("channel/item")
    description = item.findtext("description")
    # What a reader gets after XML decoding is HTML that shows the story's own characters.
    _no_markup(description, "description")
    assert "<" not in description
    assert html.unescape(description) == MARKUP_STORY[:500]
    _no_markup(item.findtext("title"), "title")
    assert html.unescape(item.findtext("title")) == MARKUP_TITLE


def test_atom_summary_is_escaped_and_title_is_text(client, hostile_item):
    response = client.get("/en/feeds/items.atom")
    assert response.status_code == 200
    entry = ET.fromstring(response.content).find(f"{ATOM}entry")
    summary = entry.find(f"{ATOM}summary")
    _no_markup(summary.text, "summary")
    assert html.unescape(summary.text) == MARKUP_STORY[:500]
    title = entry.find(f"{ATOM}title")
    assert title.get("type", "text") == "text"  # Atom text: readers never parse it as HTML
    assert title.text == MARKUP_TITLE

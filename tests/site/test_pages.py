"""Public pages: every page type answers, consent decides what appears, languages and fallbacks."""

import uuid

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from archive.models import Item
from tests.factories import ExhibitionFactory, ItemFactory, RemembranceDayFactory

pytestmark = pytest.mark.django_db


def url(name, *args, lang="en"):
    with translation.override(lang):
        return reverse(name, args=args)


@pytest.mark.parametrize("lang", ["en", "ar", "zh-hans", "fr", "ru", "es"])
def test_home_about_support_answer_in_every_language(client, lang):
    RemembranceDayFactory()
    ExhibitionFactory(title={"en": "Objects that remember", "fr": "Objets qui se souviennent"}, featured=True)
    for name in ("home", "about", "support", "contribute"):
        response = client.get(url(name, lang=lang))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html
        # The switcher links the same page in every language.
        for other in ("ar", "zh-hans", "en", "fr", "ru", "es"):
            assert f'href="{url(name, lang=other)}" hreflang="{other}"' in html


def test_home_shows_next_remembrance_day_and_featured_exhibition(client):
    RemembranceDayFactory(name={"en": "Day of Remembrance (synthetic)"})
    ExhibitionFactory(title={"en": "Featured synthetic exhibition"}, featured=True)
    html = client.get(url("home")).content.decode()
    assert "Day of Remembrance (synthetic)" in html
    assert "Featured synthetic exhibition" in html
    assert 'role="search"' in html


def test_item_page_shows_story_metadata_citation_and_support(client):
    item = ItemFactory(title={"en": "A synthetic lantern"}, story={"en": "The lantern story, synthetic."},
                       consent={"name_display": "full", "display_name": "Alex Example"})
    response = client.get(url("item-detail", item.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "A synthetic lantern" in html and "The lantern story, synthetic." in html
    assert "How to cite" in html and "Alex Example" in html
    assert url("support") in html


def test_item_page_names_follow_consent(client):
    initials = ItemFactory(consent={"name_display": "initials", "display_name": "Alex Example"})
    anonymous = ItemFactory(consent={"name_display": "anonymous", "display_name": "Alex Example"})
    html = client.get(url("item-detail", initials.pk)).content.decode()
    assert "A. E." in html and "Alex Example" not in html
    html = client.get(url("item-detail", anonymous.pk)).content.decode()
    assert "Alex Example" not in html and "An anonymous contributor" in html


@pytest.mark.parametrize("consent,status", [
    ({"scopes": ["search", "iiif", "exhibition"]}, 404),  # everything but the web
    ({"withdrawn": True}, 404),
    ({"scopes": ["web"]}, 200),
])
def test_item_page_respects_consent(client, consent, status):
    item = ItemFactory(consent=consent)
    assert client.get(url("item-detail", item.pk)).status_code == status


def test_unpublished_and_unknown_items_404(client):
    item = ItemFactory(status=Item.Status.SUBMITTED)
    assert client.get(url("item-detail", item.pk)).status_code == 404
    assert client.get(url("item-detail", uuid.uuid4())).status_code == 404


def test_content_warning_gate_is_passed_by_choice_without_javascript_or_session(client):
    item = ItemFactory(content_warnings=["violence"], story={"en": "Behind the gate, synthetic."})
    first = client.get(url("item-detail", item.pk)).content.decode()
    assert "Before you continue" in first and "Behind the gate" not in first
    # The choice is a plain GET form (no state changes, so no CSRF token and nothing remembered).
    assert 'method="get"' in first and 'name="shown" value="1"' in first and "csrfmiddlewaretoken" not in first
    shown = client.get(url("item-detail", item.pk) + "?shown=1")
    html = shown.content.decode()
    assert "Behind the gate, synthetic." in html and "Before you continue" not in html
    assert f'rel="canonical" href="http://testserver{url("item-detail", item.pk)}"' in html
    assert settings.SESSION_COOKIE_NAME not in client.cookies and not shown.cookies
    # Asked again on the next visit from a link: nothing about the choice was kept.
    assert "Before you continue" in client.get(url("item-detail", item.pk)).content.decode()
    # Another site's link cannot skip the warning (the browser says where the navigation comes from).
    for site in ("cross-site", "same-site"):
        response = client.get(url("item-detail", item.pk) + "?shown=1", HTTP_SEC_FETCH_SITE=site)
        assert response.status_code == 302 and response["Location"] == url("item-detail", item.pk)
    for site in ("same-origin", "none"):
        page = client.get(url("item-detail", item.pk) + "?shown=1", HTTP_SEC_FETCH_SITE=site).content.decode()
        assert "Behind the gate, synthetic." in page
    # The parameter opens nothing consent does not: an item the web may not show stays a 404.
    hidden = ItemFactory(content_warnings=["violence"], consent={"scopes": ["search"]})
    assert client.get(url("item-detail", hidden.pk) + "?shown=1").status_code == 404


def test_fallback_language_is_marked_honestly(client):
    item = ItemFactory(title={"en": "Only in English"}, story={"en": "English story."}, summary={})
    html = client.get(url("item-detail", item.pk, lang="ar")).content.decode()
    assert 'lang="en" dir="ltr">Only in English' in html
    assert "<html lang=\"ar\" dir=\"rtl\">" in html
    # The fallback notice is shown (in Arabic once translated; its marker class is stable).
    assert "notice--fallback" in html
    html = client.get(url("item-detail", item.pk, lang="en")).content.decode()
    assert "notice--fallback" not in html


def test_item_page_links_iiif_only_when_consent_allows(client):
    shared = ItemFactory(consent={"scopes": ["web", "iiif"]})
    private = ItemFactory(consent={"scopes": ["web"]})
    manifest = reverse("iiif:manifest", args=[str(shared.pk)])
    assert f"http://testserver{manifest}" in client.get(url("item-detail", shared.pk)).content.decode()
    html = client.get(url("item-detail", private.pk)).content.decode()
    assert "/manifest" not in html and "Open in a IIIF viewer" not in html


def test_item_page_query_count_is_bounded(client, django_assert_max_num_queries):
    item = ItemFactory()
    with django_assert_max_num_queries(12):
        assert client.get(url("item-detail", item.pk)).status_code == 200


def test_lists_show_blurred_thumbnails_for_items_with_warnings(client):
    from media_pipeline import services as media
    from tests.site.media import make_photo

    warned = make_photo(title={"en": "A warned photograph (synthetic)"}, content_warnings=["injury"])
    calm = make_photo(title={"en": "A calm photograph (synthetic)"})
    warned_urls = media.public_urls(warned.media.get().asset)
    calm_urls = media.public_urls(calm.media.get().asset)
    html = client.get(url("home")).content.decode()
    assert warned_urls["thumb_blurred"] in html and warned_urls["thumb"] not in html
    assert calm_urls["thumb"] in html
    assert "Blurred preview: this item has a content warning" in html
    assert 'loading="lazy"' in html

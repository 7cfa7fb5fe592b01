"""Share cards (exhibitions/kit/cards.py): one 1200×630 image per exhibition, remembrance day and
language, drawn only from consented pictures with no content warning, redrawn when consent changes."""

import io
import re

import pytest
import pyvips
from django.conf import settings
from PIL import Image

from archive import services
from archive.models import SURFACES, Item, ItemMedia
from exhibitions.kit import cards
from media_pipeline import storage
from tests.factories import ExhibitionEntryFactory, ExhibitionFactory, ItemFactory, RemembranceDayFactory
from tests.iiif.media import ready

pytestmark = pytest.mark.django_db

LANGS = [code for code, _name in settings.LANGUAGES]
RED, BLUE, PAPER = (200, 30, 30), (30, 60, 200), cards.PAPER


def coloured_photo(colour, **item_kwargs):
    buf = io.BytesIO()
    Image.new("RGB", (800, 600), colour).save(buf, "JPEG", quality=95)
    item = ItemFactory(kind=Item.Kind.PHOTOGRAPH, **item_kwargs)
    use = ItemMedia.objects.create(item=item, asset=ready(buf.getvalue(), "photo.jpg"), role=ItemMedia.Role.PHOTO)
    return item, use


def picture_colour(client, kind, slug, lang="en"):
    """The mean colour where a card's picture goes (the end of the reading direction), and the card."""
    response = client.get(f"/cards/{kind}/{slug}/{lang}.jpg")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    card = pyvips.Image.new_from_buffer(response.content, "")
    assert (card.width, card.height) == (1200, 630)
    left = 0 if lang == "ar" else 1200 - cards.PICTURE_WIDTH
    region = card.crop(left + 100, 200, cards.PICTURE_WIDTH - 200, 230)
    return tuple(round(region.extract_band(b).avg()) for b in range(3)), card


def near(a, b, tolerance=25):
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def test_every_exhibition_day_and_language_has_a_card(client, fresh_storage):
    day = RemembranceDayFactory(description={"en": "A day to remember, synthetic."})
    with_picture = ExhibitionFactory(remembrance_day=day, summary={"en": "Synthetic summary"})
    ExhibitionEntryFactory(exhibition=with_picture, item=coloured_photo(RED)[0])
    text_only = ExhibitionFactory(title={"en": "Words only", "ar": "كلمات فقط"})
    ExhibitionEntryFactory(exhibition=text_only)
    for lang in LANGS:
        assert near(picture_colour(client, "exhibition", with_picture.slug, lang)[0], RED), lang
        assert near(picture_colour(client, "exhibition", text_only.slug, lang)[0], PAPER), lang
        assert near(picture_colour(client, "day", day.slug, lang)[0], RED), lang
        picture_colour(client, "site", cards.SITE_SLUG, lang)
    stored = storage.walk(storage.private(), "cards")
    assert len(stored) == 4 * len(LANGS)
    # Asked again, a card is read, not drawn: nothing new is stored.
    picture_colour(client, "exhibition", with_picture.slug, "ar")
    assert storage.walk(storage.private(), "cards") == stored


def test_no_card_uses_an_item_with_a_content_warning(client, fresh_storage):
    warned, warned_use = coloured_photo(BLUE, content_warnings=["injury"])
    calm, _use = coloured_photo(RED)
    exhibition = ExhibitionFactory(cover=warned_use)  # even the curator's chosen cover
    ExhibitionEntryFactory(exhibition=exhibition, item=warned, position=0)
    ExhibitionEntryFactory(exhibition=exhibition, item=calm, position=1)
    only_warned = ExhibitionFactory(cover=warned_use)
    ExhibitionEntryFactory(exhibition=only_warned, item=warned)
    for lang in ("en", "ar"):
        assert cards.inputs("exhibition", exhibition.slug, lang).picture.item == calm
        assert near(picture_colour(client, "exhibition", exhibition.slug, lang)[0], RED)
        assert cards.inputs("exhibition", only_warned.slug, lang).picture is None
        assert near(picture_colour(client, "exhibition", only_warned.slug, lang)[0], PAPER)


def test_a_withdrawn_picture_leaves_the_card(client, fresh_storage, django_capture_on_commit_callbacks):
    item, use = coloured_photo(RED)
    exhibition = ExhibitionFactory(cover=use)
    ExhibitionEntryFactory(exhibition=exhibition, item=item)
    assert near(picture_colour(client, "exhibition", exhibition.slug)[0], RED)
    before = storage.walk(storage.private(), "cards")
    assert len(before) == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.record_consent(item, scopes=[], withdrawn=True, actor_label="test")
    # The share-card surface deleted the stored card with the consent change's propagation.
    assert storage.walk(storage.private(), "cards") == []
    assert near(picture_colour(client, "exhibition", exhibition.slug)[0], PAPER)


def test_a_narrowed_consent_changes_the_card_at_once(client, fresh_storage):
    """Without propagation having run: the generation moved on, so the inputs are read again."""
    item, _use = coloured_photo(RED)
    exhibition = ExhibitionFactory()
    ExhibitionEntryFactory(exhibition=exhibition, item=item)
    assert near(picture_colour(client, "exhibition", exhibition.slug, "fr")[0], RED)
    services.record_consent(item, scopes=[s for s in SURFACES if s != "exhibition"], propagate=False,
                            actor_label="test")
    assert near(picture_colour(client, "exhibition", exhibition.slug, "fr")[0], PAPER)
    assert len(storage.walk(storage.private(), "cards")) == 1  # the old card deleted when redrawn


def test_unknown_or_unpublished_subjects_have_no_card(client):
    draft = ExhibitionFactory(status="draft")
    for path in (f"/cards/exhibition/{draft.slug}/en.jpg", "/cards/exhibition/nothing/en.jpg",
                 "/cards/day/nothing/en.jpg", "/cards/site/other/en.jpg", "/cards/item/x/en.jpg",
                 f"/cards/exhibition/{ExhibitionFactory().slug}/xx.jpg"):
        assert client.get(path).status_code == 404, path


def _meta(html, key):
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    return found.group(1) if found else None


def test_pages_carry_open_graph_and_twitter_tags(client):
    day = RemembranceDayFactory()
    exhibition = ExhibitionFactory(title={"en": "Objects", "ar": "أشياء"}, summary={"en": "Kept things"})
    site = settings.SITE_URL.rstrip("/")
    html = client.get(f"/ar/exhibitions/{exhibition.slug}/").text
    assert _meta(html, "og:image") == f"{site}/cards/exhibition/{exhibition.slug}/ar.jpg"
    assert _meta(html, "twitter:image") == _meta(html, "og:image")
    assert _meta(html, "og:title") == "أشياء" and _meta(html, "twitter:card") == "summary_large_image"
    assert _meta(html, "og:url") == f"{site}/ar/exhibitions/{exhibition.slug}/"
    html = client.get(f"/en/remembrance/{day.slug}/").text
    assert _meta(html, "og:image") == f"{site}/cards/day/{day.slug}/en.jpg"
    html = client.get("/fr/").text
    assert _meta(html, "og:image") == f"{site}/cards/site/{cards.SITE_SLUG}/fr.jpg"
    assert _meta(html, "og:url") is None  # never a private link's address on other pages
    preview = client.get(f"/en/preview/exhibition/{exhibition.preview_token}/").text
    assert f"/cards/exhibition/{exhibition.slug}/" not in preview

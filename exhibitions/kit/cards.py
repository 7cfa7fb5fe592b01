"""Share cards: the Open Graph / Twitter image (1200×630) of an exhibition or a remembrance day, in
each language.

A card shows a picture only through the consent policy (the `exhibition` scope, the media not
excluded) and never one of an item behind a content warning: a card travels to feeds where no
warning can gate it. Text is drawn by libvips through Pango, which shapes Arabic right to left and
falls back across the Noto faces (Debian's fonts-noto-core and fonts-noto-cjk, the families the
site self-hosts as subsets).

Cards are kept in private storage under a digest of their inputs (`cards/<kind>/<slug>/<lang>-
<digest>.jpg`); which digest is current is remembered per generation (archive/generation.py), so
any committed write recomputes the inputs once, and a changed input draws a new card and deletes
the old one. The share-card surface also deletes an item's cards when its consent changes.
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass
from datetime import date, datetime

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from archive import consent, generation
from archive.i18n import pick
from archive.models import ItemMedia
from archive.search import labels
from exhibitions import selectors
from exhibitions.models import Exhibition, ExhibitionEntry, RemembranceDay
from media_pipeline import storage

WIDTH, HEIGHT = 1200, 630
PICTURE_WIDTH = 520
STYLE = "1"  # part of the digest: a change of layout draws every card again
KINDS = ("exhibition", "day", "site")
SITE_SLUG = "memories"
INK, PAPER, GOLD = "#f1ede4", (35, 39, 44), "#e6b85c"
# Pango falls back through these for a character the first lacks (Latin, Cyrillic, Arabic, CJK).
FAMILIES = "Noto Serif, Noto Naskh Arabic, Noto Serif CJK SC"
FIRST_FAMILY = {"ar": "Noto Naskh Arabic", "zh-hans": "Noto Serif CJK SC"}


class CardNotFound(LookupError):
    pass


@dataclass(frozen=True)
class CardInputs:
    kind: str
    slug: str
    lang: str
    kicker: str
    title: str
    subtitle: str
    picture: ItemMedia | None

    def digest(self) -> str:
        asset = self.picture.asset if self.picture else None
        parts = [STYLE, self.kind, self.slug, self.lang, self.kicker, self.title, self.subtitle,
                 asset.pk if asset else None, asset.derivatives.get("web_jpeg") if asset else None,
                 asset.updated_at.isoformat() if asset else None]
        return hashlib.sha256(json.dumps(parts, ensure_ascii=False, default=str).encode()).hexdigest()[:20]


def shareable_picture(media: ItemMedia | None, at: datetime | None = None) -> ItemMedia | None:
    """`media` if a card may show it: a photograph whose item consent places in exhibitions, not
    excluded, with no content warning, processed (a web-sized JPEG exists)."""
    if media is None or media.role != ItemMedia.Role.PHOTO or media.item.content_warnings:
        return None
    if not consent.media_allowed(media.item, media, "exhibition", at):
        return None
    return media if "web_jpeg" in (media.asset.derivatives or {}) else None


def exhibition_picture(exhibition: Exhibition, at: datetime | None = None) -> ItemMedia | None:
    """The cover where a card may show it, else the first entry's picture that may be shown."""
    cover = selectors.cover_media(exhibition, at)
    found = shareable_picture(cover, at)
    if found:
        return found
    for public in selectors.public_entries(exhibition, at):
        found = shareable_picture(public.media, at)
        if found:
            return found
    return None


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def inputs(kind: str, slug: str, lang: str, at: datetime | None = None) -> CardInputs:
    """What the card of (kind, slug) in `lang` shows now; CardNotFound for an unknown or unpublished one."""
    with translation.override(lang):
        if kind == "exhibition":
            try:
                exhibition = selectors.live_exhibition(slug, at)
            except Exhibition.DoesNotExist:
                raise CardNotFound(slug) from None
            return CardInputs(kind, slug, lang, _("An exhibition"), pick(exhibition.title, lang).text,
                              _shorten(pick(exhibition.summary, lang).text, 160),
                              exhibition_picture(exhibition, at))
        if kind == "day":
            try:
                day = selectors.remembrance_day(slug)
            except RemembranceDay.DoesNotExist:
                raise CardNotFound(slug) from None
            when = labels.day_and_month(date(2000, day.month, day.day), lang)
            picture = next(filter(None, (exhibition_picture(e, at) for e in selectors.day_exhibitions(day, at))), None)
            return CardInputs(kind, slug, lang, _("Remembrance day") + " · " + when, pick(day.name, lang).text,
                              _shorten(pick(day.description, lang).text, 160), picture)
        if kind == "site" and slug == SITE_SLUG:
            return CardInputs(kind, slug, lang, _("Memories"), _("Memories archive"),
                              _("An archive of remembrance for victims and survivors of terrorism."), None)
    raise CardNotFound(kind)


# --- Drawing ------------------------------------------------------------------------------------


def _text(markup: str, size: int, width: int, lang: str, bold: bool = False):
    import pyvips

    family = FIRST_FAMILY.get(lang, "Noto Serif") + ", " + FAMILIES
    font = f"{family} {'Bold ' if bold else ''}{size}"
    rtl = translation.get_language_info(lang)["bidi"]
    return pyvips.Image.text(markup, font=font, width=width, rgba=True, dpi=72, wrap="word-char",
                             align="high" if rtl else "low", justify=False)


def _span(text: str, colour: str) -> str:
    return f'<span foreground="{colour}">{html.escape(text)}</span>'


def draw(card: CardInputs) -> bytes:
    """The card as a JPEG: the picture on the reading side's end, text on its start."""
    import pyvips

    rtl = translation.get_language_info(card.lang)["bidi"]
    canvas = pyvips.Image.black(WIDTH, HEIGHT, bands=3).new_from_image(list(PAPER)).copy(interpretation="srgb")
    text_width = WIDTH - 120 - (PICTURE_WIDTH if card.picture else 0)
    text_x = 60 + (PICTURE_WIDTH if card.picture and rtl else 0)
    if card.picture:
        data = storage.read_bytes(storage.private(), card.picture.asset.derivatives["web_jpeg"])
        picture = pyvips.Image.thumbnail_buffer(data, PICTURE_WIDTH, height=HEIGHT, crop="centre")
        canvas = canvas.insert(picture.colourspace("srgb").extract_band(0, n=3),
                               0 if rtl else WIDTH - PICTURE_WIDTH, 0)
    y = 64
    for text, colour, size, bold, gap in (
        (card.kicker, GOLD, 26, True, 28),
        (card.title, INK, 54, True, 32),
        (card.subtitle, "#cfc8bb", 28, False, 0),
    ):
        if not text.strip() or y > HEIGHT - 140:
            continue
        block = _text(_span(text, colour), size, text_width, card.lang, bold)
        block = block.crop(0, 0, block.width, min(block.height, HEIGHT - 110 - y))
        x = text_x + (text_width - block.width if rtl else 0)
        canvas = canvas.composite2(block, "over", x=x, y=y).flatten()
        y += block.height + gap
    with translation.override(card.lang):
        brand = _text(_span(_("Memories") + " · " + _("an archive of remembrance"), GOLD), 24, text_width, card.lang)
    x = text_x + (text_width - brand.width if rtl else 0)
    canvas = canvas.composite2(brand, "over", x=x, y=HEIGHT - 60 - brand.height).flatten()
    return canvas.jpegsave_buffer(Q=84, strip=True, optimize_coding=True)


# --- Cache --------------------------------------------------------------------------------------


def _prefix(kind: str, slug: str) -> str:
    return f"cards/{kind}/{slug}"


def _key(kind: str, slug: str, lang: str, digest: str) -> str:
    return f"{_prefix(kind, slug)}/{lang}-{digest}.jpg"


def _boundary(kind: str, slug: str, at: datetime) -> datetime | None:
    """The next moment at which time alone (an exhibition window, an embargo's end, an expiry)
    may change the card: a remembered digest must not outlive it, as no write marks it."""
    shown = Exhibition.objects.filter(slug=slug) if kind == "exhibition" else \
        Exhibition.objects.filter(remembrance_day__slug=slug)
    moments = [t for e in shown for t in (e.publish_at, e.unpublish_at) if t and t > at]
    found = consent.next_boundary_in(ExhibitionEntry.objects.filter(exhibition__in=shown), at, prefix="item__")
    return min([*moments, found] if found else moments, default=None)


def current(kind: str, slug: str, lang: str) -> tuple[CardInputs | None, str]:
    """The digest of the card as it should be now, remembered per generation (until the next time
    boundary); the inputs too when they had to be read."""
    now = timezone.now()
    memo = f"share-card:{generation.current_token()}:{kind}:{slug}:{lang}"
    remembered = cache.get(memo)
    if remembered and (remembered[1] is None or remembered[1] > now):
        return None, remembered[0]
    card = inputs(kind, slug, lang, now)
    cache.set(memo, (card.digest(), _boundary(kind, slug, now)), 3600)
    return card, card.digest()


def image(kind: str, slug: str, lang: str) -> bytes:
    """The card's JPEG bytes, drawn when its inputs changed (the previous one deleted)."""
    card, digest = current(kind, slug, lang)
    private = storage.private()
    key = _key(kind, slug, lang, digest)
    if storage.exists(private, key):
        return storage.read_bytes(private, key)
    card = card or inputs(kind, slug, lang)
    key = _key(kind, slug, lang, card.digest())
    data = draw(card)
    for old in storage.walk(private, _prefix(kind, slug)):
        if old.rsplit("/", 1)[-1].startswith(f"{lang}-"):
            storage.delete(private, old)
    storage.put_bytes(private, key, data)
    return data


def drop_for_item(item) -> int:
    """Delete every stored card that may show one of the item's pictures (its exhibitions' and
    their remembrance days'); they are drawn again, without it, when next asked for."""
    exhibitions = Exhibition.objects.filter(Q(entries__item=item) | Q(cover__item=item)).select_related("remembrance_day")
    private, dropped = storage.private(), 0
    for exhibition in exhibitions.distinct():
        dropped += storage.delete_prefix(private, _prefix("exhibition", exhibition.slug))
        if exhibition.remembrance_day_id:
            dropped += storage.delete_prefix(private, _prefix("day", exhibition.remembrance_day.slug))
    return dropped

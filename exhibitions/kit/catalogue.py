"""The printed catalogue of an exhibition: a PDF drawn by WeasyPrint from what consent allows in an
exhibition at the moment of printing.

Entries come through the public selectors (the `exhibition` scope, media the consent does not
exclude), names through `consent.shown_name`. Paper cannot gate a picture behind a content
warning, so a warned memory is printed with its warning and without its picture. The print date
and a sentence saying the catalogue reflects consent on that date are on the cover and the
credits page: a later printing may differ, and must be made again rather than copied.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation

from archive.i18n import Localised, pick
from archive.models import ItemMedia
from archive.search import labels
from exhibitions import selectors
from exhibitions.kit.cards import shareable_picture
from exhibitions.models import Exhibition
from media_pipeline import storage

EXCERPT_CHARACTERS = 700


@dataclass
class CatalogueEntry:
    title: Localised
    caption: Localised
    excerpt: Localised
    name: str  # as consent displays it; '' for anonymous
    date_text: str
    place: str
    picture: str  # a data: URL, '' for none
    alt: str
    warnings: list[str]
    rights: str


def _excerpt(text: str) -> str:
    text = text.strip()
    if len(text) <= EXCERPT_CHARACTERS:
        return text
    return text[:EXCERPT_CHARACTERS].rsplit(" ", 1)[0] + "…"


def _data_url(media: ItemMedia | None) -> str:
    """The media's web-sized JPEG (a video's poster) inline: the PDF must not depend on public URLs."""
    derivatives = (media.asset.derivatives or {}) if media is not None else {}
    key = derivatives.get("web_jpeg") or derivatives.get("poster")
    if not key:
        return ""
    data = storage.read_bytes(storage.private(), key)
    return "data:image/jpeg;base64," + base64.b64encode(data).decode()


def _entry(public: selectors.PublicEntry, lang: str) -> CatalogueEntry:
    item = public.item
    warned = bool(item.content_warnings)
    story = pick(item.story, lang)
    if not story.text:
        story = pick(item.summary, lang)
    media = public.media if public.media is not None and public.media.role != ItemMedia.Role.TRANSCRIPT else None
    return CatalogueEntry(
        title=pick(item.title, lang), caption=pick(public.caption, lang),
        excerpt=Localised(_excerpt(story.text), story.lang, story.is_fallback),
        name=public.credit, date_text=public.date_text, place=item.place,
        picture="" if warned else _data_url(media),
        alt=pick(media.alt_text, lang).text if media is not None else "",
        warnings=[labels.content_warning_label(k) for k in item.content_warnings or []],
        rights=item.rights,
    )


def context(exhibition: Exhibition, lang: str, at: datetime | None = None) -> dict:
    """Everything the catalogue shows, as consent allows it in an exhibition at `at` (now)."""
    at = at or timezone.now()
    with translation.override(lang):
        shown, loose_public = selectors.shown_sections(exhibition, selectors.public_entries(exhibition, at))
        sections = [(pick(section.title, lang), pick(section.text, lang), [_entry(p, lang) for p in group])
                    for section, group in shown]
        loose = [_entry(p, lang) for p in loose_public]
        if loose:
            sections.append((Localised("", lang, False), Localised("", lang, False), loose))
        cover = shareable_picture(selectors.cover_media(exhibition, at), at)
        day = exhibition.remembrance_day
        return {
            "lang": lang, "rtl": translation.get_language_info(lang)["bidi"], "exhibition": exhibition,
            "title": pick(exhibition.title, lang), "summary": pick(exhibition.summary, lang),
            "introduction": pick(exhibition.introduction, lang), "cover": _data_url(cover),
            "day": pick(day.name, lang) if day else None,
            "printed": labels.long_date(timezone.localtime(at).date(), lang), "printed_at": at,
            "sections": [s for s in sections if s[2] or s[0].text or s[1].text],
            "entries": [e for s in sections for e in s[2]],
        }


def render(exhibition: Exhibition, lang: str, at: datetime | None = None) -> bytes:
    """The catalogue as PDF bytes."""
    from weasyprint import HTML

    with translation.override(lang):
        html = render_to_string("exhibitions/kit/catalogue.html", context(exhibition, lang, at))
    return HTML(string=html).write_pdf()


def filename(exhibition: Exhibition, lang: str, at: datetime | None = None) -> str:
    moment = timezone.localtime(at or timezone.now())
    return f"catalogue-{exhibition.slug}-{lang}-{moment:%Y-%m-%d}.pdf"


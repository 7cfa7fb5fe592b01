"""The kiosk of an exhibition: what it shows, and the signed manifest it re-confirms consent with.

A kiosk in a room may lose its network for hours. It shows only entries listed in the newest
manifest it holds, and only while that manifest's confirmation is younger than the exhibition's
`kiosk_confirm_seconds`; online, it fetches a new one every KIOSK_RESYNC_SECONDS and drops what
left it from its screen and its cache (static/js/kiosk.js, static/js/kiosk-sw.js). The manifest is
signed (django.core.signing) with the moment it was confirmed: the kiosk sends it back on its next
synchronisation, so the curator sees what each kiosk held and since when.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from archive import consent
from archive.i18n import Localised, pick
from archive.models import ItemMedia
from archive.search import labels
from exhibitions import selectors
from exhibitions.iiif.common import media_urls
from exhibitions.models import Exhibition, KioskSync

SALT = "exhibitions.kiosk.manifest"
KIOSK_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
MAX_KIOSKS = 200  # rows kept per exhibition: a stranger's script cannot fill the table
STATIC_FILES = ("css/kiosk.css", "js/kiosk.js", "fonts/noto-serif-latin.woff2", "fonts/noto-serif-cyrillic.woff2",
                "fonts/noto-naskh-arabic.woff2")
EXCERPT = 600


@dataclass
class KioskEntry:
    id: int
    title: Localised
    caption: Localised
    excerpt: Localised
    credit: str
    date_text: str
    warnings: list[str]
    image: str = ""  # the sharp picture ('' when none)
    blurred: str = ""  # what stands behind a content-warning gate
    alt: str = ""
    recording: dict | None = None  # {"kind": "audio"|"video", "src": ..., "poster": ...}
    captions: list[dict] = field(default_factory=list)  # [{"src", "lang"}]
    # The curator's headings and texts that come just before this memory: [(title, text)]. They
    # travel on its slide, so a memory the kiosk drops offline takes them with it.
    prelude: list[tuple[Localised, Localised]] = field(default_factory=list)

    @property
    def urls(self) -> list[str]:
        """Every file the kiosk caches for this entry."""
        found = [self.image, self.blurred, *(c["src"] for c in self.captions)]
        if self.recording:
            found += [self.recording["src"], self.recording.get("poster", "")]
        return [u for u in found if u]


def _recording(media: ItemMedia, allowed: list[ItemMedia]) -> tuple[dict | None, list[dict]]:
    urls = media_urls(media.asset)
    kind = "video" if urls.get("video") else "audio" if urls.get("audio") else ""
    if not kind:
        return None, []
    captions = [{"src": media_urls(t.asset).get("vtt", ""), "lang": t.language or "en"}
                for t in allowed if t.role == ItemMedia.Role.TRANSCRIPT and t.transcribes_id == media.pk]
    return {"kind": kind, "src": urls[kind], "poster": urls.get("poster", "")}, [c for c in captions if c["src"]]


def _entry(public: selectors.PublicEntry, lang: str, at: datetime) -> KioskEntry:
    item = public.item
    story = pick(item.story, lang) if pick(item.story, lang).text else pick(item.summary, lang)
    text = story.text if len(story.text) <= EXCERPT else story.text[:EXCERPT].rsplit(" ", 1)[0] + "…"
    entry = KioskEntry(
        id=public.entry.pk, title=pick(item.title, lang), caption=pick(public.caption, lang),
        excerpt=Localised(text, story.lang, story.is_fallback), credit=public.credit,
        date_text=public.date_text, warnings=[labels.content_warning_label(k) for k in item.content_warnings or []],
    )
    media = public.media
    if media is None:
        return entry
    urls = media_urls(media.asset)
    entry.alt = pick(media.alt_text, lang).text
    if media.role == ItemMedia.Role.PHOTO:
        entry.image = urls.get("web") or urls.get("web_jpeg", "")
        entry.blurred = urls.get("thumb_blurred", "") if item.content_warnings else ""
    elif media.role == ItemMedia.Role.RECORDING:
        entry.recording, entry.captions = _recording(media, consent.allowed_media(item, "exhibition", at))
    return entry


def entries(exhibition: Exhibition, lang: str, at: datetime | None = None) -> list[KioskEntry]:
    """The kiosk's memories in the exhibition page's order, as consent allows them in an exhibition,
    each with the narrative that comes before it (the text after the last memory is the page's
    alone: a kiosk has no end, it goes back to the start)."""
    at = at or timezone.now()
    with translation.override(lang):
        sections, loose = selectors.shown_sections(exhibition, selectors.public_entries(exhibition, at))
        out = []
        for before, public in selectors.narrated(sections, loose)[0]:
            entry = _entry(public, lang, at)
            entry.prelude = [(pick(s.title, lang), pick(s.text, lang)) for s in before]
            out.append(entry)
        return out


def page_urls(exhibition: Exhibition) -> list[str]:
    """The kiosk's page in every language (each is cached for offline language switching)."""
    urls = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            urls.append(reverse("kiosk", args=[exhibition.slug]))
    return urls


def manifest(exhibition: Exhibition, at: datetime | None = None) -> dict:
    """The exhibition's entries now, confirmed at `at`, signed; with what the kiosk must cache."""
    at = at or timezone.now()
    shown = entries(exhibition, settings.LANGUAGE_CODE, at)
    payload = {"exhibition": exhibition.slug, "confirmed_at": at.isoformat(), "entries": [e.id for e in shown]}
    return {
        **payload,
        "token": signing.dumps(payload, salt=SALT, compress=True),
        "limit_seconds": exhibition.kiosk_confirm_seconds,
        "resync_seconds": settings.KIOSK_RESYNC_SECONDS,
        "pages": page_urls(exhibition),
        "files": sorted({static(path) for path in STATIC_FILES} | {u for e in shown for u in e.urls}),
    }


def held_since(exhibition: Exhibition, token: str) -> datetime | None:
    """When the manifest a kiosk sends back was confirmed (None: none, or not ours for this exhibition)."""
    try:
        payload = signing.loads(token or "", salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("exhibition") != exhibition.slug:
        return None
    return parse_datetime(str(payload.get("confirmed_at", "")))


def record_sync(exhibition: Exhibition, kiosk_id: str, language: str, token: str, count: int,
                at: datetime) -> bool:
    """Note the kiosk's synchronisation for curators; False when the id is not a kiosk id."""
    if not KIOSK_ID.match(kiosk_id or ""):
        return False
    rows = KioskSync.objects.filter(exhibition=exhibition)
    values = {"language": language[:10], "synced_at": at, "entries": count,
              "held_since": held_since(exhibition, token)}
    if rows.filter(kiosk_id=kiosk_id).update(**values):
        return True
    if rows.count() >= MAX_KIOSKS:
        return False
    try:
        with transaction.atomic():
            KioskSync.objects.create(exhibition=exhibition, kiosk_id=kiosk_id, **values)
    except IntegrityError:  # the same kiosk's other request got there first
        rows.filter(kiosk_id=kiosk_id).update(**values)
    return True


def kiosks(exhibition: Exhibition) -> list[KioskSync]:
    return list(exhibition.kiosk_syncs.all()[:MAX_KIOSKS])


class KioskLimitError(ValueError):
    pass


LIMIT_MINUTES = (1, 7 * 24 * 60)


def set_confirm_limit(exhibition: Exhibition, minutes: int, *, actor) -> None:
    """The curator's limit: past it, a kiosk that could not synchronise hides the exhibition's entries."""
    from django.utils.translation import gettext as _

    from archive import audit

    if not LIMIT_MINUTES[0] <= minutes <= LIMIT_MINUTES[1]:
        raise KioskLimitError(_("Choose between 1 minute and 7 days (10,080 minutes)."))
    with transaction.atomic():
        before = exhibition.kiosk_confirm_seconds
        Exhibition.objects.filter(pk=exhibition.pk).update(kiosk_confirm_seconds=minutes * 60)
        exhibition.kiosk_confirm_seconds = minutes * 60
        audit.record("exhibition.kiosk_limit", actor=actor, target=f"exhibition:{exhibition.slug}",
                     before={"kiosk_confirm_seconds": before}, after={"kiosk_confirm_seconds": minutes * 60})

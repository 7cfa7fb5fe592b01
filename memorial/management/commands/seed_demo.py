"""manage.py seed_demo: synthetic, idempotent demo content (no real people).

At least 40 items over three kinds, in several languages including Arabic, consent in every state,
three live exhibitions (one for 21 August) and one scheduled for next year's remembrance day.
A second run finds everything in place and changes nothing.
"""

from __future__ import annotations

import io
import uuid
from datetime import UTC, date, datetime, timedelta

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from archive import services
from archive.models import SURFACES, Contributor, Event, Item, ItemMedia, Subject
from archive.tasks import propagate_consent
from exhibitions.models import Exhibition, ExhibitionEntry, ExhibitionSection, RemembranceDay
from memorial import demo_content as content

NAMESPACE = uuid.UUID("6f1c3a52-4b7e-4c55-9a71-3f0b8f5d2a10")
ITEM_COUNT = 42

# Consent states, cycled over the items so that every rule is visible in the demo.
CONSENT_STATES = [
    ("full", {"scopes": list(SURFACES), "name_display": "full"}),
    ("initials", {"scopes": list(SURFACES), "name_display": "initials"}),
    ("pseudonym", {"scopes": ["web", "search", "exhibition", "iiif"], "name_display": "pseudonym"}),
    ("partial", {"scopes": ["web", "exhibition"], "name_display": "anonymous"}),
    ("full-anonymous", {"scopes": list(SURFACES), "name_display": "anonymous"}),
    ("embargoed", {"scopes": list(SURFACES), "name_display": "full",
                   "embargo_until": datetime(2030, 1, 1, tzinfo=UTC)}),
    ("expired", {"scopes": list(SURFACES), "name_display": "full",
                 "expires_at": datetime(2026, 1, 1, tzinfo=UTC)}),
    ("withdrawn", {"scopes": list(SURFACES), "name_display": "full"}),
    ("full", {"scopes": list(SURFACES), "name_display": "full"}),
    ("pending", {"scopes": list(SURFACES), "name_display": "initials"}),
]


def event_year(slug: str) -> int:
    return int(slug.rsplit("-", 1)[1])


def item_year(kind: str, event_slug: str, i: int) -> int:
    """Coherent dates: an object dates from the day itself, the photographs of the square from a
    year later (as their titles say), a testimony from one to six years after; never before the event."""
    year = event_year(event_slug)
    if kind == Item.Kind.PHOTOGRAPH:
        return year + 1
    if kind == Item.Kind.TESTIMONY:
        return min(year + 1 + i % 6, 2025)
    return year


def demo_id(*parts: object) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts))


class Command(BaseCommand):
    help = "Load synthetic demo content (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--no-media", action="store_true", help="Skip generating photos and recordings.")

    def handle(self, *args, no_media: bool = False, **options):
        if Item.objects.filter(pk=demo_id("item", ITEM_COUNT - 1)).exists():
            self.stdout.write("Demo content already loaded.")
            return
        with transaction.atomic():
            events = self._events()
            subjects = self._subjects()
            items = [self._item(i, events, subjects, with_media=not no_media) for i in range(ITEM_COUNT)]
            self._exhibitions(items)
            self._curator()
        # Carry every item's state to every surface now (search index, IIIF change stream, exhibition
        # flags), as a worker would after a real consent change, so the demo is complete at once.
        for item in items:
            if item.current_consent_id:
                propagate_consent.call(str(item.pk), item.current_consent_id)
        self.stdout.write(self.style.SUCCESS(f"Loaded {len(items)} demo items and {len(content.EXHIBITIONS)} exhibitions."))

    def _events(self) -> list[Event]:
        return [
            Event.objects.get_or_create(slug=slug, defaults={"name": name, "country": country, "place": place})[0]
            for slug, name, country, place in content.EVENTS
        ]

    def _subjects(self) -> list[Subject]:
        return [Subject.objects.get_or_create(slug=slug, defaults={"label": label})[0] for slug, label in content.SUBJECTS]

    def _item(self, i: int, events, subjects, with_media: bool) -> Item:
        pk = demo_id("item", i)
        existing = Item.objects.filter(pk=pk).first()
        if existing:
            return existing
        kind = [Item.Kind.OBJECT_STORY, Item.Kind.PHOTOGRAPH, Item.Kind.TESTIMONY][i % 3]
        # Each kind spreads over the three events; an object belongs to the event its story tells of.
        event = events[(i // 3) % len(events)]
        if kind == Item.Kind.OBJECT_STORY:
            slug = content.OBJECT_EVENTS[i % len(content.OBJECTS)]
            event = next(e for e in events if e.slug == slug)
        given, family = content.GIVEN_NAMES[i % len(content.GIVEN_NAMES)], content.FAMILY_NAMES[i % len(content.FAMILY_NAMES)]
        contributor = Contributor.objects.create(
            name=f"{given} {family}", contact_email=f"{given.lower()}.{i}@example.org",
            relationship=list(Contributor.Relationship.values)[i % 5],
        )
        if kind == Item.Kind.OBJECT_STORY:
            title, story = content.OBJECTS[i % len(content.OBJECTS)]
            summary = {"en": "An object kept since that day."}
        elif kind == Item.Kind.PHOTOGRAPH:
            moment = content.PHOTO_MOMENTS[i % len(content.PHOTO_MOMENTS)]
            title = {lang: text.format(place=event.place) for lang, text in moment.items()}
            story = {"en": "Flowers and candles left by neighbours, a year after the attack. "
                           "(Synthetic image drawn for the demo.)"}
            summary = {"en": "A photograph of the memorial site."}
        else:
            lang, lines = content.TESTIMONY_LINES[i % len(content.TESTIMONY_LINES)]
            title = {lang: lines[0], "en": f"Testimony {i}: what I remember"}
            story = {lang: " ".join(lines)}
            summary = {"en": "A recorded testimony with a transcript."}
        state, consent = CONSENT_STATES[i % len(CONSENT_STATES)]
        year = item_year(kind, event.slug, i)
        item = Item.objects.create(
            id=pk, kind=kind, title=title, story=story, summary=summary,
            original_language=next(iter(story)), event=event, place=event.place, country=event.country,
            date_start=date(year, 1 + i % 12, 1), date_text=str(year),
            date_approximate=kind != Item.Kind.OBJECT_STORY,
            content_warnings=["violence"] if i % 7 == 0 else [],
            # URIs exactly as in archive.vocabularies, so every page shows their label.
            rights="http://rightsstatements.org/vocab/InC/1.0/" if i % 2 else "http://creativecommons.org/licenses/by-nc-nd/4.0/",
            contributor=contributor,
            status=Item.Status.SUBMITTED if state == "pending" else Item.Status.PUBLISHED,
            published_at=None if state == "pending" else timezone.now() - timedelta(days=100 - i),
        )
        item.subjects.set([subjects[i % len(subjects)], subjects[(i + 1) % len(subjects)]])
        display = "Quiet Harbour" if consent["name_display"] == "pseudonym" else f"{given} {family}"
        services.record_consent(item, method="demo", actor_label="seed_demo", propagate=False,
                                display_name=display, **consent)
        if state == "withdrawn":
            services.record_consent(item, scopes=[], withdrawn=True, method="demo", actor_label="seed_demo",
                                    propagate=False, display_name=display)
        if with_media:
            attach_demo_media(item, i)
        return item

    def _exhibitions(self, items: list[Item]) -> None:
        august, _ = RemembranceDay.objects.get_or_create(
            slug="21-august",
            defaults={"name": {"en": "International Day of Remembrance of and Tribute to the Victims of Terrorism",
                               "fr": "Journée internationale du souvenir, en hommage aux victimes du terrorisme",
                               "ar": "اليوم الدولي لإحياء ذكرى ضحايا الإرهاب وتكريمهم",
                               "es": "Día Internacional de Conmemoración y Homenaje a las Víctimas del Terrorismo",
                               "ru": "Международный день памяти и поминовения жертв терроризма",
                               "zh-hans": "恐怖主义受害者国际纪念和致敬日"},
                      "month": 8, "day": 21},
        )
        now = timezone.now()
        last_august = datetime(now.year if (now.month, now.day) >= (8, 21) else now.year - 1, 8, 21, tzinfo=UTC)
        for n, spec in enumerate(content.EXHIBITIONS):
            exhibition, created = Exhibition.objects.get_or_create(
                slug=spec["slug"],
                defaults={"title": spec["title"], "summary": spec["summary"], "status": Exhibition.Status.PUBLISHED,
                          "featured": spec["featured"], "publish_at": last_august if spec["day"] else None,
                          "remembrance_day": august if spec["day"] else None},
            )
            if created:
                self._fill(exhibition, spec, [it for it in items if it.kind == KINDS[n]])
        # Next year's remembrance-day exhibition: scheduled, invisible until then.
        Exhibition.objects.get_or_create(
            slug="next-remembrance-day",
            defaults={"title": {"en": "Next remembrance day (scheduled)", "ar": "يوم الذكرى القادم (مجدول)"},
                      "status": Exhibition.Status.PUBLISHED, "remembrance_day": august,
                      "publish_at": last_august.replace(year=last_august.year + 1)},
        )

    def _fill(self, exhibition: Exhibition, spec: dict, candidates: list[Item]) -> None:
        """Introduction, sections with narrative text, cover, and entries with real captions: each
        item once, and each object once (the demo cycles seven objects over fourteen stories)."""
        exhibition.introduction = spec.get("introduction", {})
        sections = [ExhibitionSection.objects.create(exhibition=exhibition, position=k, title=title, text=text)
                    for k, (title, text) in enumerate(spec.get("sections", []))]
        chosen, titles = [], set()
        for item in candidates:
            key = item.title.get("en")
            if key not in titles and len(chosen) < 12:
                titles.add(key)
                chosen.append(item)
        for pos, item in enumerate(chosen):
            section = sections[pos * len(sections) // len(chosen)] if sections else None
            ExhibitionEntry.objects.create(exhibition=exhibition, item=item, position=pos, section=section,
                                           caption=caption(item))
        cover = ItemMedia.objects.filter(item__in=[c for c in chosen if not c.content_warnings],
                                         role=ItemMedia.Role.PHOTO).order_by("item__exhibition_entries__position").first()
        exhibition.cover = cover
        exhibition.save(update_fields=["introduction", "cover"])

    def _curator(self) -> None:
        # Groups and one synthetic account per role (demo-curator / memories-demo-curator, ...).
        call_command("setup_roles", stdout=self.stdout)
        self._researcher()

    def _researcher(self) -> None:
        """A synthetic researcher (demo-researcher / memories-demo-researcher) whose application the
        demo archivist approved for a year; only where the demo accounts exist (DEBUG)."""
        from django.contrib.auth import get_user_model

        from archive.research import services as research

        User = get_user_model()
        archivist = User.objects.filter(username="demo-archivist").first()
        if archivist is None or User.objects.filter(username="demo-researcher").exists():
            return
        user = User.objects.create_user("demo-researcher", email="demo-researcher@example.org",
                                        password="memories-demo-researcher")
        access = research.apply(user, institution="Institute of Synthetic Memory Studies",
                                purpose="How survivors describe the first hour (demo).", agreement_accepted=True)
        research.approve(access, actor=archivist, expires_at=timezone.now() + timedelta(days=365))


KINDS = {0: Item.Kind.OBJECT_STORY, 1: Item.Kind.TESTIMONY, 2: Item.Kind.PHOTOGRAPH}


def caption(item: Item) -> dict:
    """A curator's caption for the demo: what the entry is, where and when, in two languages."""
    place, year = item.place, item.date_text
    if item.kind == Item.Kind.OBJECT_STORY:
        return {"en": f"Kept since {year}, after the attack in {place}. Lent to the archive by the family.",
                "fr": f"Gardé depuis {year}, après l'attentat de {place}. Prêté à l'archive par la famille."}
    if item.kind == Item.Kind.TESTIMONY:
        return {"en": f"Recorded in {year}, about the attack in {place}. The transcript follows the recording.",
                "fr": f"Enregistré en {year}, au sujet de l'attentat de {place}."}
    return {"en": f"{place}, {year}: flowers and candles left a year after the attack.",
            "fr": f"{place}, {year} : des fleurs et des bougies, un an après l'attentat."}


def _subject(item: Item, i: int, n: int) -> tuple[str, dict]:
    """What the demo picture shows and its alt text: the object itself, or the place of the event."""
    if item.kind == Item.Kind.OBJECT_STORY:
        subject = content.OBJECT_SUBJECTS[i % len(content.OBJECT_SUBJECTS)]
        return subject, content.OBJECT_ALT[subject]
    scene = content.EVENT_SCENES.get(item.event.slug if item.event_id else "", "square") if n == 0 else "wall"
    return scene, content.SCENE_ALT[scene]


def attach_demo_media(item: Item, i: int) -> None:
    """Photos (with GPS EXIF, so stripping is exercised), recordings and WebVTT transcripts."""
    # Processed here, synchronously, so that the demo is complete when the command ends; published
    # only where the consent policy allows the web surface.
    from archive import consent
    from media_pipeline import demo
    from media_pipeline import services as media

    def take(data: bytes, name: str):
        asset = media.intake(io.BytesIO(data), name)
        return media.process(asset)

    assets = []
    if item.kind in (Item.Kind.PHOTOGRAPH, Item.Kind.OBJECT_STORY):
        count = 1 + i % 2 if item.kind == Item.Kind.PHOTOGRAPH else 1
        for n in range(count):
            subject, alt = _subject(item, i, n)
            asset = take(demo.photo(seed=i * 10 + n, orientation=6 if (i + n) % 2 == 0 else 1, subject=subject),
                         f"demo-{i}-{n}.jpg")
            ItemMedia.objects.create(item=item, asset=asset, role=ItemMedia.Role.PHOTO, position=n, alt_text=alt,
                                     language="en")
            assets.append(asset)
    else:
        lang = item.original_language if item.original_language in item.story else next(iter(item.story), "en")
        lines = demo.sentences(item.story.get(lang, ""))
        video = i % 4 == 2  # mostly audio, now and then a tiny video
        rec = take(demo.recording(len(lines), video=video), f"demo-{i}.{'mp4' if video else 'm4a'}")
        recording = ItemMedia.objects.create(item=item, asset=rec, role=ItemMedia.Role.RECORDING, position=0,
                                             language=lang)
        vtt = take(demo.webvtt(lines), f"demo-{i}.vtt")
        ItemMedia.objects.create(item=item, asset=vtt, role=ItemMedia.Role.TRANSCRIPT, position=1, language=lang,
                                 transcribes=recording)
        assets += [rec, vtt]
    if consent.allows(item, "web"):
        for asset in assets:
            media.publish(asset)

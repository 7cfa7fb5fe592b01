"""A synthetic archive of N items, made quickly and kept between runs (bench/scale.py uses it).

    .venv/bin/python bench/scale_data.py 100000      # make (or find) the archive of 100,000 items

Bulk inserts straight into the tables, no media pipeline: items (90 % published, 1 % waiting for
review), one consent version each (scopes and name display varied; a few embargoed or expiring),
their search documents (the text of bench/search.py: Zipf-distributed words in six languages, a
fifth with transcripts) through the database search backend's own bulk `index()`, one audit event
and one Change Discovery activity per item, one exhibition of 200 entries on a remembrance day.

The database is a SQLite file under var/bench/scale-<N>-g<GENERATOR>/ (MEMORIES_VAR_DIR): a run
with the same N reuses it after `migrate` brings its schema up to date (new indexes are built on
the kept rows, as they would be on a real archive); a change to the generator (GENERATOR) makes it
again. Everything is synthetic; no real person or event.
"""

from __future__ import annotations

import os
import random
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

BATCH = 5000
WALL_SLUG, EXHIBITION_SLUG = "21-august", "objects-that-remember"


# Bump when the generator makes different rows: a kept archive is then made again.
GENERATOR = 1


def var_dir(n: int) -> Path:
    return ROOT / "var" / "bench" / f"scale-{n}-g{GENERATOR}"


def setup(n: int) -> Path:
    """Point Django at the archive of `n` items (before django.setup()); returns its folder."""
    folder = var_dir(n)
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["MEMORIES_VAR_DIR"] = str(folder)
    for name in ("DATABASE_URL", "ELASTICSEARCH_URL", "S3_PUBLIC_BUCKET", "REDIS_URL"):
        os.environ.pop(name, None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "memorial.settings")
    os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")
    os.environ["OTP_REQUIRED_FOR_STAFF"] = "false"  # the benchmark's curator has no phone
    os.environ["PAGE_CACHE_ENABLED"] = "false"  # server time of the page itself, not of a cached copy
    return folder


def ready_marker(folder: Path) -> Path:
    return folder / "ready"


def _consent_fields(rng: random.Random, now: datetime) -> dict:
    roll = rng.random()
    scopes = {f"scope_{s}": True for s in ("web", "search", "exhibition", "iiif", "memorial_wall")}
    if roll < 0.10:
        scopes["scope_memorial_wall"] = False
    elif roll < 0.15:
        scopes["scope_iiif"] = False
    display = rng.choice(("full", "initials", "pseudonym", "anonymous"))
    fields = {**scopes, "name_display": display,
              "display_name": "" if display == "anonymous" else f"Synthetic Person {rng.randrange(10**6)}"}
    if rng.random() < 0.01:
        fields["embargo_until"] = now + timedelta(days=rng.randint(1, 3000))
    if rng.random() < 0.01:
        fields["expires_at"] = now + timedelta(days=rng.randint(1, 3000))
    return fields


def _rows(start: int, count: int, rng, vocab, now):
    from search import sentence  # bench/search.py: the same synthetic language as the search benchmark

    from archive.models import ConsentVersion, Item

    items, consents, raws = [], [], []
    for i in range(start, start + count):
        pk = uuid.UUID(int=(i + 1) | (4 << 76) | (0x8 << 60))  # version-4 shaped, deterministic
        lang = rng.choice(("en", "fr", "es", "ru", "ar", "zh-hans"))
        title = {lang: sentence(rng, vocab, lang, rng.randint(3, 7))}
        summary = {lang: sentence(rng, vocab, lang, rng.randint(12, 25))}
        story = {lang: sentence(rng, vocab, lang, rng.randint(30, 70))}
        year = rng.randint(1970, 2025)
        status = Item.Status.SUBMITTED if i % 100 == 7 else (Item.Status.PUBLISHED if i % 10 else Item.Status.REJECTED)
        published = now - timedelta(seconds=(start + count - i) * 30) if status == Item.Status.PUBLISHED else None
        items.append(Item(id=pk, kind=rng.choice(list(Item.Kind.values)), status=status, title=title,
                          summary=summary, story=story, original_language=lang.split("-")[0],
                          date_start=date(year, rng.randint(1, 12), 1), published_at=published))
        consents.append(ConsentVersion(item_id=pk, number=1, **_consent_fields(rng, now)))
        if status == Item.Status.PUBLISHED:
            raws.append((pk, lang, title, summary, story, year, i))
    return items, consents, raws


def _documents(raws, rng, vocab, events) -> list[dict]:
    from search import prepare, sentence

    docs = []
    for pk, lang, title, summary, story, year, i in raws:
        cues = ([{"start": 5.0 * k, "end": 5.0 * k + 4.5, "text": sentence(rng, vocab, lang, 10), "media_id": i}
                 for k in range(rng.randint(6, 12))] if i % 5 == 0 else [])
        docs.append(prepare({
            "id": str(pk), "kind": rng.choice(("testimony", "photograph", "object_story")), "title": title,
            "summary": summary, "story": story, "original_language": lang, "name": "", "relationship": "",
            "place": "", "country": rng.choice(("XA", "XB", "XC", "XD")), "date_text": "",
            "date": date(year, 1, 1).isoformat(), "year": year, "decade": year // 10 * 10,
            "event": rng.choice(events) if rng.random() < 0.7 else "", "event_name": {}, "subjects": [],
            "content_warnings": ["violence"] if rng.random() < 0.15 else [], "languages": [lang],
            "exhibitions": [], "cues": cues, "published_at": None, "embargo_until": None, "expires_at": None,
        }))
    return docs


def _extras(n: int, now: datetime) -> None:
    """One exhibition of 200 entries on a remembrance day, a curator, and the Generation row."""
    from django.contrib.auth import get_user_model

    from archive.curator.roles import setup_roles
    from archive.models import Item
    from exhibitions.models import Exhibition, ExhibitionEntry, RemembranceDay

    setup_roles(demo_users=False)
    user = get_user_model().objects.create_superuser("bench-curator", password=None)
    user.is_staff = True
    user.save()
    day = RemembranceDay.objects.create(slug=WALL_SLUG, name={"en": "Day of remembrance (synthetic)"}, month=8, day=21)
    exhibition = Exhibition.objects.create(slug=EXHIBITION_SLUG, title={"en": "Objects that remember"},
                                           status=Exhibition.Status.PUBLISHED, remembrance_day=day,
                                           publish_at=now - timedelta(days=1))
    picked = Item.objects.filter(status=Item.Status.PUBLISHED).order_by("published_at").values_list("pk", flat=True)
    step = max(n // 200, 1)
    ExhibitionEntry.objects.bulk_create(
        [ExhibitionEntry(exhibition=exhibition, item_id=pk, position=k) for k, pk in enumerate(picked[::step][:200])])


def build(n: int, seed: int = 21) -> dict:
    """Make the archive of `n` items in the current database (migrated, empty). Returns timings."""
    from django.db import connection, transaction
    from search import make_vocab

    from archive.models import AuditEvent, ConsentVersion, Event, Item
    from archive.search.database import DatabaseSearchBackend
    from exhibitions.models import Activity

    rng, now = random.Random(seed), datetime.now(UTC).replace(microsecond=0)
    vocab = make_vocab(rng)
    events = [f"synthetic-event-{k}" for k in range(40)]
    Event.objects.bulk_create([Event(slug=e, name={"en": f"Synthetic event {k}"}) for k, e in enumerate(events)])
    backend = DatabaseSearchBackend("default", {})
    times = {"items": 0.0, "search": 0.0}
    for start in range(0, n, BATCH):
        t0 = time.perf_counter()
        items, consents, raws = _rows(start, min(BATCH, n - start), rng, vocab, now)
        with transaction.atomic():
            Item.objects.bulk_create(items, batch_size=1000)
            ConsentVersion.objects.bulk_create(consents, batch_size=1000)
            AuditEvent.objects.bulk_create([AuditEvent(action="item.submitted", actor_label="synthetic",
                                                       item_id_ref=i.pk, target="") for i in items], batch_size=1000)
            Activity.objects.bulk_create([Activity(type=Activity.Type.CREATE, object_path=f"/iiif/item/{r[0]}/manifest",
                                                   object_type="Manifest", item_id_ref=r[0], digest="synthetic",
                                                   end_time=now - timedelta(seconds=n - r[6])) for r in raws],
                                         batch_size=1000)
        t1 = time.perf_counter()
        backend.index(_documents(raws, rng, vocab, events))
        times["items"] += t1 - t0
        times["search"] += time.perf_counter() - t1
        if start and start % 100_000 == 0:
            print(f"  {start:,} items...", flush=True)
    t0 = time.perf_counter()
    with connection.cursor() as cursor:  # the denormalised pointer, in one statement
        # Audit events a second apart, as a log that grew over time (bulk_create stamps one moment).
        cursor.execute("UPDATE archive_auditevent SET at = strftime('%Y-%m-%d %H:%M:%f', 'now', "
                       "'-' || ((SELECT MAX(id) FROM archive_auditevent) - id) || ' seconds')")
        cursor.execute("UPDATE archive_item SET current_consent_id = (SELECT id FROM archive_consentversion c "
                       "WHERE c.item_id = archive_item.id AND c.number = 1)")
        # Publication numbers in publication order, as the migration gives a kept archive's items.
        cursor.execute("UPDATE archive_item SET publication_seq = numbered.n FROM (SELECT id, ROW_NUMBER() "
                       "OVER (ORDER BY published_at, id) AS n FROM archive_item WHERE published_at IS NOT NULL) "
                       "AS numbered WHERE archive_item.id = numbered.id")
        cursor.execute("UPDATE archive_publication_counter SET value = (SELECT COALESCE(MAX(publication_seq), 0) "
                       "FROM archive_item)")
    _extras(n, now)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    times["finish"] = time.perf_counter() - t0
    return times


def ensure(n: int) -> tuple[Path, dict | None]:
    """The archive of `n` items: reused when made before with this schema, made otherwise.
    Call after setup(n) and django.setup()."""
    from django.core.management import call_command

    folder = Path(os.environ["MEMORIES_VAR_DIR"])
    if ready_marker(folder).exists():
        # migrate analyses afterwards (memorial/statistics.py): new indexes get statistics.
        call_command("migrate", verbosity=0)
        return folder, None
    for old in folder.glob("memories.sqlite3*"):
        old.unlink()
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    times = build(n)
    times["total"] = time.perf_counter() - t0
    ready_marker(folder).write_text(repr(times))
    return folder, times


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    setup(n)
    import django

    django.setup()
    folder, times = ensure(n)
    size = sum(p.stat().st_size for p in folder.glob("memories.sqlite3*"))
    print(f"{n:,} items in {folder} ({size / 1e6:,.0f} MB)" + (f"; made in {times['total']:.0f} s "
          f"({n / times['total']:,.0f} items/s; rows {times['items']:.0f} s, search {times['search']:.0f} s)"
          if times else "; reused"))


if __name__ == "__main__":
    main()

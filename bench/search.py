"""Search benchmark: a curve over archive sizes for the database backend (SQLite FTS5, or PostgreSQL).

    .venv/bin/python bench/search.py [--sizes 1000,10000,100000,1000000] [--queries 160] [--json out.json]
    DATABASE_URL=postgres://... .venv/bin/python bench/search.py --sizes 1000,10000,100000

Per size, in a process of its own: the index of N synthetic multilingual documents (en, fr, es,
ru, ar, zh; a fifth with transcripts; words follow Zipf's law over a 20,000-word vocabulary per
language) is built through the backend's rebuild from a stream (no list of N documents), kept
under var/bench/search-<N>-g<GENERATOR>/ on SQLite for later runs, then queried with the nine
facets: single words, prefixes, phrases, Arabic, Chinese, two words, a frequent word and browsing
with no words; a third without filters, a third by kind, a third by decade and has-transcript.
Query words skip the 100 most frequent words of each language (stop words). Prints, per size,
build rate (wall and per CPU-second), index size on disk, peak memory, p50/p95 overall and per
kind with median match counts, how many queries had estimated counts, and the growth between
sizes. `--baseline` also times a naive icontains + GROUP BY query. Synthetic content only.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LANGS = ("en", "fr", "es", "ru", "ar", "zh-hans")
KINDS = ("testimony", "photograph", "object_story")
COUNTRIES = ("XA", "XB", "XC", "XD", "XE", "XF", "XG", "XH")
EVENTS = [f"synthetic-event-{i}" for i in range(40)]
REAL_WORDS = {
    "en": ["watch", "scarf", "station", "umbrella", "letter", "train", "school", "bridge", "market", "lantern", "bell", "clock", "photograph"],
    "fr": ["montre", "écharpe", "gare", "parapluie", "lettre", "école", "pont", "marché", "lanterne", "cloche"],
    "es": ["reloj", "bufanda", "estación", "paraguas", "carta", "escuela", "puente", "mercado", "linterna", "campana"],
    "ru": ["часы", "шарф", "вокзал", "зонт", "письмо", "школа", "мост", "рынок", "фонарь", "колокол"],
    "ar": ["ساعة", "وشاح", "محطة", "مظلة", "رسالة", "مدرسة", "جسر", "سوق", "فانوس", "جرس"],
}
SYLLABLES = {
    "en": ["ka", "lo", "mi", "ten", "ra", "su", "vel", "dor", "an", "bri", "cal", "fen", "gro", "hal", "jun", "kes"],
    "fr": ["la", "mé", "ron", "toi", "é", "pa", "rê", "cou", "vin", "gé", "bel", "fau", "ché"],
    "es": ["ma", "ri", "ño", "ta", "lo", "ca", "be", "ña", "pe", "so", "du", "ga"],
    "ru": ["ка", "ло", "ми", "тен", "ра", "су", "вел", "дор", "ан", "бри", "жа", "щи"],
    "ar": ["كا", "لو", "مي", "تن", "را", "سو", "فل", "در", "أن", "بر", "إي", "آم", "ة"],
}
ZH_CHARS = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后"
            "多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因"
            "由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问")


VOCAB_SIZE = 20_000
STOPWORDS = 100  # the most frequent words; queries skip them, as visitors do


def make_vocab(rng: random.Random) -> dict[str, list[str]]:
    vocab = {}
    for lang, syl in SYLLABLES.items():
        words = set()
        while len(words) < VOCAB_SIZE - len(REAL_WORDS[lang]):
            words.add("".join(rng.choice(syl) for _ in range(rng.randint(2, 5))))
        ordered = sorted(words)
        rng.shuffle(ordered)
        # The real words sit in the middle of the frequency ranking, like content words do.
        vocab[lang] = ordered[:300] + REAL_WORDS[lang] + ordered[300:]
    return vocab


_ZIPF_WEIGHTS = [1 / r for r in range(1, VOCAB_SIZE + 1)]
_ZIPF_CUM = list(itertools.accumulate(_ZIPF_WEIGHTS))


def sentence(rng, vocab, lang: str, n: int) -> str:
    """Words drawn with Zipf's law (frequency ~ 1/rank), as natural language has them."""
    if lang == "zh-hans":
        return "".join(rng.choice(ZH_CHARS) for _ in range(n * 2)) + "。"
    return " ".join(rng.choices(vocab[lang], cum_weights=_ZIPF_CUM, k=n))


def synthetic_raw(n: int, seed: int = 21) -> list[dict]:
    """Raw items as language maps (what build_document reads from the projection)."""
    return list(synthetic_stream(n, seed))


def synthetic_stream(n: int, seed: int = 21) -> Iterator[dict]:
    """The same items one at a time (a million dicts would not fit in memory): the first k items
    are the same whatever n is, so that queries drawn from them find the same words."""
    rng = random.Random(seed)
    vocab = make_vocab(rng)
    for i in range(n):
        lang = rng.choice(LANGS)
        other = rng.choice(LANGS) if rng.random() < 0.3 else None
        title = {lang: sentence(rng, vocab, lang, rng.randint(3, 7))}
        summary = {lang: sentence(rng, vocab, lang, rng.randint(12, 25))}
        story = {lang: sentence(rng, vocab, lang, rng.randint(30, 70))}
        if other and other != lang:
            title[other] = sentence(rng, vocab, other, 4)
        cues = []
        if i % 5 == 0:
            t = 0.0
            for _ in range(rng.randint(6, 12)):
                cues.append({"start": t, "end": t + 4.5, "text": sentence(rng, vocab, lang, 10), "media_id": i})
                t += 5.0
        year = rng.randint(1970, 2025)
        yield {
            "id": f"{i:08d}-0000-4000-8000-{i:012d}", "kind": rng.choice(KINDS), "title": title,
            "summary": summary, "story": story, "original_language": lang, "name": "", "relationship": "",
            "place": "", "country": rng.choice(COUNTRIES), "date_text": "", "date": date(year, rng.randint(1, 12), 1).isoformat(),
            "year": year, "decade": year // 10 * 10, "event": rng.choice(EVENTS) if rng.random() < 0.7 else "",
            "event_name": {}, "subjects": [], "content_warnings": ["violence"] if rng.random() < 0.15 else [],
            "languages": sorted(title), "exhibitions": [f"exhibition-{rng.randint(1, 12)}"] if rng.random() < 0.1 else [],
            "cues": cues, "published_at": None, "embargo_until": None, "expires_at": None,
        }


def prepare(raw: dict) -> dict:
    """The text part of build_document: normalisation, per-language text."""
    from archive.search.normalise import normalise

    doc = dict(raw)
    doc["content_warning"] = bool(raw["content_warnings"])
    doc["has_transcript"] = bool(raw["cues"])
    doc["text"] = {
        "title": normalise(" ".join(raw["title"].values())),
        "body": normalise(" ".join([*raw["summary"].values(), *raw["story"].values()])),
        "transcript": normalise(" ".join(c["text"] for c in raw["cues"])),
    }
    by_language: dict[str, str] = {}
    for field in ("title", "summary", "story"):
        for lang, text in raw[field].items():
            key = lang.split("-")[0]
            by_language[key] = (by_language.get(key, "") + " " + text).strip()
    doc["by_language"] = by_language
    return doc


def make_queries(raw: list[dict], count: int, seed: int = 8) -> list:
    """Query text taken from the documents themselves (so most queries find something), skipping
    the STOPWORDS most frequent words of each language."""
    from archive.search.base import SearchQuery

    rng = random.Random(seed)
    stop = set()
    for words in make_vocab(random.Random(21)).values():
        stop.update(words[:STOPWORDS])

    def content_words(text: str) -> list[str]:
        return [w for w in text.split() if w not in stop] or text.split()

    queries = []
    # "frequent": one of the most frequent words after the stop words (ranks 100-119: a few per cent
    # of the archive matches); "browse": no text, facets only (with the filters of the mix). Both
    # count over a large result set, the case facet counting must survive.
    kinds = ["word", "prefix", "phrase", "arabic", "chinese", "two_words", "frequent", "browse"]
    vocab = make_vocab(random.Random(21))
    by_lang = {lang: [r for r in raw[:20000] if r["original_language"] == lang] for lang in LANGS}
    while len(queries) < count:
        kind = kinds[len(queries) % len(kinds)]
        if kind == "browse":
            text = ""
        elif kind == "frequent":
            text = vocab[rng.choice(("en", "fr", "es", "ru"))][STOPWORDS + rng.randint(0, 19)]
        elif kind == "arabic":
            text = rng.choice(content_words(rng.choice(by_lang["ar"])["story"]["ar"]))
        elif kind == "chinese":
            s = rng.choice(by_lang["zh-hans"])["story"]["zh-hans"]
            start = rng.randint(0, len(s) - 4)
            text = s[start:start + rng.choice((2, 3))]
        else:
            lang = rng.choice(("en", "fr", "es", "ru"))
            words = rng.choice(by_lang[lang])["story"][lang].split()
            i = rng.randint(0, len(words) - 2)
            while words[i] in stop and rng.random() < 0.9:
                i = rng.randint(0, len(words) - 2)
            if kind == "word":
                text = words[i]
            elif kind == "prefix":
                text = words[i][:max(3, len(words[i]) - 2)]
            elif kind == "phrase":
                text = f'"{words[i]} {words[i + 1]}"'
            else:
                text = f"{words[i]} {words[i + 1]}"
        filters = {}
        roll = len(queries) % 3
        if roll == 1:
            filters = {"kind": [rng.choice(KINDS)]}
        elif roll == 2:
            filters = {"decade": [str(rng.choice(range(1970, 2030, 10)))], "has_transcript": ["true"]}
        queries.append((kind, SearchQuery(text=text, filters=filters, page_size=20)))
    return queries


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    s = sorted(samples)
    def p(q):
        return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]
    return p(0.50), p(0.95), p(0.99)


def fmt(samples: list[float]) -> str:
    p50, p95, p99 = percentiles(samples)
    return f"p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   p99 {p99:7.2f} ms   (n={len(samples)})"


def build(backend, items: Iterable[dict], batch: int = 2000) -> tuple[float, float]:
    """A full rebuild through the backend API: start_rebuild, index in batches, finish_rebuild.
    Returns wall seconds and this process's CPU seconds (the machine is shared: both matter)."""
    start, cpu = time.perf_counter(), time.process_time()
    target = backend.start_rebuild()
    items = iter(items)
    while chunk := list(itertools.islice(items, batch)):
        backend.index([prepare(r) for r in chunk], target=target)
    backend.finish_rebuild(target)
    return time.perf_counter() - start, time.process_time() - cpu


def run_queries(fn, queries) -> tuple[list[float], dict[str, list[float]], int]:
    samples, by_kind, hits = [], {}, 0
    found.clear()
    cpu_ms.clear()
    for kind, q in queries:
        t, c = time.perf_counter(), time.process_time()
        total = fn(q)
        ms = (time.perf_counter() - t) * 1000
        cpu_ms.append((time.process_time() - c) * 1000)  # this process's CPU: steadier than wall on a shared machine
        samples.append(ms)
        by_kind.setdefault(kind, []).append(ms)
        hits += 1 if total else 0
        found.setdefault(kind, []).append(total)
    return samples, by_kind, hits


found: dict[str, list[int]] = {}
cpu_ms: list[float] = []


def print_kinds(by_kind: dict[str, list[float]]) -> None:
    for kind, s in by_kind.items():
        totals = sorted(found.get(kind, []))
        print(f"  {kind:10s} {fmt(s)}   matches: median {totals[len(totals) // 2]:,}, max {totals[-1]:,}")


def naive(q) -> int:
    """The baseline: icontains on the same rows' text and ORM GROUP BY counts for the facets."""
    from django.db.models import Count, Q

    from archive.search.models import SearchDocument

    qs = SearchDocument.objects.all()
    for tok in q.parsed.all_tokens():
        qs = qs.filter(Q(title_text__icontains=tok) | Q(body_text__icontains=tok) | Q(transcript_text__icontains=tok))
    for facet, values in q.filters.items():
        if facet == "has_transcript":
            qs = qs.filter(has_transcript=True)
        else:
            qs = qs.filter(**{f"{facet}__in": values})
    total = qs.count()
    list(qs.order_by("id")[:20].values("document"))
    for facet in ("kind", "event", "country", "decade", "year", "has_transcript", "content_warning"):
        list(qs.values(facet).annotate(n=Count("id")))
    return total


# Bump when the generator makes different rows: a kept index is then made again.
GENERATOR = 1
CACHE = ROOT / "var" / "bench"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def index_bytes(connection) -> int:
    """The search table, its indexes and (SQLite) the FTS5 shadow tables, on disk."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size('archive_searchdocument')")
            return int(cursor.fetchone()[0])
        try:
            cursor.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'archive_searchdocument%' "
                           "OR name LIKE 'search\\_%' ESCAPE '\\'")  # and the indexes of migrations 0008-0012
            return int(cursor.fetchone()[0] or 0)
        except Exception:  # dbstat not compiled in: the whole file (the bench keeps nothing else)
            path = Path(connection.settings_dict["NAME"])
            return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def run_size(n: int, args) -> dict:
    """One size in this process: build (or reuse) the index of n items, then time the queries."""
    folder = CACHE / f"search-{n}-g{GENERATOR}"
    pg = bool(os.environ.get("DATABASE_URL"))
    if not pg:  # a SQLite index is kept between runs; PostgreSQL's test database is rebuilt
        folder.mkdir(parents=True, exist_ok=True)
        os.environ["MEMORIES_VAR_DIR"] = str(folder)
    os.environ.pop("ELASTICSEARCH_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "memorial.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from archive.search.database import DatabaseSearchBackend

    call_command("migrate", verbosity=0)
    db = DatabaseSearchBackend("bench", {})
    # PostgreSQL's figures of the build are kept beside SQLite's caches, for a --reuse run on the
    # same server (the build beside other work, then the queries on a quiet machine).
    marker = CACHE / f"search-{n}-g{GENERATOR}-postgresql.json" if pg else folder / "ready"
    if marker.exists() and (not pg or (args.reuse and db.count() == n)):
        built = {**json.loads(marker.read_text()), "reused": True}
    else:
        db.clear()
        load = os.getloadavg()[0]
        seconds, cpu = build(db, synthetic_stream(n))
        built = {"build_s": seconds, "build_cpu_s": cpu, "build_peak_mb": peak_mb(), "build_load": load,
                 "reused": False}
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(json.dumps(built))
    if args.build_only:
        return {"n": n, "vendor": connection.vendor, **built, "index_bytes": index_bytes(connection)}
    queries = make_queries(list(synthetic_stream(min(n, 20_000))), args.queries)
    for _, q in queries[:10]:  # warm caches
        db.search(q)
    approximate = []
    def one(q):
        results = db.search(q)
        approximate.append(results.approximate)
        return results.total
    samples, by_kind, _ = run_queries(one, queries)
    result = {"n": n, "vendor": connection.vendor, **built, "index_bytes": index_bytes(connection),
              "p50": percentiles(samples)[0], "p95": percentiles(samples)[1], "p99": percentiles(samples)[2],
              "cpu_p50": percentiles(cpu_ms)[0], "cpu_p95": percentiles(cpu_ms)[1], "load": os.getloadavg()[0],
              "queries": len(samples), "approximate": sum(approximate), "peak_mb": peak_mb(),
              "kinds": {k: {"p50": percentiles(v)[0], "p95": percentiles(v)[1],
                            "matches": sorted(found[k])[len(found[k]) // 2]} for k, v in by_kind.items()}}
    if args.baseline:
        base, _, _ = run_queries(naive, queries[::10])
        result["baseline_p50"], result["baseline_p95"] = percentiles(base)[:2]
    if connection.vendor == "postgresql":
        result["time_limit"] = time_limit_cost(db, queries)
    return result


def time_limit_cost(db, queries) -> dict:
    """PostgreSQL: the same queries with SEARCH_TIME_LIMIT_MS's statement_timeout (the default) and
    without it (0), alternated query by query in this process, so both see the same machine."""
    from archive.search.database import DatabaseSearchBackend

    unlimited = DatabaseSearchBackend("bench-unlimited", {**db.options, "time_limit_ms": 0})
    with_limit, without = [], []
    for _kind, q in queries:
        for backend, into in ((db, with_limit), (unlimited, without)):
            t = time.perf_counter()
            backend.search(q)
            into.append((time.perf_counter() - t) * 1000)
    return {"limit_ms": db.time_limit_ms, "with_p50": percentiles(with_limit)[0],
            "without_p50": percentiles(without)[0]}


ROWS = (("build, items/s (wall)", lambda r: r["n"] / r["build_s"], "{:>12,.0f}"),
        ("build, items per CPU-s", lambda r: r["n"] / r["build_cpu_s"], "{:>12,.0f}"),
        ("index on disk, MB", lambda r: r["index_bytes"] / 1e6, "{:>12,.1f}"),
        ("peak memory building, MB", lambda r: r["build_peak_mb"], "{:>12,.0f}"),
        ("peak memory querying, MB", lambda r: r["peak_mb"], "{:>12,.0f}"),
        ("queries, 9 facets: p50 ms", lambda r: r["p50"], "{:>12.1f}"),
        ("queries, 9 facets: p95 ms", lambda r: r["p95"], "{:>12.1f}"),
        ("  CPU of the process: p50 ms", lambda r: r["cpu_p50"], "{:>12.1f}"),
        ("  CPU of the process: p95 ms", lambda r: r["cpu_p95"], "{:>12.1f}"),
        ("  load average after queries", lambda r: r["load"], "{:>12.1f}"),
        ("  facets sampled (of n)", lambda r: r["approximate"], "{:>12}"))


def print_curve(results: list[dict]) -> None:
    sizes = [r["n"] for r in results]
    print(f"\n== database backend on {results[0]['vendor']}, {results[0]['queries']} queries per size")
    print(f"{'':32s}" + "".join(f"{n:>12,}" for n in sizes))
    for label, get, form in ROWS:
        print(f"{label:32s}" + "".join(form.format(get(r)) for r in results))
    for kind in results[0]["kinds"]:
        print(f"  {kind + ' p50/p95 ms':30s}" + "".join(
            f"{r['kinds'][kind]['p50']:>6.1f}/{r['kinds'][kind]['p95']:<5.1f}" for r in results))
        print(f"  {kind + ' matches (median)':30s}" + "".join(f"{r['kinds'][kind]['matches']:>12,}" for r in results))
    print("reused: " + ", ".join(f"{r['n']:,} {'yes' if r['reused'] else 'no'}" for r in results))
    print("\ngrowth between sizes (x items in brackets)")
    for label, get, _ in ROWS[:9]:
        steps = [f"x{get(b) / max(get(a), 1e-9):5.2f} [{b['n'] / a['n']:.0f}]" for a, b in zip(results, results[1:], strict=False)]
        print(f"{label:32s}" + "   ".join(steps))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=240)
    parser.add_argument("--baseline", action="store_true", help="also time the naive icontains + GROUP BY query")
    parser.add_argument("--json", help="write every size's figures to this file")
    parser.add_argument("--build-only", action="store_true", help="build (or keep) each size's index, time no query")
    parser.add_argument("--reuse", action="store_true",
                        help="PostgreSQL: keep the index already on the server when it holds N documents")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # one size, in a child process
    args = parser.parse_args()
    if args.one:
        print("RESULT " + json.dumps(run_size(args.one, args)), flush=True)
        return
    results = []
    for n in (int(s) for s in args.sizes.split(",")):
        # A process per size: its peak memory is that size's, and nothing stays cached between sizes.
        child = [sys.executable, __file__, "--one", str(n), "--queries", str(args.queries)]
        child += [flag for flag, on in (("--baseline", args.baseline), ("--build-only", args.build_only),
                                        ("--reuse", args.reuse)) if on]
        out = subprocess.run(child, capture_output=True, text=True)
        line = [x for x in out.stdout.splitlines() if x.startswith("RESULT ")]
        if out.returncode or not line:
            sys.exit(f"size {n} failed:\n{out.stderr[-3000:]}")
        results.append(json.loads(line[0][7:]))
        r = results[-1]
        if args.build_only:
            print(f"{n:,} items: {'kept' if r['reused'] else 'built'} in {r['build_s']:.0f} s ({r['build_cpu_s']:.0f} CPU-s, "
                  f"load {r['build_load']:.1f}), {r['index_bytes'] / 1e6:,.0f} MB, peak {r['build_peak_mb']:.0f} MB", flush=True)
            continue
        print(f"{n:,} items: p95 {r['p95']:.1f} ms ({'reused' if r['reused'] else 'built'})", flush=True)
    if args.build_only:
        return
    print_curve(results)
    for r in results:
        if "time_limit" in r:
            t = r["time_limit"]
            print(f"time limit ({t['limit_ms']} ms) at {r['n']:,}: p50 {t['with_p50']:.2f} ms with, "
                  f"{t['without_p50']:.2f} ms without (x{t['with_p50'] / max(t['without_p50'], 1e-9):.3f})")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    print(f"\nload average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (a shared machine: see CPU figures)")


if __name__ == "__main__":
    main()

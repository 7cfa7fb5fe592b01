"""How the cost of one request grows with the archive: public and curator pages at several sizes.

    .venv/bin/python bench/scale.py                          # 1k, 10k, 100k
    .venv/bin/python bench/scale.py --sizes 1000,10000,100000,1000000 --repeat 7

Each size runs in its own process on its own synthetic archive (bench/scale_data.py: made once in
bulk, then reused from var/bench/ while the migrations are unchanged). Per page it prints the
server time in-process through Django's test client (no network, no page cache: the page itself)
as CPU time of the serving process (SQLite runs in it; far steadier than wall time on a shared
machine), cold (caches cleared) and warm (p50 and p95 of --repeat requests), and the answer's size;
deep pages are the last ones (an offset's worst case) or a keyset cursor near the end. Search runs
20 different words through the search page with its nine facets. Then the growth between
sizes: a time ratio above n·log n's is flagged `!`, and so is any page over 100 ms warm.
Synthetic content only; the machine's load changes the figures (the load average is printed).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

LIMIT_MS = 100.0


def _timed(client, url: str) -> tuple[float, float, int, int]:
    """(CPU ms, wall ms, status, bytes) of one request. CPU time of this process counts the
    server's work including SQLite's (in-process), and little of the other engineers' load."""
    c0, t0 = time.process_time(), time.perf_counter()
    response = client.get(url, HTTP_HOST="127.0.0.1:8000")
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    return (time.process_time() - c0) * 1000, (time.perf_counter() - t0) * 1000, response.status_code, len(body)


def _clear_caches() -> None:
    from django.core.cache import caches

    for alias in caches:
        caches[alias].clear()


def _p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, math.ceil(0.95 * len(values)) - 1)]


def measure(client, url: str, repeat: int) -> dict:
    _clear_caches()
    cold, cold_wall, status, size = _timed(client, url)
    if status != 200:
        raise SystemExit(f"{url} answered {status}")
    runs = [_timed(client, url) for _ in range(repeat)]
    cpu, wall = [r[0] for r in runs], [r[1] for r in runs]
    return {"cold": cold, "cold_wall": cold_wall, "p50": statistics.median(cpu), "p95": _p95(cpu),
            "wall_p50": statistics.median(wall), "bytes": size}


def _pages(n: int) -> dict[str, str]:
    from django.conf import settings
    from scale_data import EXHIBITION_SLUG, WALL_SLUG

    from archive import consent, keyset
    from archive.models import AuditEvent, Item
    from exhibitions.iiif import changes, collections

    item = consent.visible_items("web").order_by("-published_at").first()
    sitemap_last = keyset.numbered_page_count(settings.SITEMAP_PAGE_SIZE)
    # A keyset cursor one and a half pages from the newest activity: a deep page read forwards.
    activity_deep = changes.listed().reverse().values_list("pk", flat=True)[changes.page_size() * 3 // 2:][:1]
    iiif_last = collections.items_page_count()
    queue_deep = Item.objects.filter(status__in=["submitted", "changes_requested"]).order_by("-created_at", "-id") \
        .values_list("pk", flat=True)[60:61]
    audit_deep = AuditEvent.objects.order_by("at", "id").values_list("pk", flat=True)[60:61]
    wall_deep = consent.visible_items("memorial_wall").order_by("-published_at", "-id").values_list("pk", flat=True)[600:601]
    return {
        "home": "/en/",
        "item page": f"/en/items/{item.pk}/",
        "exhibition": f"/en/exhibitions/{EXHIBITION_SLUG}/",
        "memorial wall (first page)": f"/en/remembrance/{WALL_SLUG}/",
        "memorial wall (last page)": f"/en/remembrance/{WALL_SLUG}/?after={next(iter(wall_deep), '')}",
        "feed (RSS)": "/en/feeds/items/",
        "sitemap index": "/sitemap.xml",
        "sitemap (last page)": f"/sitemap-items.xml?p={sitemap_last}",
        "change stream (collection)": "/iiif/activity/all-changes",
        "change stream (last page)": "/iiif/activity/page/last",
        "change stream (deep page)": f"/iiif/activity/page?after={next(iter(activity_deep), '')}",
        "IIIF items collection (top)": "/iiif/collection/items",
        "IIIF items collection (last page)": f"/iiif/collection/items/{iiif_last}",
        "IIIF top collection": "/iiif/collection/top",
        "curator queue (first page)": "/en/curator/queue/",
        "curator queue (deep page)": f"/en/curator/queue/?after={next(iter(queue_deep), '')}",
        "curator audit (first page)": "/en/curator/audit/",
        "curator audit (deep page)": f"/en/curator/audit/?after={next(iter(audit_deep), '')}",
    }


def _search_words(count: int = 20) -> list[str]:
    from archive.search.models import SearchDocument

    rng = random.Random(5)
    words = []
    for title in SearchDocument.objects.order_by("id").values_list("title_text", flat=True)[:400]:
        candidates = [w for w in title.split() if len(w) > 3]
        if candidates:
            words.append(rng.choice(candidates))
    rng.shuffle(words)
    return words[:count]


def one(n: int, repeat: int) -> dict:
    """In a child process: the archive of n items, every page measured."""
    import scale_data

    scale_data.setup(n)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    t0 = time.perf_counter()
    folder, made = scale_data.ensure(n)
    out = {"n": n, "made": made, "ensure_s": time.perf_counter() - t0,
           "db_mb": sum(p.stat().st_size for p in folder.glob("memories.sqlite3*")) / 1e6, "pages": {}}
    client = Client()
    pages = _pages(n)
    # Imports, URL resolvers, templates, IIIF models: once, as a long-running server has them.
    # "Cold" below is an empty cache (IIIF documents, generation), not a process just started.
    client.force_login(get_user_model().objects.get(username="bench-curator"))
    for url in pages.values():
        client.get(url, HTTP_HOST="127.0.0.1:8000")
    client.logout()
    for label, url in pages.items():
        if label.startswith("curator"):
            client.force_login(get_user_model().objects.get(username="bench-curator"))
        out["pages"][label] = measure(client, url, repeat)
        client.logout()
    cpu, wall = [], []
    for word in _search_words():
        _clear_caches()
        c, w, status, _ = _timed(client, f"/en/search/?q={word}")
        cpu.append(c)
        wall.append(w)
    out["pages"]["search, 20 words, nine facets"] = {
        "cold": max(cpu), "cold_wall": max(wall), "p50": statistics.median(cpu), "p95": _p95(cpu),
        "wall_p50": statistics.median(wall), "bytes": 0}
    out["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _growth(before: dict, after: dict) -> float:
    a, b = before["n"], after["n"]
    return (b * math.log(b)) / (a * math.log(a))


def report(results: list[dict]) -> None:
    sizes = [r["n"] for r in results]
    print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; times in ms (server, in-process)")
    for r in results:
        made = (f"made in {r['made']['total']:.0f} s ({r['n'] / r['made']['total']:,.0f} items/s)"
                if r["made"] else "reused")
        print(f"  {r['n']:>9,} items: database {r['db_mb']:,.0f} MB, {made}, peak memory {r['max_rss_mb']:,.0f} MB")
    head = "page".ljust(36) + "".join(f"{n:>30,}" for n in sizes)
    print("\n" + head + "\n" + " " * 36 + "".join(f"{'cold / p50 / p95 / KB':>30}" for _ in sizes))
    for label in results[0]["pages"]:
        cells = []
        for r in results:
            p = r["pages"][label]
            flag = "!" if p["p95"] > LIMIT_MS or p["cold"] > LIMIT_MS else " "
            cells.append(f"{p['cold']:8.1f} /{p['p50']:6.1f} /{p['p95']:6.1f}{flag}/{p['bytes'] / 1024:5.0f}")
        print(label.ljust(36) + "".join(f"{c:>30}" for c in cells))
    print("(CPU ms of the serving process, SQLite in it; wall-clock p50 in the JSON: --json)")
    if len(results) > 1:
        print("\ngrowth of p50 between sizes (n·log n would be the figure in brackets; ! above it)")
        for label in results[0]["pages"]:
            cells = []
            for a, b in zip(results, results[1:], strict=False):
                ratio = b["pages"][label]["p50"] / max(a["pages"][label]["p50"], 1e-6)
                limit = _growth(a, b)
                cells.append(f"x{ratio:5.2f} [{limit:4.1f}]{'!' if ratio > limit else ' '}")
            print(label.ljust(36) + "".join(f"{c:>18}" for c in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", help="also write every figure to this file")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print("RESULT " + json.dumps(one(args.one, args.repeat)), flush=True)
        return
    results = []
    for n in (int(s) for s in args.sizes.split(",")):
        print(f"== {n:,} items", flush=True)
        child = subprocess.run([sys.executable, __file__, "--one", str(n), "--repeat", str(args.repeat)],
                               capture_output=True, text=True, cwd=ROOT)
        lines = [line for line in child.stdout.splitlines() if line.startswith("RESULT ")]
        if child.returncode or not lines:
            print(child.stdout[-2000:], child.stderr[-4000:])
            raise SystemExit(f"the run at {n:,} items failed")
        results.append(json.loads(lines[-1][7:]))
    report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()

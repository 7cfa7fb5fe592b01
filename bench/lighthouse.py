"""Lighthouse scores of the public face: home, an exhibition, a photo item, a testimony item and search.

    .venv/bin/python bench/lighthouse.py [--runs 3] [--port 8714] [--keep]

Seeds the demo into a throw-away var dir (`make demo`), serves it as a newcomer does (`make run`:
runserver and a task worker), then runs Lighthouse 12.2.3 (npm, pinned for Node 20) with Debian's
Chromium on each page, mobile settings (Lighthouse's default: a mid-range phone, simulated slow 4G
and a 4x slower CPU). Prints performance, accessibility, best practices and SEO per page (the
median of --runs for performance, which varies on a shared machine; the worst run for the others)
with LCP, TBT and CLS, and whether each meets the targets (performance >= 90, the others >= 95).
Lighthouse is installed on first use into var/lighthouse/ (`npm install lighthouse@12.2.3`; set
LIGHTHOUSE=/path/to/bin/lighthouse to use another). Nothing is downloaded but that npm package.
Exits 1 when a page misses a target.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
MAKE = ["make", "-o", "install", "-o", "messages"]
VERSION = "12.2.3"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 90, "accessibility": 95, "best-practices": 95, "seo": 95}

# The pages to score, found in the seeded demo through the consent policy (what a visitor may see).
FIND_PAGES = r"""
import json, os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "memorial.settings")
django.setup()
from django.urls import reverse
from django.utils import translation
from archive import consent
from archive.models import Item, ItemMedia
from exhibitions import selectors
translation.activate("en")
items = consent.visible_items("web").filter(content_warnings=[])
photo = next(i for i in items.filter(kind=Item.Kind.PHOTOGRAPH).order_by("pk")
             if consent.allows(i, "iiif") and i.media.filter(role=ItemMedia.Role.PHOTO).exists())
testimony = items.filter(kind=Item.Kind.TESTIMONY, media__role=ItemMedia.Role.RECORDING).order_by("pk").first()
exhibition = selectors.live_exhibitions().order_by("-featured", "pk").first()
print(json.dumps({
    "home": reverse("home"),
    "exhibition": reverse("exhibition-detail", args=[exhibition.slug]),
    "photo item": reverse("item-detail", args=[photo.pk]),
    "testimony item": reverse("item-detail", args=[testimony.pk]),
    "search": reverse("search"),
}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lighthouse_binary() -> Path:
    if os.environ.get("LIGHTHOUSE"):
        return Path(os.environ["LIGHTHOUSE"])
    prefix = ROOT / "var" / "lighthouse"
    binary = prefix / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        print(f"installing lighthouse@{VERSION} into {prefix} ...", file=sys.stderr)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", str(prefix),
                        f"lighthouse@{VERSION}"], check=True)
    return binary


def wait_for(url: str, server: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"make run exited with {server.returncode}")
        try:
            if urllib.request.urlopen(url, timeout=2).status == 200:  # noqa: S310 (loopback)
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the demo did not answer at {url} within {seconds:.0f} s")


def score(binary: Path, url: str, out: Path) -> dict:
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    command = [str(binary), url, "--quiet", "--output=json", f"--output-path={out}",
               f"--only-categories={','.join(CATEGORIES)}", "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
    for attempt in (1, 2, 3):
        # Lighthouse sometimes loses the trace of a load (NO_NAVSTART) and asks to be run again.
        if subprocess.run(command, env=env).returncode == 0:
            break
        if attempt == 3:
            raise SystemExit(f"Lighthouse failed three times on {url}")
    report = json.loads(out.read_text())
    audits = report["audits"]
    return {
        **{c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES},
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "failing": sorted(a for c in CATEGORIES[1:] for a in _failing(report, c)),
    }


def _failing(report: dict, category: str) -> list[str]:
    refs = report["categories"][category]["auditRefs"]
    return [r["id"] for r in refs if r["weight"] and (report["audits"][r["id"]].get("score") or 0) < 1
            and report["audits"][r["id"]].get("scoreDisplayMode") == "binary"]


def summarise(runs: list[dict]) -> dict:
    ordered = sorted(runs, key=lambda r: r["performance"])
    row = dict(ordered[(len(ordered) - 1) // 2])  # the median run (the lower one of an even count)
    for c in CATEGORIES[1:]:
        row[c] = min(r[c] for r in runs)
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median performance)")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the throw-away var dir")
    args = parser.parse_args()
    binary = lighthouse_binary()
    port = args.port or free_port()
    var = Path(tempfile.mkdtemp(prefix="memories-lighthouse-"))
    env = {**os.environ, "MEMORIES_VAR_DIR": str(var)}
    env.pop("SITE_URL", None)
    subprocess.run([*MAKE, "demo", f"PORT={port}"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    found = subprocess.run([str(PY), "-c", FIND_PAGES], cwd=ROOT, env=env, capture_output=True, text=True)
    if found.returncode:
        raise SystemExit(f"could not find the pages in the demo:\n{found.stderr[-2000:]}")
    pages = json.loads(found.stdout.strip().splitlines()[-1])
    server = subprocess.Popen([*MAKE, "run", f"PORT={port}"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    rows = {}
    try:
        wait_for(base + "/en/", server)
        for name, path in pages.items():
            runs = [score(binary, base + path, var / f"lh-{k}.json") for k in range(args.runs)]
            rows[name] = summarise(runs)
            print(f"  {name}: performance {[r['performance'] for r in runs]}", file=sys.stderr)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        if not args.keep:
            shutil.rmtree(var, ignore_errors=True)
    return report(rows, pages)


def report(rows: dict, pages: dict) -> int:
    print(f"Lighthouse {VERSION}, mobile, Debian's Chromium; targets: performance >= 90, others >= 95")
    print(f"{'page':<16} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4} {'LCP ms':>7} {'TBT ms':>7} {'CLS':>6}  path")
    missed = []
    for name, row in rows.items():
        print(f"{name:<16} {row['performance']:>4} {row['accessibility']:>4} {row['best-practices']:>4} "
              f"{row['seo']:>4} {row['lcp']:>7.0f} {row['tbt']:>7.0f} {row['cls']:>6.3f}  {pages[name]}")
        missed += [f"{name}: {c} {row[c]} < {t}" for c, t in TARGETS.items() if row[c] < t]
        if row["failing"]:
            print(f"{'':<16} failing audits: {', '.join(row['failing'])}")
    print("targets met" if not missed else "missed:\n  " + "\n  ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

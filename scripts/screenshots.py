"""Regenerate the README gallery (docs/screenshots/*.png) from a running archive with the demo.

Run: make demo, start the site (make run), then
     .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000] [--out docs/screenshots]

Takes home, an exhibition, a photograph's item page, search, the first contribution step and the
Mirador viewer on an exhibition's collection, in English and Arabic, and the API documentation, at
desktop (1280 px) and phone (390 px) widths, with Debian's Chromium (never a downloaded browser).
`--only viewer,api-docs` takes only those. Shots are the first screen and a half, as 8-bit palette PNGs, to keep the
gallery small (a few MB in all).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import urllib.request
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


def _first(base: str, path: str, pattern: str) -> str:
    html = urllib.request.urlopen(base + path, timeout=30).read().decode()  # noqa: S310 (a local URL)
    found = re.search(pattern, html)
    if not found:
        raise SystemExit(f"no link matching {pattern} on {path}: is the demo loaded (make demo)?")
    return found.group(1)


def pages(base: str) -> dict[str, str]:
    """Page name -> path without the language prefix, found from the demo's own links."""
    exhibition = _first(base, "/en/", r'href="/en(/exhibitions/[^"/]+/)"')
    photo = _first(base, "/en/search/?kind=photograph", r'href="/en(/items/[^"/]+/)"')
    slug = exhibition.strip("/").rsplit("/", 1)[-1]
    return {"home": "/", "exhibition": exhibition, "item": photo, "search": "/search/?q=station",
            "contribution": "/contribute/", "viewer": f"/viewer/?collection=/iiif/collection/exhibition/{slug}"}


UNPREFIXED = {"api-docs": "/api/docs/"}  # pages outside the language prefix: taken once, as "en"


def save(png: bytes, path: Path, height: int) -> None:
    img = Image.open(io.BytesIO(png)).convert("RGB")
    img = img.crop((0, 0, img.width, min(img.height, height)))
    img.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--only", default="", help="comma-separated page names (default: all)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    targets = {**pages(args.base.rstrip("/")), **UNPREFIXED}
    if args.only:
        targets = {name: path for name, path in targets.items() if name in args.only.split(",")}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        for size, (width, height) in SIZES.items():
            context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
            page = context.new_page()
            for lang in ("en", "ar"):
                for name, path in targets.items():
                    if name in UNPREFIXED and lang != "en":
                        continue
                    prefix = "" if name in UNPREFIXED else f"/{lang}"
                    page.goto(f"{args.base.rstrip('/')}{prefix}{path}", wait_until="networkidle")
                    shown = page.locator("button:has-text('Show me'), form.actions button[type=submit]")
                    if "/items/" in path and page.locator(".gate").count():
                        shown.first.click()
                        page.wait_for_load_state("networkidle")
                    if name == "api-docs":  # Swagger UI fetches and renders the schema after load
                        page.locator(".opblock").first.wait_for()
                    if "/items/" in path or "/viewer/" in path:  # let the viewers draw their tiles
                        page.wait_for_timeout(2500)
                    file = out / f"{name}-{lang}-{size}.png"
                    save(page.screenshot(full_page=True), file, int(height * 1.6))
                    print(file.name, file.stat().st_size // 1024, "KB")
            context.close()
        browser.close()
    total = sum(f.stat().st_size for f in out.glob("*.png"))
    print(f"total {total // 1024} KB in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

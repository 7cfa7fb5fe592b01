"""Page weight: HTML + CSS + JS + fonts of every public page type on a first visit (empty cache), media apart.

Run: .venv/bin/python bench/page_weight.py [--lang en,ar]

Builds a throw-away database (the test settings: temporary var/ folder, in-memory SQLite) with
synthetic content whose media goes through the real pipeline, renders each page type with Django's
test client, then adds every stylesheet and script the page links (read through the static files
finders, as WhiteNoise serves them). Prints raw bytes and gzip bytes (WhiteNoise's compressed
static files, and what any front server does for HTML). The target is the transferred (gzip)
total under 200 KB per page; the raw total is printed beside it for a server that does not compress.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import translation  # noqa: E402

TARGET = 200 * 1024
ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')
FONT = re.compile(r'url\("?([^")]+\.woff2)"?\)')


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def _static(url: str) -> bytes:
    path = url.split("?", 1)[0]
    if not path.startswith(settings.STATIC_URL):
        raise SystemExit(f"{url}: not a static file of this site (pages may only link their own CSS/JS)")
    found = finders.find(path[len(settings.STATIC_URL):])
    if not found:
        raise SystemExit(f"{url}: not found by the static files finders (run `npm install`?)")
    return Path(found).read_bytes()


def build_content() -> dict:
    from archive import contributions
    from tests.factories import ExhibitionEntryFactory, ExhibitionFactory, ItemFactory, RemembranceDayFactory
    from tests.site.media import make_photo, make_testimony

    RemembranceDayFactory(slug="day", name={"en": "A day of remembrance (synthetic)", "ar": "يوم للذكرى"})
    exhibition = ExhibitionFactory(slug="objects", featured=True, title={"en": "Objects that remember"})
    photo = make_photo(width=2400, height=1600, title={"en": "Candles on the square (synthetic)"})
    testimony = make_testimony(title={"en": "The stranger who stayed (synthetic)"})
    warned = ItemFactory(title={"en": "A torn jacket (synthetic)"}, content_warnings=["injury"])
    for n, item in enumerate([photo, testimony, warned, *[ItemFactory() for _ in range(20)]]):
        ExhibitionEntryFactory(exhibition=exhibition, item=item, position=n)
    submission = contributions.submit_contribution(
        kind="object_story", title="A synthetic key", story="A key I kept.", language="en", files=[],
        consent={"scopes": ["web", "search"], "name_display": "anonymous"},
    )
    return {"photo": photo.pk, "testimony": testimony.pk, "warned": warned.pk, "token": submission.token}


def pages(content: dict) -> list[tuple[str, str, str, dict | None]]:
    """(name, url name, args, POST data to reach the page or None)."""
    return [
        ("home", "home", (), None),
        ("exhibitions", "exhibition-list", (), None),
        ("exhibition", "exhibition-detail", ("objects",), None),
        ("exhibition: one at a time", "exhibition-sequence", ("objects", 1), None),
        ("remembrance day", "remembrance-day", ("day",), None),
        ("item: photograph (deep zoom)", "item-detail", (content["photo"],), None),
        ("item: testimony (player)", "item-detail", (content["testimony"],), None),
        ("item: content warning", "item-detail", (content["warned"],), None),
        ("search with facets", "search", (), {"q": "synthetic"}),
        ("about", "about", (), None),
        ("support", "support", (), None),
        ("contribute: story", "contribute", (), None),
        ("manage", "manage", (content["token"],), None),
        ("receipt", "receipt", (content["token"],), None),
    ]


def heavy_pages(content: dict) -> list[tuple[str, str, str, dict | None]]:
    """Pages allowed to be heavy (a full viewer application), measured and printed outside the budget."""
    return [
        ("viewer: Mirador 4 (manifest)", "iiif-viewer", (), {"manifest": f"/iiif/item/{content['photo']}/manifest"}),
        ("API documentation (Swagger UI)", "api-docs", (), None),
    ]


def _fonts(css_url: str, css: bytes) -> int:
    """Every WOFF2 face the stylesheet declares, counted whole (already compressed; an upper bound:
    a browser fetches only the faces whose unicode-range the page's text uses)."""
    base = css_url.split("?", 1)[0].rsplit("/", 1)[0]
    total = 0
    for ref in dict.fromkeys(FONT.findall(css.decode())):
        parts = [*base.split("/"), *ref.split("/")]
        path = []
        for part in parts:
            if part == "..":
                path.pop()
            else:
                path.append(part)
        total += len(_static("/".join(path)))
    return total


def measure(client: Client, url: str, query: dict | None) -> tuple[int, int, int, int, int, int, int]:
    response = client.get(url, query or {})
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    html = response.content
    css = js = css_gz = js_gz = fonts = 0
    for asset in dict.fromkeys(ASSET.findall(html.decode())):
        data = _static(asset)
        if asset.split("?")[0].endswith(".css"):
            css, css_gz = css + len(data), css_gz + _gz(data)
            fonts += _fonts(asset, data)
        else:
            js, js_gz = js + len(data), js_gz + _gz(data)
    return len(html), _gz(html), css, css_gz, js, js_gz, fonts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en,ar", help="comma-separated language prefixes (default en,ar)")
    languages = parser.parse_args().lang.split(",")

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    content = build_content()
    client = Client()

    print(f"{'page':<32}{'lang':<6}{'HTML':>9}{'CSS':>9}{'JS':>9}{'fonts':>9}{'raw total':>11}{'gzip total':>12}  target")
    worst = 0
    for lang in languages:
        for heavy, (name, url_name, args, query) in [*((False, p) for p in pages(content)),
                                                     *((True, p) for p in heavy_pages(content))]:
            with translation.override(lang):
                url = reverse(url_name, args=args)
            html, html_gz, css, css_gz, js, js_gz, fonts = measure(client, url, query)
            raw, transferred = html + css + js + fonts, html_gz + css_gz + js_gz + fonts
            worst = worst if heavy else max(worst, transferred)
            verdict = "no budget" if heavy else "ok" if transferred < TARGET else "OVER"
            print(f"{name:<32}{lang:<6}{html / 1024:>8.1f}K{css / 1024:>8.1f}K{js / 1024:>8.1f}K{fonts / 1024:>8.1f}K"
                  f"{raw / 1024:>10.1f}K{transferred / 1024:>11.1f}K  {verdict}")
    print(f"\nheaviest page transferred (gzip): {worst / 1024:.1f} KB of {TARGET // 1024} KB "
          f"({worst / TARGET:.0%} of the budget); media (photos, tiles, recordings) not counted")
    return 0 if worst < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())

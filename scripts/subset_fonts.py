"""Subset Debian's Noto faces (fonts-noto-core) into the small WOFF2 files in static/fonts/.

Run: .venv/bin/python scripts/subset_fonts.py   (needs fonttools and brotli: pip install fonttools brotli)

The faces set headings and reading text (stories, introductions); the interface keeps the
system's sans-serif. Each face keeps only the ranges its script needs (Latin, Cyrillic, Arabic), and the stylesheet
declares the same ranges in `unicode-range`, so a page downloads only the faces its text uses.
Chinese falls back to the system's CJK face: a Han subset covering the archive's words would weigh
more than the 200 KB page budget (bench/page_weight.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset

SRC = Path("/usr/share/fonts/truetype/noto")
OUT = Path(__file__).resolve().parent.parent / "static" / "fonts"
# Keep in step with the unicode-range of the @font-face rules in static/css/site.css.
LATIN = "U+0000-00FF,U+0131,U+0152-0153,U+02C6,U+02DA,U+02DC,U+2013-2014,U+2018-201E,U+2022,U+2026,U+20AC,U+2122,U+2212"
CYRILLIC = "U+0400-045F,U+0490-0491,U+2116"
ARABIC = "U+0600-06FF,U+FB50-FDFF,U+FE70-FEFF,U+200C-200F"
# (output name, Debian file, unicode ranges): keep in step with the @font-face rules in static/css/site.css.
FACES = [
    ("noto-serif-latin.woff2", "NotoSerif-Regular.ttf", LATIN),
    ("noto-serif-cyrillic.woff2", "NotoSerif-Regular.ttf", CYRILLIC),
    ("noto-naskh-arabic.woff2", "NotoNaskhArabic-Regular.ttf", ARABIC),
]


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, source, ranges in FACES:
        path = SRC / source
        if not path.exists():
            print(f"missing {path}: apt-get install fonts-noto-core", file=sys.stderr)
            return 1
        opts = subset.Options()
        opts.flavor = "woff2"
        opts.layout_features = ["*"]  # Arabic joining and ligatures need their shaping features
        opts.name_IDs = ["*"]  # keep the licence (OFL) and copyright names
        opts.hinting = False
        font = subset.load_font(str(path), opts)
        sub = subset.Subsetter(opts)
        sub.populate(unicodes=subset.parse_unicodes(ranges))
        sub.subset(font)
        subset.save_font(font, str(OUT / name), opts)
        print(f"{name}: {(OUT / name).stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Draw the PNG and ICO app icons in static/icons/ (the same candle as favicon.svg).

Run: .venv/bin/python scripts/icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "static" / "icons"


def candle(size: int) -> Image.Image:
    scale = size / 64
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle([0, 0, size - 1, size - 1], radius=int(12 * scale), fill="#23272c")
    d.polygon([(32 * scale, 10 * scale), (40 * scale, 26 * scale), (24 * scale, 26 * scale)], fill="#e6b85c")
    d.ellipse([24 * scale, 18 * scale, 40 * scale, 34 * scale], fill="#e6b85c")
    d.rounded_rectangle([26 * scale, 36 * scale, 38 * scale, 56 * scale], radius=max(1, int(2 * scale)), fill="#f1ede4")
    return img


if __name__ == "__main__":
    for size, name in ((32, "favicon-32.png"), (180, "apple-touch-icon.png"), (192, "icon-192.png"), (512, "icon-512.png")):
        candle(size).save(OUT / name, optimize=True)
    candle(64).save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])

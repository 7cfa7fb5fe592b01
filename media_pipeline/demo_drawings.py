"""Synthetic demo pictures drawn in code: each object and scene recognisably itself (no real photo).

draw(subject, seed, width, height) -> a PIL image. Objects lie on a cloth under soft light; scenes
are memorial places at dusk. The seed varies positions and colours, so no two pictures are alike.
"""

from __future__ import annotations

import math
import random

from PIL import Image, ImageDraw, ImageFilter

OBJECTS = ("watch", "scarf", "ticket", "drawing", "kit", "keys", "glasses")
SCENES = ("square", "wall", "station", "market", "stage")


def _cloth(width: int, height: int, rnd: random.Random) -> Image.Image:
    tone = rnd.choice([(196, 184, 164), (172, 176, 170), (150, 136, 124), (206, 200, 190)])
    img = Image.new("RGB", (width, height), tone)
    d = ImageDraw.Draw(img)
    for y in range(0, height, 6):  # the weave
        shade = tuple(max(0, c - 8) for c in tone)
        d.line([(0, y), (width, y)], fill=shade, width=1)
    glow = Image.radial_gradient("L").resize((width, height)).point(lambda v: 255 - v // 2)
    return Image.composite(img, Image.new("RGB", (width, height), tuple(c // 2 for c in tone)), glow)


def _watch(d, w, h, rnd):
    cx, cy, r = w // 2, h // 2, min(w, h) // 4
    d.rectangle([cx - r // 3, cy - r * 2, cx + r // 3, cy + r * 2], fill=(70, 45, 30))  # strap
    d.ellipse([cx - r - 12, cy - r - 12, cx + r + 12, cy + r + 12], fill=(190, 160, 90))
    d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(245, 240, 225))
    for k in range(12):
        a = math.radians(k * 30)
        d.line([(cx + 0.8 * r * math.sin(a), cy - 0.8 * r * math.cos(a)), (cx + 0.92 * r * math.sin(a), cy - 0.92 * r * math.cos(a))], fill=(40, 40, 40), width=4)
    for minutes, length, width_ in ((8 * 60 + 17, 0.5, 8), (17 * 12, 0.8, 5)):  # hands at 8:17
        a = math.radians((minutes / 720 if length == 0.5 else minutes / 720) * 360)
        d.line([(cx, cy), (cx + length * r * math.sin(a), cy - length * r * math.cos(a))], fill=(20, 20, 20), width=width_)
    d.line([(cx - r * 0.7, cy - r * 0.2), (cx + r * 0.3, cy + r * 0.6)], fill=(160, 160, 170), width=2)  # the crack


def _scarf(d, w, h, rnd):
    blue = rnd.choice([(40, 80, 160), (50, 100, 180), (30, 70, 140)])
    for k in range(7):
        y = h * 0.25 + k * h * 0.07
        d.polygon([(w * 0.15, y), (w * 0.85, y + h * 0.05), (w * 0.82, y + h * 0.12), (w * 0.12, y + h * 0.08)], fill=tuple(min(255, c + k * 6) for c in blue))
    for x in range(int(w * 0.12), int(w * 0.85), 14):  # fringe
        d.line([(x, h * 0.78), (x + 4, h * 0.86)], fill=blue, width=3)


def _ticket(d, w, h, rnd):
    x0, y0, x1, y1 = w * 0.2, h * 0.3, w * 0.62, h * 0.7
    d.rectangle([x0, y0, x1, y1], fill=(240, 220, 120))
    d.rectangle([x0 + 20, y0 + 20, x0 + 60, y1 - 20], fill=(200, 60, 60))
    for k in range(4):
        d.line([(x0 + 80, y0 + 40 + k * 30), (x1 - 30, y0 + 40 + k * 30)], fill=(90, 70, 30), width=6)
    jag = [(x1, y0)] + [(x1 + (12 if k % 2 else 0), y0 + k * (y1 - y0) / 10) for k in range(11)] + [(x1, y1)]
    d.line(jag, fill=(150, 120, 60), width=3)  # the torn edge


def _drawing(d, w, h, rnd):
    d.rectangle([w * 0.12, h * 0.15, w * 0.88, h * 0.85], fill=(252, 252, 246))
    y = h * 0.6
    for k in range(3):  # carriages with smiling windows
        x = w * 0.18 + k * w * 0.22
        d.rectangle([x, y - h * 0.16, x + w * 0.19, y], outline=(200, 40, 40), width=6, fill=(250, 210, 80) if k else (80, 150, 220))
        for wx in range(2):
            cx, cy = x + w * 0.05 + wx * w * 0.08, y - h * 0.09
            d.ellipse([cx - 14, cy - 14, cx + 14, cy + 14], outline=(30, 30, 30), width=3)
            d.arc([cx - 8, cy - 6, cx + 8, cy + 8], 20, 160, fill=(30, 30, 30), width=3)
        for wheel in (x + w * 0.04, x + w * 0.15):
            d.ellipse([wheel - 16, y - 8, wheel + 16, y + 24], outline=(30, 30, 30), width=5)
    d.line([(w * 0.14, y + 30), (w * 0.86, y + 30)], fill=(90, 60, 30), width=5)
    d.ellipse([w * 0.7, h * 0.2, w * 0.8, h * 0.32], fill=(250, 200, 40))  # the sun


def _kit(d, w, h, rnd):
    x0, y0, x1, y1 = w * 0.25, h * 0.3, w * 0.75, h * 0.75
    d.rounded_rectangle([x0, y0, x1, y1], radius=24, fill=(40, 120, 70))
    d.rounded_rectangle([w * 0.42, h * 0.22, w * 0.58, h * 0.32], radius=12, outline=(30, 80, 50), width=10)
    cx, cy, a = w / 2, (y0 + y1) / 2, min(w, h) * 0.08
    d.rectangle([cx - a / 3, cy - a, cx + a / 3, cy + a], fill=(250, 250, 250))
    d.rectangle([cx - a, cy - a / 3, cx + a, cy + a / 3], fill=(250, 250, 250))


def _keys(d, w, h, rnd):
    s, cx, cy = min(w, h) / 450, w * 0.35, h * 0.35
    d.ellipse([cx - 70 * s, cy - 70 * s, cx + 70 * s, cy + 70 * s], outline=(190, 30, 40), width=int(22 * s))  # the red ring
    for k, angle in enumerate((20, 50, 80)):
        a = math.radians(angle)
        bx, by = cx + 95 * s * math.cos(a), cy + 95 * s * math.sin(a)
        ex, ey = bx + 200 * s * math.cos(a), by + 200 * s * math.sin(a)
        colour = (200, 170, 80) if k != 1 else (180, 180, 185)
        d.ellipse([bx - 34 * s, by - 34 * s, bx + 34 * s, by + 34 * s], fill=colour)
        d.line([(bx, by), (ex, ey)], fill=colour, width=int(16 * s))
        for tooth in range(3):  # the bit
            tx, ty = ex - (20 + tooth * 30) * s * math.cos(a), ey - (20 + tooth * 30) * s * math.sin(a)
            d.line([(tx, ty), (tx - 22 * s * math.sin(a), ty + 22 * s * math.cos(a))], fill=colour, width=int(10 * s))


def _glasses(d, w, h, rnd):
    cy, r = h * 0.5, min(w, h) * 0.13
    for cx in (w * 0.38, w * 0.62):
        d.ellipse([cx - r, cy - r * 0.8, cx + r, cy + r * 0.8], outline=(60, 40, 30), width=10, fill=(215, 225, 230))
    d.arc([w * 0.46, cy - r * 0.5, w * 0.54, cy + r * 0.2], 200, 340, fill=(60, 40, 30), width=8)
    d.line([(w * 0.38 - r, cy - 10), (w * 0.12, cy - 40)], fill=(60, 40, 30), width=8)
    d.line([(w * 0.62 + r, cy - 10), (w * 0.88, cy - 40)], fill=(60, 40, 30), width=8)
    d.line([(w * 0.56, cy - r * 0.6), (w * 0.66, cy + r * 0.5)], fill=(120, 120, 130), width=2)  # cracked lens


def _dusk(width: int, height: int, rnd: random.Random) -> Image.Image:
    sky = Image.linear_gradient("L").resize((width, height))
    shift = rnd.randint(0, 30)
    return Image.merge("RGB", (sky.point(lambda v: 40 + shift + v // 3), sky.point(lambda v: 50 + v // 4),
                               sky.point(lambda v: 110 - v // 4)))


def _candles(d, w, h, rnd, ground, count):
    for _ in range(count):
        x, y = rnd.randint(40, w - 40), rnd.randint(ground + 20, h - 60)
        d.rectangle([x - 6, y - 40, x + 6, y], fill=(245, 240, 225))
        d.ellipse([x - 5, y - 58, x + 5, y - 42], fill=(255, 190, 70))


def _flowers(d, w, h, rnd, ground, count):
    for _ in range(count):
        x, y, r = rnd.randint(0, w), rnd.randint(ground, h), rnd.randint(6, 22)
        d.ellipse([x - r, y - r, x + r, y + r], fill=rnd.choice([(230, 200, 60), (240, 240, 240), (200, 60, 80), (170, 120, 200)]))


def _scene(subject: str, img: Image.Image, rnd: random.Random) -> None:
    w, h = img.size
    d = ImageDraw.Draw(img)
    ground = int(h * 0.62)
    d.rectangle([0, ground, w, h], fill=(92, 86, 80))
    if subject == "wall":  # a stone wall of name plaques, a wreath before it
        d.rectangle([w * 0.1, h * 0.2, w * 0.9, ground], fill=(120, 116, 110))
        for row in range(4):
            for col in range(8):
                x, y = w * 0.13 + col * w * 0.095, h * 0.24 + row * h * 0.09
                d.rectangle([x, y, x + w * 0.08, y + h * 0.06], fill=(170, 160, 140))
                d.line([(x + 8, y + h * 0.03), (x + w * 0.07, y + h * 0.03)], fill=(80, 70, 60), width=3)
        d.ellipse([w * 0.42, ground - 40, w * 0.58, ground + 90], outline=(40, 110, 60), width=26)
    elif subject == "station":  # a station front with its clock
        d.rectangle([w * 0.15, h * 0.18, w * 0.85, ground], fill=(150, 120, 100))
        for k in range(5):
            x = w * 0.2 + k * w * 0.13
            d.rounded_rectangle([x, h * 0.38, x + w * 0.08, ground], radius=30, fill=(60, 60, 70))
        d.ellipse([w * 0.46, h * 0.2, w * 0.54, h * 0.32], fill=(240, 235, 220), outline=(40, 40, 40), width=4)
    elif subject == "market":  # stalls with striped awnings, ribbons tied to them
        for k in range(4):
            x = w * 0.05 + k * w * 0.24
            for s in range(6):
                d.rectangle([x + s * w * 0.033, h * 0.32, x + (s + 1) * w * 0.033, h * 0.4], fill=(200, 60, 60) if s % 2 else (240, 235, 220))
            d.rectangle([x + 6, h * 0.4, x + w * 0.2 - 6, ground], fill=(130, 90, 60))
            d.line([(x + w * 0.1, h * 0.4), (x + w * 0.1, h * 0.5)], fill=(250, 250, 250), width=6)
    elif subject == "stage":  # an empty stage with lights, the crowd's candles below
        d.rectangle([w * 0.1, h * 0.25, w * 0.9, ground], fill=(30, 30, 40))
        for k in range(6):
            x = w * 0.15 + k * w * 0.14
            d.polygon([(x, h * 0.25), (x - 40, ground), (x + 40, ground)], fill=(70, 70, 90))
            d.ellipse([x - 12, h * 0.22, x + 12, h * 0.28], fill=(250, 230, 160))
    _flowers(d, w, h, rnd, ground, 30 if subject != "square" else 60)
    _candles(d, w, h, rnd, ground, 8 if subject != "square" else 14)


DRAW = {"watch": _watch, "scarf": _scarf, "ticket": _ticket, "drawing": _drawing, "kit": _kit, "keys": _keys, "glasses": _glasses}


def draw(subject: str, seed: int, width: int = 1500, height: int = 1000) -> Image.Image:
    rnd = random.Random(seed)
    if subject in DRAW:
        img = _cloth(width, height, rnd)
        DRAW[subject](ImageDraw.Draw(img), width, height, rnd)
    else:
        img = _dusk(width, height, rnd)
        _scene(subject if subject in SCENES else "square", img, rnd)
    return img.filter(ImageFilter.GaussianBlur(1.0))

"""IIIF Image API 3, level 0: static tiles from libvips dzsave, made complete.

dzsave (layout="iiif3") writes the tiles and an info.json with `tiles`; we add what level 0 needs
and dzsave does not write: `full/max/0/default.jpg`, a few whole-image `sizes`, and an info.json whose
`id` is the public URL (filled in at publication, because the URL carries the public token).
"""

from __future__ import annotations

import json
import os
import shutil

import pyvips

from media_pipeline import conf

ID_PLACEHOLDER = "__IIIF_ID__"
CONTEXT = "http://iiif.io/api/image/3/context.json"


def make_pyramid(src: pyvips.Image, out_dir: str) -> None:
    """The tiles (the expensive part: it runs beside the other encodes)."""
    if os.path.exists(out_dir):
        shutil.rmtree(out_dir)
    os.makedirs(os.path.dirname(out_dir), exist_ok=True)
    src.dzsave(out_dir, layout="iiif3", tile_size=conf.get("TILE_SIZE"), overlap=0,
               suffix=f".jpg[Q={conf.get('TILE_QUALITY')}]", keep="none", id="https://invalid.example")


def level_factor(width: int, height: int, at_least: int) -> int:
    """The largest power of two f such that the pyramid level 1/f still has a long edge >= at_least
    (and dzsave writes it: it stops at the first level that fits in one tile)."""
    f, long_edge = 1, max(width, height)
    while -(-long_edge // (f * 2)) >= at_least and -(-long_edge // f) > conf.get("TILE_SIZE"):
        f *= 2
    return f


def read_level(out_dir: str, width: int, height: int, factor: int) -> pyvips.Image:
    """The pyramid level 1/factor that dzsave wrote, joined from its tiles (lazy): its tiles hold a
    fraction of the original's pixels and of its compressed bytes, so decoding them costs far less
    than resizing the full-resolution image again."""
    step = conf.get("TILE_SIZE") * factor
    tiles, across = [], 0
    for y in range(0, height, step):
        row = []
        for x in range(0, width, step):
            w, h = min(step, width - x), min(step, height - y)
            # A level in one tile is written under its canonical region name, "full".
            region = os.path.join(out_dir, "full" if (w, h) == (width, height) else f"{x},{y},{w},{h}")
            # Two levels may share a region at the edge; the one of this level is ~w/factor wide.
            size = min((n for n in os.listdir(region) if n[0].isdigit()),
                       key=lambda name: abs(int(name.split(",")[0]) - w / factor))
            row.append(pyvips.Image.jpegload(os.path.join(region, size, "0", "default.jpg"), fail_on="error"))
        across = len(row)
        tiles.extend(row)
    level_w = sum(t.width for t in tiles[:across])
    level_h = sum(t.height for t in tiles[::across])
    # arrayjoin lays every tile in a cell of the largest tile's size: only the last row and column are
    # smaller, so the image is the top-left level_w x level_h.
    return pyvips.Image.arrayjoin(tiles, across=across).crop(0, 0, level_w, level_h)


def _link_or_copy(src: str, dest: str) -> None:
    """The whole-image sizes are the derivative files themselves: a hard link when on one disk."""
    try:
        os.link(src, dest)
    except OSError:
        shutil.copyfile(src, dest)


def finish(width: int, height: int, sized: list[tuple[int, int, str]], out_dir: str) -> dict:
    with open(os.path.join(out_dir, "info.json"), encoding="utf-8") as fh:
        generated = json.load(fh)
    for w, h, path in sized:
        target = os.path.join(out_dir, "full", f"{w},{h}", "0")
        os.makedirs(target, exist_ok=True)
        _link_or_copy(path, os.path.join(target, "default.jpg"))
    # dzsave writes the level that fits one tile as "full/{w},{h}" (the canonical region): list all.
    sizes = []
    for entry in os.listdir(os.path.join(out_dir, "full")):
        w, _sep, h = entry.partition(",")
        if w.isdigit() and h.isdigit():
            sizes.append({"width": int(w), "height": int(h)})
    sizes.sort(key=lambda sz: sz["width"])
    max_w, max_h, max_path = max(sized)
    os.makedirs(os.path.join(out_dir, "full", "max", "0"), exist_ok=True)
    _link_or_copy(max_path, os.path.join(out_dir, "full", "max", "0", "default.jpg"))
    info = {
        "@context": CONTEXT,
        "id": ID_PLACEHOLDER,
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": "level0",
        "width": width,
        "height": height,
        "sizes": sizes,
        "tiles": generated["tiles"],
    }
    if (max_w, max_h) != (width, height):
        info["maxWidth"], info["maxHeight"] = max_w, max_h
    with open(os.path.join(out_dir, "info.json"), "w", encoding="utf-8") as fh:
        json.dump(info, fh)
    return info


def public_info(template: bytes, service_id: str) -> bytes:
    info = json.loads(template)
    info["id"] = service_id
    return json.dumps(info, indent=1).encode()

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


def _save_jpeg(img: pyvips.Image, path: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    img.jpegsave(path, Q=conf.get("TILE_QUALITY"), keep="none", optimize_coding=True)


def make_tiles(src: pyvips.Image, max_img: pyvips.Image, small: list[pyvips.Image], out_dir: str) -> dict:
    """Write a complete level-0 tile set for `src` into `out_dir`; returns the info.json template.

    `max_img` is the image at the "max" size (the whole image, or capped at MAX_SIZE); `small` are
    extra whole-image sizes for thumbnails in viewers.
    """
    if os.path.exists(out_dir):
        shutil.rmtree(out_dir)
    parent = os.path.dirname(out_dir)
    os.makedirs(parent, exist_ok=True)
    width, height = src.width, src.height
    src.dzsave(out_dir, layout="iiif3", tile_size=conf.get("TILE_SIZE"), overlap=0,
               suffix=f".jpg[Q={conf.get('TILE_QUALITY')}]", keep="none", id="https://invalid.example")
    with open(os.path.join(out_dir, "info.json"), encoding="utf-8") as fh:
        generated = json.load(fh)
    sizes = []
    for img in sorted({(i.width, i.height): i for i in [*small, max_img]}.values(), key=lambda i: i.width):
        _save_jpeg(img, os.path.join(out_dir, "full", f"{img.width},{img.height}", "0", "default.jpg"))
        sizes.append({"width": img.width, "height": img.height})
    # dzsave writes the level that fits one tile as "full/{w},{h}" (the canonical region): list it too.
    known = {(sz["width"], sz["height"]) for sz in sizes}
    for entry in os.listdir(os.path.join(out_dir, "full")):
        w, _sep, h = entry.partition(",")
        if w.isdigit() and h.isdigit() and (int(w), int(h)) not in known:
            sizes.append({"width": int(w), "height": int(h)})
    sizes.sort(key=lambda sz: sz["width"])
    max_dir = os.path.join(out_dir, "full", "max", "0")
    os.makedirs(max_dir, exist_ok=True)
    shutil.copyfile(os.path.join(out_dir, "full", f"{max_img.width},{max_img.height}", "0", "default.jpg"),
                    os.path.join(max_dir, "default.jpg"))
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
    if (max_img.width, max_img.height) != (width, height):
        info["maxWidth"], info["maxHeight"] = max_img.width, max_img.height
    with open(os.path.join(out_dir, "info.json"), "w", encoding="utf-8") as fh:
        json.dump(info, fh)
    return info


def public_info(template: bytes, service_id: str) -> bytes:
    info = json.loads(template)
    info["id"] = service_id
    return json.dumps(info, indent=1).encode()

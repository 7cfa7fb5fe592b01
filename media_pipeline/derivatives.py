"""Web derivatives of a sanitised image: WebP with a JPEG fallback, a thumbnail, a blurred thumbnail.

Sizes are made by a chain of reductions (web -> thumb -> small) so that the full-resolution image is
resampled once, whatever the number of outputs; for very large images the first step reads the
master with shrink-on-load instead of touching every pixel. The web JPEG doubles as the IIIF "max"
size and the thumbnail as a IIIF size, so nothing is encoded twice.
"""

from __future__ import annotations

import contextlib
import os
from concurrent.futures import ThreadPoolExecutor

import pyvips

from media_pipeline import conf


def fit(img: pyvips.Image, long_edge: int, kernel: str = "lanczos3") -> pyvips.Image:
    """`img` reduced so that its long edge is at most `long_edge`, kept in memory (it is small)."""
    scale = long_edge / max(img.width, img.height)
    if scale >= 1:
        return img.copy_memory()
    return img.resize(scale, kernel=kernel).copy_memory()


def chain(src: pyvips.Image | None, master_path: str | None = None) -> dict[str, pyvips.Image]:
    """The reduced images every output is cut from."""
    if src is None:
        web = pyvips.Image.thumbnail(master_path, conf.get("WEB_SIZE"), size="down").copy_memory()
    else:
        # From full resolution a linear kernel (libvips stretches it over the whole reduction, so it
        # still averages every pixel) costs half of lanczos3; the smaller steps keep lanczos3.
        web = fit(src, conf.get("WEB_SIZE"), kernel="linear")
    thumb = fit(web, conf.get("THUMB_SIZE"))
    return {"web": web, "thumb": thumb, "small": fit(thumb, 200)}


def chain_from_level(level: pyvips.Image, width: int, height: int) -> dict[str, pyvips.Image]:
    """The same reduced images as chain() of a width x height image, cut from a pyramid level of it
    (see tiles.read_level): the web size is the exact size a resize of the full image gives."""
    scale = conf.get("WEB_SIZE") / max(width, height)
    if scale >= 1:
        raise ValueError("the web size is the full image: nothing to cut from a level")
    # libvips rounds the output size of resize() to the nearest integer (VIPS_RINT).
    tw, th = max(1, int(width * scale + 0.5)), max(1, int(height * scale + 0.5))
    web = level.resize(tw / level.width, vscale=th / level.height, kernel="linear").copy_memory()
    if (web.width, web.height) != (tw, th):  # a rounding pixel either way
        web = web.gravity("north-west", tw, th, extend="copy").copy_memory()
    thumb = fit(web, conf.get("THUMB_SIZE"))
    return {"web": web, "thumb": thumb, "small": fit(thumb, 200)}


FILES = {  # name -> (file name, which reduced image, format)
    "web": ("web.webp", "web", "webp"),
    "web_jpeg": ("web.jpg", "web", "jpeg"),
    "thumb": ("thumb.webp", "thumb", "webp"),
    "thumb_jpeg": ("thumb.jpg", "thumb", "jpeg"),
    "thumb_blurred": ("thumb-blurred.jpg", "blurred", "jpeg"),
}


def _save(images: dict[str, pyvips.Image], which: str, kind: str, path: str) -> None:
    if kind == "webp":
        images[which].webpsave(path, Q=80, keep="none", effort=0)
    else:
        # Optimised Huffman tables for the small files; on the web size they cost more CPU than
        # the few per cent of bytes they save.
        images[which].jpegsave(path, Q=82, keep="none", optimize_coding=which != "web")


def write(images: dict[str, pyvips.Image], out_dir: str, *, threads: int = 1) -> dict[str, str]:
    """Write the derivative files; returns name -> file name inside out_dir. With threads=2 the web
    WebP (about half of the encoding CPU) is encoded on another core meanwhile: libvips releases the
    GIL, and each encoder is single-threaded."""
    os.makedirs(out_dir, exist_ok=True)
    thumb = images["thumb"]
    # Strong enough that nothing distressing can be made out, for items with content warnings.
    images = {**images, "blurred": thumb.gaussblur(max(8.0, max(thumb.width, thumb.height) / 25))}
    jobs = [(name, filename, which, kind) for name, (filename, which, kind) in FILES.items()]
    with ThreadPoolExecutor(max_workers=1) if threads > 1 else contextlib.nullcontext() as pool:
        first = pool.submit(_save, images, jobs[0][2], jobs[0][3], os.path.join(out_dir, jobs[0][1])) if pool else None
        for _name, filename, which, kind in jobs[1 if pool else 0:]:
            _save(images, which, kind, os.path.join(out_dir, filename))
        if first is not None:
            first.result()
    return {name: filename for name, filename, _which, _kind in jobs}

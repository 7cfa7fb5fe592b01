"""Web derivatives of a sanitised image: WebP with a JPEG fallback, a thumbnail, a blurred thumbnail.

Sizes are made by a chain of reductions (big -> web -> thumb) so that the full-resolution image is
resampled once, whatever the number of outputs; for very large images the first step reads the
master with shrink-on-load instead of touching every pixel.
"""

from __future__ import annotations

import os

import pyvips

from media_pipeline import conf


def fit(img: pyvips.Image, long_edge: int) -> pyvips.Image:
    """`img` reduced so that its long edge is at most `long_edge`, kept in memory (it is small)."""
    scale = long_edge / max(img.width, img.height)
    if scale >= 1:
        return img.copy_memory()
    return img.resize(scale).copy_memory()


def chain(src: pyvips.Image | None, master_path: str | None = None) -> dict[str, pyvips.Image]:
    """The reduced images every output is cut from: max, web, thumb and a few IIIF sizes."""
    max_size = conf.get("MAX_SIZE")
    if src is None:
        big = pyvips.Image.thumbnail(master_path, max_size, size="down").copy_memory()
    else:
        big = fit(src, max_size)
    web = fit(big, conf.get("WEB_SIZE"))
    thumb = fit(web, conf.get("THUMB_SIZE"))
    return {"max": big, "web": web, "thumb": thumb, "small": [fit(web, 1024), thumb, fit(thumb, 200)]}


def write(images: dict[str, pyvips.Image], out_dir: str) -> dict[str, str]:
    """Write the derivative files; returns name -> file name inside out_dir."""
    os.makedirs(out_dir, exist_ok=True)
    web, thumb = images["web"], images["thumb"]
    files = {
        "web": ("web.webp", web, "webp"),
        "web_jpeg": ("web.jpg", web, "jpeg"),
        "thumb": ("thumb.webp", thumb, "webp"),
        "thumb_jpeg": ("thumb.jpg", thumb, "jpeg"),
    }
    # Strong enough that nothing distressing can be made out, for items with content warnings.
    blurred = thumb.gaussblur(max(8.0, max(thumb.width, thumb.height) / 25))
    files["thumb_blurred"] = ("thumb-blurred.jpg", blurred, "jpeg")
    out = {}
    for name, (filename, img, kind) in files.items():
        path = os.path.join(out_dir, filename)
        if kind == "webp":
            img.webpsave(path, Q=80, keep="none", effort=2)
        else:
            img.jpegsave(path, Q=82, keep="none", optimize_coding=True, interlace=True)
        out[name] = filename
    return out

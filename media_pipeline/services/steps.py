"""The processing steps of each kind of media, and the state one process() run shares between them.

A step returns what it changed: {"fields": {...}, "derivatives": {...}}; process() applies it, so
that steps may run side by side without sharing writes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pyvips

from media_pipeline import av, conf, derivatives, jpegstrip, storage, tiles, transcripts
from media_pipeline.exceptions import IntakeError, ProcessingError
from media_pipeline.models import MediaAsset
from media_pipeline.sanitising import load_sanitised
from media_pipeline.services.keys import CHUNK, private_prefix

MASTER_EXT = {"jpeg": "jpg", "png": "png"}


def sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class Work:
    """State shared by the steps of one process() run (the decoded image is kept between steps)."""

    asset: MediaAsset
    dir: str
    src: pyvips.Image | None = None  # the sanitised image, in memory (moderate sizes only)
    master_path: str | None = None
    reduced: dict | None = None
    original_path: str | None = None
    stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    def original(self) -> str:
        """A local path of the original, fetched once per run (from S3 a download each time otherwise)."""
        if self.original_path is None:
            self.original_path = self.stack.enter_context(storage.fetched(storage.private(),
                                                                          self.asset.original_key))
        return self.original_path

    def master(self) -> str:
        if self.master_path is None:
            self.master_path = self.stack.enter_context(storage.fetched(storage.private(), self.asset.master_key))
        return self.master_path

    def in_memory(self) -> bool:
        return (self.asset.width or 0) * (self.asset.height or 0) <= conf.get("IN_MEMORY_PIXELS")

    def tee(self, *, decode_first: bool = False) -> pyvips.Image:
        """The sanitised image, decoded once and as it is read, shared by dzsave, the master encode
        and the derivatives. libvips has no tee; an unbounded, persistent strip cache acts as one.
        `decode_first` decodes it into memory at once instead (the same memory: the cache ends up
        holding every strip too), which costs less CPU than the cache's locking; for small images,
        where overlapping the decode with dzsave saves little."""
        img = load_sanitised(self.original(), self.asset.detected_format)
        strip = 64
        self.src = img.copy_memory() if decode_first else img.tilecache(
            tile_width=img.width, tile_height=strip, max_tiles=img.height // strip + 2, threaded=False,
            persistent=True)
        self.asset.width, self.asset.height = img.width, img.height
        return self.src

    def fresh(self) -> pyvips.Image:
        """The sanitised image, decoded as it is read, for dzsave alone (see processing._image_side_by_side)."""
        img = load_sanitised(self.original(), self.asset.detected_format)
        self.asset.width, self.asset.height = img.width, img.height
        return img

    def image(self) -> pyvips.Image:
        """The sanitised image: shared in memory when moderate, a fresh streaming read of the master otherwise."""
        if self.src is not None:
            return self.src
        return pyvips.Image.new_from_file(self.master(), access="sequential", fail_on="error")


# A step returns what it changed: {"fields": {...}, "derivatives": {...}}; process() applies it, so
# that steps may run side by side without sharing writes.
Update = dict


def step_master(work: Work) -> Update:
    asset = work.asset
    fmt = "png" if asset.detected_format in ("png", "tiff") else "jpeg"
    local = os.path.join(work.dir, f"master.{MASTER_EXT[fmt]}")
    img = work.src if work.src is not None else load_sanitised(work.original(), asset.detected_format)
    options = {"Q": conf.get("MASTER_QUALITY"), "keep": "none", "subsample_mode": "on"}
    stripped = _lossless_master(work) if asset.detected_format == "jpeg" else None
    if stripped is not None:
        # The original's own compressed pixels without its metadata (see jpegstrip): no re-encode.
        sha = hashlib.sha256(stripped).hexdigest()
        with open(local, "wb") as fh:
            fh.write(stripped)
        del stripped
    elif fmt == "png":
        img.pngsave(local, keep="none", compression=6)
        sha = sha256_file(local)
    elif work.src is not None:
        # A moderate image: encoded in memory and hashed there, saving a second pass over the file.
        data = img.jpegsave_buffer(**options)
        sha = hashlib.sha256(data).hexdigest()
        with open(local, "wb") as fh:
            fh.write(data)
        del data
    else:
        img.jpegsave(local, **options)
        sha = sha256_file(local)
    key = f"{private_prefix(asset)}/master.{MASTER_EXT[fmt]}"
    storage.put_file(storage.private(), key, local, move=True)
    work.master_path = local if os.path.exists(local) else storage.local_path(storage.private(), key)
    return {"fields": {"master_key": key, "master_format": fmt, "master_sha256": sha,
                       "width": img.width, "height": img.height}}


def is_clean_jpeg(path: str) -> bool:
    """A JPEG that already is the sanitised image (sRGB, unrotated, no profile): its master is the
    original without metadata, no decode needed."""
    header = pyvips.Image.jpegload(path)
    rotated = header.get("orientation") if header.get_typeof("orientation") else 1
    return not (header.bands != 3 or header.format != "uchar" or header.interpretation != "srgb" or rotated != 1
                or header.get_typeof("icc-profile-data"))


def _lossless_master(work: Work) -> bytes | None:
    """The stripped original when it already is the sanitised image (sRGB, unrotated), else None."""
    path = work.original()
    if not is_clean_jpeg(path):
        return None
    with open(path, "rb") as fh:
        return jpegstrip.strip(fh.read())


def _reduced(work: Work) -> dict:
    if work.reduced is None:
        if work.src is not None:
            work.reduced = derivatives.chain(work.src)
        else:
            work.reduced = derivatives.chain(None, master_path=work.master())
    return work.reduced


def _beside_from_shrunk(work: Work, factor: int) -> dict[str, pyvips.Image]:
    """The reduced images from the JPEG decoded at 1/2, 1/4 or 1/8 in the DCT domain (the IDCT and
    colour conversion shrink; the entropy decoding does not): made while dzsave runs, on the core
    it leaves idle."""
    asset = work.asset
    shrunk = load_sanitised(work.original(), asset.detected_format, shrink=min(factor, 8))
    work.reduced = derivatives.chain_from_level(shrunk, asset.width, asset.height)
    return work.reduced


def step_derivatives(work: Work, *, tile_source: pyvips.Image | None = None,
                     alongside: Callable[[], None] | None = None, beside: bool = False) -> Update:
    """Web derivatives and the IIIF tile set. dzsave (effectively one core) runs in a thread from
    `tile_source` (default: the sanitised image); this thread meanwhile runs `alongside` (process()
    decodes and encodes the master there) and, when the image is too small to cut them from the
    pyramid or `beside` is asked (a JPEG: see media_pipeline/cpu.py), the derivatives."""
    asset = work.asset
    out = os.path.join(work.dir, "d")
    prefix = f"{private_prefix(asset)}/iiif"
    priv = storage.private()
    root = storage.local_path(priv, prefix)
    # Tiles are written next to their final place and moved in with one rename (local storage), or
    # uploaded from a temporary folder (S3): either way a crash leaves no half tile set under `prefix`.
    with storage.guard("preparing tiles"):
        build_parent = (os.path.join(os.path.dirname(root), ".build") if root else work.dir)
        if root:  # whatever a killed worker left half-built goes first
            shutil.rmtree(build_parent, ignore_errors=True)
        os.makedirs(build_parent, exist_ok=True)
    build = tempfile.mkdtemp(prefix="iiif-", dir=build_parent)
    try:
        tiles_dir = os.path.join(build, "iiif")
        # Derivatives are cut from the pyramid dzsave builds when it has a level at least the web size
        # (cheaper than another pass over the full image), else made beside dzsave.
        factor = tiles.level_factor(asset.width, asset.height, conf.get("WEB_SIZE")) if work.reduced is None else 1
        beside = beside and factor > 1 and asset.detected_format == "jpeg"
        with ThreadPoolExecutor(max_workers=1) as pool:
            pyramid = pool.submit(tiles.make_pyramid, tile_source if tile_source is not None else work.image(),
                                  tiles_dir)
            try:
                if alongside is not None:
                    alongside()
                if factor == 1 or beside:
                    reduced = _beside_from_shrunk(work, factor) if beside else _reduced(work)
                    names = derivatives.write(reduced, out)
            finally:
                pyramid.result()
        if factor > 1 and not beside:
            level = tiles.read_level(tiles_dir, asset.width, asset.height, factor)
            reduced = work.reduced = derivatives.chain_from_level(level, asset.width, asset.height)
            names = derivatives.write(reduced, out, threads=2)  # dzsave is done: both cores are free
        small = os.path.join(out, "small.jpg")
        reduced["small"].jpegsave(small, Q=82, keep="none")
        sized = [(reduced["web"].width, reduced["web"].height, os.path.join(out, "web.jpg")),
                 (reduced["thumb"].width, reduced["thumb"].height, os.path.join(out, "thumb.jpg")),
                 (reduced["small"].width, reduced["small"].height, small)]
        tiles.finish(asset.width, asset.height, sized, tiles_dir)
        found = {}
        for name, filename in names.items():
            key = f"{private_prefix(asset)}/d/{filename}"
            storage.put_file(priv, key, os.path.join(out, filename), move=True)
            found[name] = key
        storage.delete_prefix(priv, prefix)
        if root:
            with storage.guard("moving tiles"):
                os.replace(tiles_dir, root)
        else:
            storage.upload_tree(tiles_dir, priv, prefix)
    finally:
        shutil.rmtree(build_parent if root else build, ignore_errors=True)
    return {"derivatives": {**found, "iiif": prefix}}


def _step_av(work: Work) -> Update:
    asset = work.asset
    result = av.transcode(work.original(), asset.detected_format if asset.detected_format != "m4a" else "mp4",
                          asset.kind, os.path.join(work.dir, "av"))
    found = {}
    for name, filename in result["files"].items():
        key = f"{private_prefix(asset)}/d/{filename}"
        storage.put_file(storage.private(), key, os.path.join(work.dir, "av", filename))
        found[name] = key
    rendition = found[asset.kind]
    # The re-encoded rendition is the sanitised master of a recording (no metadata, every packet decoded).
    fields = {"master_key": rendition, "master_format": os.path.splitext(rendition)[1].lstrip("."),
              "master_sha256": sha256_file(os.path.join(work.dir, "av", result["files"][asset.kind])),
              "duration": result["duration"]}
    if asset.kind == "video":
        fields["width"], fields["height"] = result["width"], result["height"]
    return {"fields": fields, "derivatives": found}


def _step_transcript(work: Work) -> Update:
    asset = work.asset
    with open(work.original(), "rb") as fh:
        data = fh.read()
    try:
        text = transcripts.decode_text(data, asset.original_name)
        fmt, cues = transcripts.parse(text)
    except (IntakeError, ValueError) as exc:
        raise ProcessingError(str(exc)) from exc
    found = {}
    plain = transcripts.to_text(cues).encode()
    key = f"{private_prefix(asset)}/d/transcript.txt"
    storage.put_bytes(storage.private(), key, plain)
    found["text"] = key
    if fmt in ("vtt", "srt"):
        vtt = transcripts.to_vtt(cues).encode()
        key = f"{private_prefix(asset)}/d/captions.vtt"
        storage.put_bytes(storage.private(), key, vtt)
        found["vtt"] = key
    return {"fields": {"cues": cues, "master_key": found["text"], "master_format": "txt",
                       "master_sha256": hashlib.sha256(plain).hexdigest()}, "derivatives": found}


STEPS: dict[str, list[tuple[str, Callable[[Work], Update]]]] = {
    MediaAsset.Kind.IMAGE: [("master", step_master), ("derivatives", step_derivatives)],
    MediaAsset.Kind.AUDIO: [("av", _step_av)],
    MediaAsset.Kind.VIDEO: [("av", _step_av)],
    MediaAsset.Kind.TRANSCRIPT: [("transcript", _step_transcript)],
}


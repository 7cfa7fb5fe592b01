"""Images: probing at intake, and the sanitised image every derivative is made from.

Sanitising means: decoded by the one loader the sniff chose, first frame only, EXIF orientation
applied, colour converted to sRGB, alpha flattened, 8-bit, and *no* metadata written on any output
(`keep="none"`): GPS, serial numbers, names, XMP, IPTC and ICC all stay behind. Re-encoding means
trailing payloads and polyglot tails never reach an output file.
"""

from __future__ import annotations

import struct
from datetime import UTC, datetime

import pyvips
from django.utils.translation import gettext as _

from media_pipeline import conf
from media_pipeline.exceptions import ProcessingError
from media_pipeline.validation import Detected, check_pixels, refuse

_LOADERS = {
    "jpeg": pyvips.Image.jpegload,
    "png": pyvips.Image.pngload,
    "tiff": pyvips.Image.tiffload,
    "webp": pyvips.Image.webpload,
}


def _apng_frames(path: str) -> int:
    """Frame count of an animated PNG (acTL chunk), 1 for a still PNG. libvips reads frame one only."""
    with open(path, "rb") as fh:
        fh.seek(8)
        for _i in range(64):  # acTL must come before the first IDAT
            hdr = fh.read(8)
            if len(hdr) < 8:
                break
            length, ctype = struct.unpack(">I4s", hdr)
            if ctype == b"acTL":
                return max(1, struct.unpack(">I", fh.read(4))[0])
            if ctype == b"IDAT":
                break
            fh.seek(length + 4, 1)
    return 1


def _heif_to_vips(path: str) -> pyvips.Image:
    import pillow_heif

    heif = pillow_heif.open_heif(path, convert_hdr_to_8bit=True)
    img = heif[0]
    mode = img.mode
    if mode not in ("RGB", "RGBA"):
        raise ProcessingError(_("unsupported HEIC pixel format %(mode)s") % {"mode": mode})
    bands = 4 if mode == "RGBA" else 3
    w, h = img.size
    stride = img.stride
    data = bytes(img.data)
    if stride != w * bands:  # rows are padded: repack them
        row = w * bands
        data = b"".join(data[y * stride:y * stride + row] for y in range(h))
    # libheif has already applied the HEIF transforms (irot/imir), which supersede EXIF orientation.
    return pyvips.Image.new_from_memory(data, w, h, bands, "uchar").copy(interpretation="srgb")


def probe_image(path: str, fmt: str, name: str) -> Detected:
    """Read the header with the format's own loader, check the limits, decode small images fully."""
    frames = 1
    try:
        if fmt == "heic":
            import pillow_heif

            heif = pillow_heif.open_heif(path)
            frames = len(heif)
            width, height = heif[0].size
            check_pixels(name, width, height, frames)
            if width * height <= conf.get("INTAKE_FULL_DECODE_PIXELS"):
                _heif_to_vips(path).avg()
            return Detected("image", fmt, width, height, frames)
        img = _LOADERS[fmt](path, fail_on="error")
        width, height = img.width, img.height
        if img.get_typeof("n-pages"):
            frames = max(1, img.get("n-pages"))
        if fmt == "png":
            frames = max(frames, _apng_frames(path))
        page_height = img.get("page-height") if img.get_typeof("page-height") else height
        check_pixels(name, width, page_height, frames)
        if width * page_height <= conf.get("INTAKE_FULL_DECODE_PIXELS"):
            img.avg()  # a full decode: truncated or damaged data fails here
    except pyvips.Error as exc:
        raise refuse(name, _("it could not be read as a %(fmt)s image (the file is damaged or truncated).")
                     % {"fmt": fmt.upper()}, "damaged") from exc
    except ProcessingError as exc:
        raise refuse(name, str(exc), "damaged") from exc
    except Exception as exc:
        if exc.__class__.__name__ == "IntakeError":
            raise
        raise refuse(name, _("it could not be read as a %(fmt)s image.") % {"fmt": fmt.upper()}, "damaged") from exc
    return Detected("image", fmt, width, height, frames, extra={"capture_date": _capture_date(img)})


def _capture_date(img: pyvips.Image) -> str | None:
    """DateTimeOriginal, kept as a field for curators (never written into a public file)."""
    for field in ("exif-ifd2-DateTimeOriginal", "exif-ifd0-DateTime"):
        if img.get_typeof(field):
            raw = str(img.get(field)).split(" (")[0].strip()
            try:
                return datetime.strptime(raw, "%Y:%m:%d %H:%M:%S").replace(tzinfo=UTC).isoformat()
            except ValueError:
                continue
    return None


def load_sanitised(path: str, fmt: str, *, sequential: bool = True, shrink: int = 1) -> pyvips.Image:
    """The sanitised image (lazy): first frame, orientation applied, sRGB, opaque, 8-bit.
    `shrink` (JPEG only: 2, 4 or 8) decodes at that fraction of the size, in the DCT domain."""
    img = _heif_to_vips(path) if fmt == "heic" else _upright_first_frame(path, fmt, sequential, shrink)
    return _opaque_srgb_8bit(img)


def _upright_first_frame(path: str, fmt: str, sequential: bool, shrink: int = 1) -> pyvips.Image:
    # Rotation needs random access; sequential reading keeps memory flat for everything else.
    probe = _LOADERS[fmt](path)
    rotated = probe.get("orientation") if probe.get_typeof("orientation") else 1
    access = "sequential" if sequential and rotated in (1, 2, 4) else "random"
    opts = {"access": access, "fail_on": "error"}
    if fmt == "tiff" or fmt == "webp":
        opts["page"] = 0
    if fmt == "jpeg" and shrink > 1:
        opts["shrink"] = shrink
    img = _LOADERS[fmt](path, **opts)
    if fmt == "webp" and img.get_typeof("page-height") and img.get("page-height") != img.height:
        img = img.crop(0, 0, img.width, img.get("page-height"))
    return img.autorot()


def _opaque_srgb_8bit(img: pyvips.Image) -> pyvips.Image:
    if img.get_typeof("icc-profile-data"):
        try:
            img = img.icc_transform("srgb", embedded=True, intent="perceptual")
        except pyvips.Error:
            img = img.colourspace("srgb")
    elif img.interpretation not in ("srgb", "rgb") or img.format != "uchar":
        img = img.colourspace("srgb")
    if img.hasalpha():
        img = img.flatten(background=[255, 255, 255])
    if img.bands > 3:
        img = img.extract_band(0, n=3)
    if img.bands == 1:
        img = img.colourspace("srgb")
    if img.format != "uchar":
        img = img.cast("uchar")
    return img.copy(interpretation="srgb")

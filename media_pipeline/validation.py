"""Deciding what a file is from its bytes, and whether it may come in.

The name and the Content-Type are never consulted. First a magic-number sniff picks the one decoder
allowed to look at the file (so that no general-purpose loader gets to guess: libvips would happily
run an SVG, FFmpeg an HLS playlist); then that decoder must actually decode it within the limits.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from media_pipeline import conf
from media_pipeline.exceptions import IntakeError

IMAGE_FORMATS = {"jpeg", "png", "tiff", "webp", "heic"}
AUDIO_CODECS = {"mp3", "mp3float", "aac", "opus", "vorbis", "alac", "flac"} | {
    f"pcm_{x}" for x in ("s16le", "s24le", "s32le", "u8", "f32le", "s16be", "f64le", "alaw", "mulaw")
}
VIDEO_CODECS = {"h264", "hevc", "vp8", "vp9", "av1", "mpeg4"}
# Our sniff -> the one FFmpeg demuxer allowed to read it (never FFmpeg's own guess).
AV_DEMUXERS = {"mp3": "mp3", "wav": "wav", "mp4": "mov", "ogg": "ogg", "webm": "matroska", "aac": "aac"}
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}


@dataclass
class Detected:
    kind: str  # image | audio | video | transcript
    format: str  # jpeg, png, ..., mp3, mp4, ..., vtt, srt, text
    width: int | None = None
    height: int | None = None
    frames: int = 1
    duration: float | None = None
    extra: dict = field(default_factory=dict)


def refuse(name: str, reason: str, code: str) -> IntakeError:
    return IntakeError(_("“%(name)s” was refused: %(reason)s") % {"name": name, "reason": reason}, name=name,
                       reason_code=code)


# Known but refused types, so that the message can say what the file really is.
_REFUSED_MAGIC = [
    (b"GIF87a", "GIF"), (b"GIF89a", "GIF"), (b"%PDF", "PDF"), (b"PK\x03\x04", "ZIP"), (b"MZ", "Windows program"),
    (b"\x7fELF", "Linux program"), (b"\xfe\xed\xfa", "macOS program"), (b"\xcf\xfa\xed\xfe", "macOS program"),
    (b"\xca\xfe\xba\xbe", "macOS or Java program"), (b"BM", "BMP"), (b"\x00\x00\x01\x00", "icon"),
    (b"fLaC", "FLAC"), (b"Rar!", "RAR"), (b"7z\xbc\xaf", "7-Zip"), (b"\x1f\x8b", "gzip"),
    (b"\xff\x4f\xff\x51", "JPEG 2000"), (b"\x00\x00\x00\x0cjP  ", "JPEG 2000"), (b"8BPS", "Photoshop"),
    (b"#!", "script"), (b"{\\rtf", "RTF"), (b"\xd0\xcf\x11\xe0", "Office document"),
]


Sniffed = tuple[str, str] | tuple[None, str | None]


def sniff(head: bytes) -> Sniffed:
    """(kind, format) for an accepted type, or (None, label of a known refused type / None)."""
    for sniffer in _SNIFFERS:
        found = sniffer(head)
        if found is not None:
            return found
    for magic, label in _REFUSED_MAGIC:
        if head.startswith(magic):
            return None, label
    return "text", "text"


def _still_image(head: bytes) -> Sniffed | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "image", "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image", "png"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "image", "tiff"
    return None


def _riff(head: bytes) -> Sniffed | None:
    if head[:4] != b"RIFF":
        return None
    return {b"WEBP": ("image", "webp"), b"WAVE": ("audio", "wav")}.get(head[8:12])


def _iso_media(head: bytes) -> Sniffed | None:
    """ISO base media (MP4, M4A, MOV, HEIF, AVIF): told apart by the brand."""
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in HEIF_BRANDS:
            return "image", "heic"
        if brand in (b"avif", b"avis"):
            return None, "AVIF"
        return "av", "mp4"
    if head[4:8] in (b"moov", b"mdat", b"wide", b"free", b"skip"):
        return "av", "mp4"  # QuickTime files without ftyp
    return None


def _other_containers(head: bytes) -> Sniffed | None:
    if head.startswith(b"OggS"):
        return "av", "ogg"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "av", "webm"
    return None


def _mpeg_audio(head: bytes) -> Sniffed | None:
    """MP3 (an ID3 tag or an MPEG audio frame sync) and ADTS AAC."""
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0
                                   and (head[1] & 0x06) != 0):
        return "audio", "mp3"
    if len(head) > 1 and head[0] == 0xFF and (head[1] & 0xF6) == 0xF0:
        return "audio", "aac"
    return None


# In this order: the first that recognises the head decides.
_SNIFFERS = (_still_image, _riff, _iso_media, _other_containers, _mpeg_audio)


def detect(path: str, name: str) -> Detected:
    """Decide what the file at `path` is and check it against the limits, or raise IntakeError."""
    size = os.path.getsize(path)
    if size == 0:
        raise refuse(name, _("the file is empty."), "empty")
    if size > conf.get("MAX_FILE_BYTES"):
        raise refuse(name, _("the file is larger than %(limit)s MB.") % {
            "limit": conf.get("MAX_FILE_BYTES") // (1024 * 1024)}, "too_large")
    with open(path, "rb") as fh:
        head = fh.read(64)
    kind, fmt = sniff(head)
    if kind is None:
        if fmt:
            raise refuse(name, _("it is a %(type)s file, which the archive does not accept. Accepted: photographs "
                                 "(JPEG, PNG, TIFF, WebP, HEIC), recordings (MP3, WAV, M4A, OGG, MP4, WebM, MOV) "
                                 "and transcripts (WebVTT, SRT, text).") % {"type": fmt}, "type")
        raise refuse(name, _("its type is not recognised."), "type")
    if kind == "image":
        from media_pipeline.sanitising import probe_image

        return probe_image(path, fmt, name)
    if kind in ("audio", "av"):
        from media_pipeline.av import probe

        return probe(path, fmt, name)
    from media_pipeline.transcripts import probe_text

    return probe_text(path, name)


def check_pixels(name: str, width: int, height: int, frames: int = 1) -> None:
    if width <= 0 or height <= 0:
        raise refuse(name, _("the image has no pixels."), "damaged")
    side = conf.get("MAX_IMAGE_SIDE")
    if width > side or height > side or width * height > conf.get("MAX_IMAGE_PIXELS"):
        raise refuse(name, _("the image is %(w)s × %(h)s pixels, more than the %(mp)s megapixels allowed.") % {
            "w": width, "h": height, "mp": conf.get("MAX_IMAGE_PIXELS") // 1_000_000}, "too_many_pixels")
    if width * height * frames > conf.get("MAX_TOTAL_PIXELS"):
        raise refuse(name, _("its %(n)s frames hold more than the %(mp)s megapixels allowed in all.") % {
            "n": frames, "mp": conf.get("MAX_TOTAL_PIXELS") // 1_000_000}, "too_many_pixels")


def clean_name(original_name: str) -> str:
    """A display-only version of the client's file name: last path part, no control characters."""
    name = (original_name or "").replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".")
    with contextlib.suppress(Exception):
        name = name.encode("utf-8", "ignore").decode("utf-8")
    return name[:200] or "upload"

"""Test media generated in code (synthetic: gradients, tones; no real people)."""

from __future__ import annotations

import io
import math
import struct
from fractions import Fraction

import av
from PIL import Image, ImageDraw

GPS_LAT = (48, 51, 29.5)  # a made-up position; the tests look for it in every public file


def picture(width: int = 64, height: int = 48, mode: str = "RGB") -> Image.Image:
    """A left-to-right red ramp, a top-to-bottom green ramp and a marker in the top-left corner."""
    img = Image.new("RGB", (width, height))
    px = img.load()
    for y in range(height):
        for x in range(width):
            px[x, y] = (int(255 * x / max(1, width - 1)), int(255 * y / max(1, height - 1)), 90)
    ImageDraw.Draw(img).rectangle([0, 0, max(2, width // 8), max(2, height // 8)], fill=(255, 255, 255))
    return img.convert(mode) if mode != "RGB" else img


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "SyntheticCam"  # Make
    exif[0x0110] = "Model X-Secret"  # Model
    exif[0xA431] = "SERIAL-123456789"  # BodySerialNumber (in the Exif IFD below)
    exif[0x013B] = "Artist Name Hidden"  # Artist
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", tuple(Fraction(v).limit_denominator(100) for v in GPS_LAT)
    gps[3], gps[4] = "E", (Fraction(2), Fraction(21), Fraction(7))
    exif_ifd = exif.get_ifd(0x8769)
    exif_ifd[0x9003] = "2019:08:21 10:30:00"  # DateTimeOriginal
    exif_ifd[0xA431] = "SERIAL-123456789"
    return exif


def jpeg(width: int = 64, height: int = 48, *, orientation: int = 1, gps: bool = False, quality: int = 90) -> bytes:
    buf = io.BytesIO()
    kwargs = {"exif": exif_with_gps(orientation).tobytes()} if (gps or orientation != 1) else {}
    picture(width, height).save(buf, "JPEG", quality=quality, **kwargs)
    return buf.getvalue()


def image_bytes(fmt: str, width: int = 64, height: int = 48) -> bytes:
    if fmt == "heic":
        import pillow_heif

        heif = pillow_heif.from_pillow(picture(width, height))
        buf = io.BytesIO()
        heif.save(buf, quality=80)
        return buf.getvalue()
    buf = io.BytesIO()
    picture(width, height).save(buf, {"jpeg": "JPEG", "png": "PNG", "tiff": "TIFF", "webp": "WEBP"}[fmt])
    return buf.getvalue()


def png_with_size(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` (a decompression bomb)."""
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    # One compressed row of zeros repeated: tiny on disk, enormous decoded.
    raw = zlib.compress(b"\x00" * (width + 1) * 16, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def animated_gif(frames: int = 3, size: int = 32) -> bytes:
    imgs = [picture(size, size).convert("P") for _ in range(frames)]
    buf = io.BytesIO()
    imgs[0].save(buf, "GIF", save_all=True, append_images=imgs[1:], loop=0, duration=50)
    return buf.getvalue()


def animated_webp(frames: int, size: int) -> bytes:
    imgs = []
    for i in range(frames):
        img = picture(size, size)
        ImageDraw.Draw(img).rectangle([i % size, 0, i % size + 4, size], fill=(0, 0, i * 4 % 256))
        imgs.append(img)
    buf = io.BytesIO()
    imgs[0].save(buf, "WEBP", save_all=True, append_images=imgs[1:], duration=50, lossless=False, quality=10)
    return buf.getvalue()


def tone_samples(seconds: float, rate: int = 16000, freq: float = 440.0) -> bytes:
    n = int(seconds * rate)
    return b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * freq * i / rate))) for i in range(n))


def wav(seconds: float = 0.5, rate: int = 16000, samples: bytes | None = None) -> bytes:
    """A mono 16-bit WAV file: a tone, or the given little-endian samples."""
    data = tone_samples(seconds, rate) if samples is None else samples
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate * 2, 2, 16)
    return (b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt
            + b"data" + struct.pack("<I", len(data)) + data)


def encode_audio(container: str, codec: str, seconds: float = 0.5, rate: int = 48000) -> bytes:
    """Encode a tone with PyAV: ("mp3", "mp3"), ("ipod", "aac"), ("ogg", "libopus"), ("webm", "libopus")."""
    buf = io.BytesIO()
    with av.open(buf, "w", format=container) as out:
        stream = out.add_stream(codec, rate=rate)
        stream.layout = "mono"
        pcm = tone_samples(seconds, rate)
        frame = av.AudioFrame(format="s16", layout="mono", samples=len(pcm) // 2)
        frame.planes[0].update(pcm)
        frame.sample_rate = rate
        frame.pts = 0
        resampler = av.AudioResampler(format=stream.codec_context.format.name, layout="mono", rate=rate)
        for f in resampler.resample(frame) + resampler.resample(None):
            f.pts = None
            out.mux(stream.encode(f))
        out.mux(stream.encode(None))
    return buf.getvalue()


def encode_video(container: str = "mp4", codec: str = "libx264", frames: int = 12, size=(64, 48),
                 audio: bool = True, metadata: dict | None = None) -> bytes:
    buf = io.BytesIO()
    with av.open(buf, "w", format=container) as out:
        if metadata:
            out.metadata.update(metadata)
        v = out.add_stream(codec, rate=12)
        v.width, v.height, v.pix_fmt = size[0], size[1], "yuv420p"
        a = None
        if audio:
            a = out.add_stream("aac" if container in ("mp4", "mov") else "libopus", rate=48000)
            a.layout = "mono"
        for i in range(frames):
            img = picture(*size)
            ImageDraw.Draw(img).rectangle([i * 4, 20, i * 4 + 8, 28], fill=(0, 0, 255))
            frame = av.VideoFrame.from_image(img).reformat(format="yuv420p")
            frame.pts = i
            out.mux(v.encode(frame))
        out.mux(v.encode(None))
        if a is not None:
            pcm = tone_samples(frames / 12, 48000)
            frame = av.AudioFrame(format="s16", layout="mono", samples=len(pcm) // 2)
            frame.planes[0].update(pcm)
            frame.sample_rate = 48000
            resampler = av.AudioResampler(format="fltp", layout="mono", rate=48000)
            for f in resampler.resample(frame) + resampler.resample(None):
                f.pts = None
                out.mux(a.encode(f))
            out.mux(a.encode(None))
    return buf.getvalue()


VTT = """WEBVTT

1
00:00:00.000 --> 00:00:01.500
<v Narrator>I remember the <b>morning</b> light.</v>

2
00:00:01.500 --> 00:00:03.000
<script>alert('x')</script>We walked <i>home</i> together &amp; slowly.
"""

SRT = """1
00:00:00,000 --> 00:00:01,200
The square was quiet.

2
00:00:01,200 --> 00:00:02,400
<font color="red">Then</font> the bells rang.
"""

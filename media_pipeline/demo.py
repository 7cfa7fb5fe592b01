"""Synthetic demo media for `manage.py seed_demo` (no real people, places or voices).

Photos are drawn in code (each object recognisably itself, memorial places at dusk) carrying EXIF GPS and a rotated
orientation tag, so that the demo shows the pipeline stripping the position and turning the image
upright. Recordings are tones, one per sentence of the story, with WebVTT captions of those sentences.
"""

from __future__ import annotations

import io
import math
import random
import re
import struct
from fractions import Fraction

import av
from PIL import Image, ImageDraw

from media_pipeline.demo_drawings import draw
from media_pipeline.transcripts import to_vtt


def photo(seed: int, width: int = 1500, height: int = 1000, orientation: int = 6, subject: str = "square") -> bytes:
    """A JPEG of `subject` (an object or a scene, media_pipeline/demo_drawings.py) with GPS EXIF.
    With orientation 6 the pixels are stored on their side (as phones do)."""
    rnd = random.Random(seed)
    img = draw(subject, seed, width, height)
    if orientation == 6:  # store it rotated: the EXIF tag says how to turn it back
        img = img.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F], exif[0x0110] = "DemoCam", "Synthetic 1"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (Fraction(48), Fraction(51), Fraction(rnd.randint(0, 5900), 100))
    gps[3], gps[4] = "E", (Fraction(2), Fraction(21), Fraction(rnd.randint(0, 5900), 100))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=88, exif=exif.tobytes())
    return buf.getvalue()


def sentences(text: str, limit: int = 6) -> list[str]:
    parts = [s.strip() for s in re.split(r"(?<=[.!?。؟])\s+", text or "") if s.strip()]
    return parts[:limit] or ["(no words)"]


def _tones(count: int, seconds_each: float, rate: int) -> bytes:
    out = bytearray()
    for n in range(count):
        freq = 180 + 40 * (n % 5)
        samples = int(seconds_each * rate)
        for k in range(samples):
            fade = min(1.0, k / 800, (samples - k) / 800)
            out += struct.pack("<h", int(6000 * fade * math.sin(2 * math.pi * freq * k / rate)))
    return bytes(out)


def recording(count: int, seconds_each: float = 1.6, video: bool = False) -> bytes:
    """An M4A tone per sentence, or (video=True) a tiny MP4 with a moving bar and the same sound."""
    rate = 16000
    pcm = _tones(count, seconds_each, rate)
    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4" if video else "ipod") as out:
        vstream = None
        if video:
            vstream = out.add_stream("libx264", rate=8)
            vstream.width, vstream.height, vstream.pix_fmt = 160, 96, "yuv420p"
            vstream.options = {"preset": "ultrafast"}
        astream = out.add_stream("aac", rate=rate)
        astream.layout = "mono"
        if vstream is not None:
            for n in range(int(count * seconds_each * 8)):
                img = Image.new("RGB", (160, 96), (30, 40, 60))
                ImageDraw.Draw(img).rectangle([n * 3 % 160, 40, n * 3 % 160 + 12, 56], fill=(230, 200, 60))
                frame = av.VideoFrame.from_image(img).reformat(format="yuv420p")
                frame.pts = n
                out.mux(vstream.encode(frame))
            out.mux(vstream.encode(None))
        frame = av.AudioFrame(format="s16", layout="mono", samples=len(pcm) // 2)
        frame.planes[0].update(pcm)
        frame.sample_rate = rate
        resampler = av.AudioResampler(format="fltp", layout="mono", rate=rate)
        for f in resampler.resample(frame) + resampler.resample(None):
            f.pts = None
            out.mux(astream.encode(f))
        out.mux(astream.encode(None))
    return buf.getvalue()


def webvtt(lines: list[str], seconds_each: float = 1.6) -> bytes:
    cues = [{"start": n * seconds_each, "end": (n + 1) * seconds_each, "text": line} for n, line in enumerate(lines)]
    return to_vtt(cues).encode()

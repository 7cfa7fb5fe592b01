"""Synthetic test media, generated in code (no real people, no real places)."""

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw


def photo(name: str = "photo.jpg", size=(96, 72), seed: int = 0) -> SimpleUploadedFile:
    """A small JPEG with a GPS EXIF block (the pipeline must strip it)."""
    rnd = random.Random(seed)
    image = Image.new("RGB", size, (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rnd.randrange(size[0]), rnd.randrange(size[1])
        draw.ellipse((x, y, x + 20, y + 14), fill=(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)})  # a made-up point
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif, quality=85)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def not_an_image(name: str = "holiday.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"<html><script>alert(1)</script></html>", content_type="image/jpeg")

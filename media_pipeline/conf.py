"""The pipeline's limits and knobs, from settings.MEDIA_PIPELINE with safe defaults."""

from __future__ import annotations

from django.conf import settings

DEFAULTS: dict = {
    "MAX_FILE_BYTES": 1024 * 1024 * 1024,  # one file
    "MAX_SUBMISSION_BYTES": 2 * 1024 * 1024 * 1024,  # all files of one submission
    "MAX_IMAGE_PIXELS": 200_000_000,  # one frame
    "MAX_TOTAL_PIXELS": 250_000_000,  # all frames or pages together (animations, multi-page TIFF)
    "MAX_IMAGE_SIDE": 60_000,
    "MAX_VIDEO_PIXELS": 4096 * 2304,  # one video frame
    "MAX_DURATION": 4 * 3600.0,  # seconds of audio or video
    "MAX_TRANSCRIPT_BYTES": 4 * 1024 * 1024,
    # Images up to this size are fully decoded at intake so that damage is refused at once; larger
    # ones get structural checks at intake and are fully decoded (and refused if damaged) by process().
    "INTAKE_FULL_DECODE_PIXELS": 12_000_000,
    # Above this, images are processed streaming from disk instead of decoded once into memory.
    "IN_MEMORY_PIXELS": 50_000_000,
    "TILE_SIZE": 512,
    "TILE_QUALITY": 80,
    "MASTER_QUALITY": 90,
    # Web derivatives of a JPEG made beside dzsave from a shrink-on-load decode (True), after it from
    # its pyramid (False; less CPU), or None: beside when a core is idle (media_pipeline/cpu.py).
    "DERIVATIVES_BESIDE_TILES": None,
    "WEB_SIZE": 1600,  # also the IIIF "max" size (full/max); larger images declare maxWidth/maxHeight
    "THUMB_SIZE": 400,
    "RETRY_LIMIT": 5,
    "LEASE_SECONDS": 1800,  # a processing claim; renewed at every finished step
    "RETRY_BASE_SECONDS": 30,
    "PUBLIC_PREFIX": "p",
    "PRIVATE_PREFIX": "assets",
    # Dotted path of a callable(prefixes: list[str]) called after public files are closed (a CDN
    # purge); "" for none. See docs/security.md.
    "PURGE_HOOK": "",
    # Delete closed public files right after the closing commit even from local storage: set when
    # a web server serves that folder without asking `publication.readable` (nginx from disk).
    "REMOVE_CLOSED_AT_ONCE": False,
}


def get(name: str):
    return getattr(settings, "MEDIA_PIPELINE", {}).get(name, DEFAULTS[name])

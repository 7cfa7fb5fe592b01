"""A sanitised JPEG master without re-encoding: the original's compressed image, metadata cut away.

When a JPEG already *is* the sanitised image (sRGB YCbCr, no ICC profile, no rotation to apply),
re-encoding it for the private master would only lose quality and cost the most CPU of the whole
pipeline (~100 ms for 24 MP). Instead the master is rebuilt from the original's segments, keeping
only what decoding needs (quantisation and Huffman tables, frame and scan headers, the entropy-coded
data) under a fresh minimal JFIF header: every APPn (EXIF with GPS and serial numbers, XMP, IPTC,
ICC, MPF, JFIF thumbnails) and every comment is dropped, and so is everything after the end-of-image
marker (trailing payloads, appended images). The pixels are exactly the original's, and the same
decode that makes the tiles has already proved them decodable.

Anything unusual (CMYK or Adobe colour transforms, arithmetic or lossless coding, 12-bit, odd
component ids, bytes between segments, no end marker) returns None and the caller re-encodes.
"""

from __future__ import annotations

import re

# SOI + a JFIF 1.01 APP0 with no density information and no thumbnail.
HEADER = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
EOI = b"\xff\xd9"
_SOF_HUFFMAN = {0xC0, 0xC1, 0xC2}  # baseline, extended sequential, progressive
_COPIED = {0xC4, 0xDB, 0xDD}  # DHT, DQT, DRI
_DROPPED = set(range(0xE0, 0xF0)) | {0xFE}  # APPn, COM
# The next marker after entropy-coded data: 0xFF not followed by a stuffed zero or a restart marker,
# which belong to the scan. (No "\xff+" for fill bytes: without a literal prefix `re` scans ~20x
# slower; fill bytes before the marker are stepped back over instead.)
_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


class _NotApplicable(Exception):
    """This JPEG is not one whose segments can simply be copied: the caller re-encodes it."""


def strip(data: bytes) -> bytes | None:
    """The metadata-free JPEG with the same compressed image, or None when not applicable."""
    try:
        return _strip(data)
    except _NotApplicable:
        return None


def _strip(data: bytes) -> bytes:
    if not data.startswith(b"\xff\xd8"):
        raise _NotApplicable
    out = [HEADER]
    pos = 2
    frame = scans = 0
    while True:
        marker, pos = _marker(data, pos)
        if marker == 0xD9:
            break
        end = _segment_end(data, pos)
        if marker in _DROPPED:
            _check_dropped(marker, data[pos + 2:end])
        elif marker in _SOF_HUFFMAN:
            if frame:
                raise _NotApplicable
            _check_frame(data[pos + 2:end])
            frame += 1
            out.append(data[pos - 2:end])  # the 0xFF and the marker byte are the two before `pos`
        elif marker in _COPIED:
            out.append(data[pos - 2:end])
        elif marker == 0xDA:  # start of scan: the header, then the entropy-coded data up to the next marker
            if not frame:
                raise _NotApplicable
            stop = _scan_end(data, end)
            out.append(data[pos - 2:stop])
            scans += 1
            end = stop
        else:
            raise _NotApplicable  # DNL, DAC, hierarchical, lossless, reserved: not ours to copy
        pos = end
    if not scans:
        raise _NotApplicable
    out.append(EOI)
    return b"".join(out)


def _marker(data: bytes, pos: int) -> tuple[int, int]:
    """The marker at `pos` (after any fill bytes) and the position after it."""
    n = len(data)
    if pos + 2 > n or data[pos] != 0xFF:
        raise _NotApplicable  # bytes between segments
    while pos < n and data[pos] == 0xFF:  # fill bytes before a marker
        pos += 1
    if pos >= n:
        raise _NotApplicable
    return data[pos], pos + 1


def _segment_end(data: bytes, pos: int) -> int:
    """The end of the segment whose length field is at `pos`."""
    if pos + 2 > len(data):
        raise _NotApplicable
    length = int.from_bytes(data[pos:pos + 2], "big")
    if length < 2 or pos + length > len(data):
        raise _NotApplicable
    return pos + length


def _check_dropped(marker: int, body: bytes) -> None:
    if (marker == 0xEE and body.startswith(b"Adobe")) or (marker == 0xE2 and body.startswith(b"ICC_PROFILE")):
        raise _NotApplicable  # colour transform or profile: the sanitised pixels differ; re-encode


def _check_frame(body: bytes) -> None:
    """8-bit, three components, with the ids of YCbCr (other ids may mean RGB)."""
    if len(body) < 6 + 3 * 3 or body[0] != 8 or body[5] != 3:
        raise _NotApplicable
    if {body[6], body[9], body[12]} not in ({1, 2, 3}, {0, 1, 2}):
        raise _NotApplicable


def _scan_end(data: bytes, start: int) -> int:
    """Where the entropy-coded data that follows a scan header ending at `start` stops."""
    found = _NEXT_MARKER.search(data, start)
    if found is None:
        raise _NotApplicable  # truncated: no end-of-image marker
    stop = found.start()
    while data[stop - 1] == 0xFF and stop - 1 > start:  # fill bytes belong to the marker
        stop -= 1
    return stop

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


def strip(data: bytes) -> bytes | None:
    """The metadata-free JPEG with the same compressed image, or None when not applicable."""
    if not data.startswith(b"\xff\xd8"):
        return None
    out = [HEADER]
    pos, n = 2, len(data)
    frame = scans = 0
    while True:
        if pos + 2 > n or data[pos] != 0xFF:
            return None
        while pos < n and data[pos] == 0xFF:  # fill bytes before a marker
            pos += 1
        if pos >= n:
            return None
        marker = data[pos]
        pos += 1
        if marker == 0xD9:
            break
        if pos + 2 > n:
            return None
        length = int.from_bytes(data[pos:pos + 2], "big")
        end = pos + length
        if length < 2 or end > n:
            return None
        body = data[pos + 2:end]
        if marker in _DROPPED:
            if (marker == 0xEE and body.startswith(b"Adobe")) or (marker == 0xE2 and body.startswith(b"ICC_PROFILE")):
                return None  # colour transform or profile: the sanitised pixels differ; re-encode
            pos = end
            continue
        segment = b"\xff" + bytes([marker]) + data[pos:end]
        if marker in _SOF_HUFFMAN:
            if frame or len(body) < 6 + 3 * 3 or body[0] != 8 or body[5] != 3:
                return None
            ids = {body[6], body[9], body[12]}
            if ids not in ({1, 2, 3}, {0, 1, 2}):  # other ids may mean RGB rather than YCbCr
                return None
            frame += 1
            out.append(segment)
        elif marker in _COPIED:
            out.append(segment)
        elif marker == 0xDA:  # start of scan: the header, then the entropy-coded data up to the next marker
            if not frame:
                return None
            found = _NEXT_MARKER.search(data, end)
            if found is None:
                return None  # truncated: no end-of-image marker
            stop = found.start()
            while data[stop - 1] == 0xFF and stop - 1 > end:  # fill bytes belong to the marker
                stop -= 1
            out.append(data[pos - 2:stop])
            scans += 1
            pos = stop
            continue
        else:
            return None  # DNL, DAC, hierarchical, lossless, reserved: not ours to copy
        pos = end
    if not scans:
        return None
    out.append(EOI)
    return b"".join(out)

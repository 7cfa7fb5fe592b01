"""Plain file answers over WSGI: a safe path inside the public folder, conditional requests and
single byte ranges, and the chunked body. Used by memorial/fastpath.py (and the path check by
memorial/urls.py), with no Django request in between.
"""

from __future__ import annotations

import os
import re
from email.utils import parsedate_to_datetime

CHUNK = 64 * 1024
# Up to 18 digits: any real file size; longer numbers are not a range we serve (the whole file is).
_RANGE = re.compile(r"^bytes=(\d{0,18})-(\d{0,18})$")


def public_file(root: str | None, rel: str) -> str | None:
    """The path of `rel` inside the public folder `root`, or None when it could lead anywhere else
    ("..", hidden names, back slashes, NUL, a symbolic link out of the folder)."""
    if not root or not rel or "\x00" in rel or "\\" in rel:
        return None
    parts = rel.split("/")
    if any(not part or part.startswith(".") for part in parts):
        return None
    full = os.path.join(root, *parts)
    if not os.path.realpath(full).startswith(root.rstrip(os.sep) + os.sep):
        return None
    return full


class FileIterator:
    """The body of a file answer, in chunks, up to `length` bytes; closes the file when done."""

    def __init__(self, fh, chunk: int = CHUNK, length: int | None = None):
        self.fh, self.chunk, self.left = fh, chunk, length

    def __iter__(self):
        while self.left is None or self.left > 0:
            data = self.fh.read(self.chunk if self.left is None else min(self.chunk, self.left))
            if not data:
                break
            if self.left is not None:
                self.left -= len(data)
            yield data

    def close(self):
        self.fh.close()


def not_modified(environ, etag: str, mtime: float) -> bool:
    match = environ.get("HTTP_IF_NONE_MATCH")
    if match is not None:
        return etag in {t.strip() for t in match.split(",")} or match.strip() == "*"
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if since:
        try:
            return int(mtime) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
    return False


def byte_range(environ, etag: str, size: int):
    """(start, end) of one satisfiable range, "unsatisfiable", or None for the whole file."""
    header = environ.get("HTTP_RANGE")
    if not header or not size:
        return None  # no range asked, or an empty file: the whole (empty) answer
    if_range = environ.get("HTTP_IF_RANGE")
    if if_range is not None and if_range.strip() != etag:
        return None  # the file changed since the client's first part: send it whole
    match = _RANGE.match(header.strip())
    if match is None:
        return None  # several ranges or another unit: the whole file is a valid answer
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        n = int(last)
        if n == 0:
            return "unsatisfiable"
        return max(0, size - n), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        return "unsatisfiable"
    return start, end

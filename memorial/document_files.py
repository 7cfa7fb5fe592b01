"""Built IIIF documents as files, for the front web server to send (``IIIF_DOCUMENT_ROOT``).

The fast path (memorial/fastpath.py) replays manifests and collections from memory, but each
replay still costs a trip through gunicorn and Python. With ``IIIF_DOCUMENT_ROOT`` set, it also
writes each document it builds under that folder, and nginx (deploy/nginx.conf) sends the file
when there is one and asks the archive otherwise. What keeps that consent-safe is where files go:

* ``live`` is a symlink to the folder nginx reads. **Every committed write to the archive is
  followed, before its call returns, by `renew()`**: a fresh, empty folder becomes ``live`` (a new
  symlink renamed over the old one: atomic). Folders are never reused.
* A writer reads ``live`` *before* it reads the generation token and renders, and writes into that
  folder by its real name. A document rendered before a change is therefore in a folder that the
  change's renewal has already taken out of service, or is rendered after the change: nginx
  never sends a document older than the last committed write once that write's call has returned.
* Time: an embargo ending, a consent's ``public_until`` or an exhibition window changes documents
  without any write. nginx asks the document gate (`ensure_fresh`) at most once a second (its
  answer is kept for a second, like the media gate's); the gate renews ``live`` when such a
  boundary has passed since the folder was made, when the folder is older than
  ``PAGE_CACHE_TIMEOUT``, or when its token is not the current one (a renewal that failed), so a
  file outlives a time boundary by two seconds at most, as public media files do.

Every process that writes to the archive (web, workers, commands) must see the same folder as
nginx (one disk, or a shared volume); where that cannot be, leave ``IIIF_DOCUMENT_ROOT`` empty.
Folders out of service are removed after ``GRACE`` seconds (a writer may still be finishing one).
"""

from __future__ import annotations

import contextlib
import gzip
import logging
import os
import secrets
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction

from archive import generation, surfaces

logger = logging.getLogger(__name__)

LIVE = "live"
GRACE = 60  # seconds a folder out of service stays for writers still finishing in it
_boundaries: dict[str, float] = {}  # folder name -> its next time boundary (epoch seconds)
_pruned = [float("-inf")]  # time.monotonic() of this process's last look for folders to remove


def root() -> Path | None:
    location = getattr(settings, "IIIF_DOCUMENT_ROOT", "")
    return Path(location) if location else None


def _parse(name: str) -> tuple[str, int] | None:
    """A folder's (token, creation time in ns), from its name "<token>.<ns>.<random>"."""
    parts = name.split(".")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    return parts[0], int(parts[1])


def live_name() -> str | None:
    """The folder nginx reads now (its name), or None (no folder, or documents on disk are off)."""
    base = root()
    if base is None:
        return None
    try:
        name = os.readlink(base / LIVE)
    except OSError:
        return None
    return name if _parse(name) else None


def renew(token: str | None = None) -> bool:
    """Put a fresh, empty folder in service (see the module's docstring); False if it failed."""
    base = root()
    if base is None:
        return True
    name = f"{token or 'none'}.{time.time_ns()}.{secrets.token_hex(4)}"
    link = base / f".{name}.link"
    try:
        (base / name).mkdir(parents=True)
        os.symlink(name, link)
        os.replace(link, base / LIVE)
    except OSError:
        logger.exception("IIIF documents on disk: no fresh folder; taking the old one out of service")
        _unlink(base / LIVE)
        _unlink(link)
        return False
    if time.monotonic() - _pruned[0] >= GRACE / 4:  # a burst of writes (an ingest) lists the root once
        _pruned[0] = time.monotonic()
        _prune(base, keep=name)
    return True


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError:
        logger.exception("IIIF documents on disk: %s could not be removed", path)


def _prune(base: Path, keep: str, grace: int | None = None) -> None:
    cutoff = time.time_ns() - (GRACE if grace is None else grace) * 1_000_000_000
    try:
        names = os.listdir(base)
    except OSError:
        return
    for name in names:
        parsed = _parse(name)
        if parsed and name != keep and parsed[1] < cutoff:
            shutil.rmtree(base / name, ignore_errors=True)
            _boundaries.pop(name, None)


def write(folder: str, path: str, body: bytes, made_ns: int) -> None:
    """Write the document for request path `path` (already matched by the fast path's pattern)
    into `folder`, unless it was made before the folder (then it may predate a time boundary)."""
    base = root()
    parsed = _parse(folder)
    if base is None or parsed is None or made_ns < parsed[1]:
        return
    target = base / folder / (path.lstrip("/") + ".json")
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}")
    try:
        _make_below(base / folder, target.parent)
        # The compressed copy first: nginx (gzip_static) sends it only beside its plain file.
        tmp.write_bytes(gzip.compress(body, 6, mtime=0))
        os.replace(tmp, target.with_name(target.name + ".gz"))
        tmp.write_bytes(body)
        os.replace(tmp, target)
    except OSError:
        logger.warning("IIIF document not written to disk: %s", target, exc_info=True)
        _unlink(tmp)


def predates(made_ns: int, folder: str | None) -> bool:
    """A copy made before `folder` was put in service (it may predate a time boundary)."""
    parsed = _parse(folder) if folder else None
    return parsed is not None and made_ns < parsed[1]


class Writer:
    """Writes each document once per folder: nginx asks the archive only while the live folder
    lacks it, and a request straight to gunicorn (no nginx) must not rewrite it every time."""

    def __init__(self, size: int = 8000):
        self.size, self.done = size, set()

    def put(self, folder: str | None, path: str, body: bytes, made_ns: int) -> None:
        if folder is None or (folder, path) in self.done:
            return
        write(folder, path, body, made_ns)
        if len(self.done) >= self.size:
            self.done.clear()
        self.done.add((folder, path))


def _make_below(folder: Path, directory: Path) -> None:
    """Make `directory` inside `folder`, never `folder` itself: a folder removed (an erasure) stays gone."""
    for part in reversed([directory, *directory.parents][:len(directory.relative_to(folder).parts)]):
        with contextlib.suppress(FileExistsError):
            part.mkdir()


def _next_boundary(name: str, created_ns: int) -> float:
    found = _boundaries.get(name)
    if found is None:
        from memorial import pagecache

        created = datetime.fromtimestamp(created_ns / 1e9, tz=UTC)
        found = pagecache.next_boundary(created).timestamp()
        if len(_boundaries) > 256:
            _boundaries.clear()
        _boundaries[name] = found
    return found


def ensure_fresh() -> bool:
    """The document gate: True when ``live`` may be sent (renewed first if it had to be)."""
    base = root()
    if base is None:
        return False
    token = generation.current_token()
    name = live_name()
    parsed = _parse(name) if name else None
    if parsed is not None and token is not None and parsed[0] == token:
        now = time.time()
        age = now - parsed[1] / 1e9
        if age < getattr(settings, "PAGE_CACHE_TIMEOUT", 600) and now < _next_boundary(name, parsed[1]):
            return True
    return token is not None and renew(token)


def gate(start_response):
    """nginx's auth_request before it sends a document from disk (DOCUMENT_GATE_PATH): 204 once the
    live folder is fresh, 403 (nginx then asks the archive for the document) if it cannot be."""
    from django.core.signals import request_finished, request_started
    from django.db import connection

    request_started.send(sender=gate, environ={})  # Django's connection upkeep, as for a request
    try:
        fresh = ensure_fresh()
    except Exception:  # the database is unwell: no file is sent; Django answers (and reports)
        logger.warning("Document gate closed", exc_info=True)
        connection.close()
        fresh = False
    finally:
        request_finished.send(sender=gate)
    start_response("204 No Content" if fresh else "403 Forbidden",
                   [("Cache-Control", "no-store"), ("Content-Length", "0")])
    return []


def purge() -> None:
    """A fresh folder, and every other one removed now, without the grace: after an erasure no copy
    of the erased words may stay on disk, in service or not (a writer still finishing in a removed
    folder fails: folders are never made again)."""
    base = root()
    if base is not None and renew(generation.current_token()):
        _prune(base, keep=live_name() or "", grace=0)


class DocumentFilesSurface(surfaces.Surface):
    """The documents on disk hold an erased item's words until its erasure removes them."""

    name = "documents_on_disk"
    label = "IIIF documents on disk"
    propagates = False  # every committed write renews the folder (see connect)

    def erase(self, item) -> str:
        transaction.on_commit(purge)
        return "IIIF documents on disk removed"


def connect() -> None:
    """Called from MemorialConfig.ready(): renew with every bump, and with every local drop (a bump
    that failed): either way what was built before may not be sent any more."""
    generation.on_bump(renew)  # a no-op while IIIF_DOCUMENT_ROOT is empty
    generation.on_local_drop(renew)
    surfaces.register(DocumentFilesSurface())

"""The hottest public GETs, answered in front of Django: files, and IIIF documents already built.

A viewer showing one photograph fetches dozens of tiles and a manifest; under load those requests
outnumber pages by far, and for them Django's request and response objects and its middleware
chain cost more than the answer itself (~0.2 ms against ~20 µs for sending a file). This WSGI
layer (memorial/wsgi.py puts it around Django) answers three kinds of request itself and passes
everything else, and everything it is unsure of, to Django unchanged:

* **Static files** (collected, production only): WhiteNoise's own file index and responses, the
  same configuration as its middleware (which still serves them when DEBUG autorefreshes).
* **Public media** (embedded mode, ``SERVE_PUBLIC_MEDIA``): derivatives, IIIF tiles and info.json,
  recordings, from the public storage folder only, and only while the file's asset is published
  (media_pipeline.publication.readable: one indexed query, so a consent change is seen the moment
  it commits, conditional requests included); single byte ranges (video seeking). Anything missing, odd or
  outside the folder goes to Django, which answers 404 as before. Private storage has no URL.
* **The media gate** (``MEDIA_GATE_PATH``): where nginx serves public media from disk itself
  (deploy/nginx.conf), it first asks here with ``auth_request``: 204 while the file named by
  ``X-Original-URI`` may be answered, 403 otherwise (nginx then answers 404). The same one query
  as above, so the gate closes with the transaction, and at ``public_until`` without any sweep.
* **IIIF documents** (manifests and collections) for anonymous requests, replayed from a
  per-process copy made by Django. Consent is never taken from the copy's age: each copy is tied
  to the shared generation token of memorial/pagecache.py, which every committed write to the
  archive changes (a withdrawal included, in any process), and to the next embargo, expiry or
  publication boundary. A request reads the token (one indexed query); a copy made under another
  token, or before a boundary that has since passed, is never replayed; nor is one older than
  PAGE_CACHE_TIMEOUT or made before this process dropped its cached pages (pagecache.clear).
  Change Discovery pages are not cached here (their table does not change the token), nor is
  content search.
* **IIIF documents on disk** (``IIIF_DOCUMENT_ROOT``): each copy is also written as a file for
  nginx to send, and ``DOCUMENT_GATE_PATH`` is nginx's once-a-second question whether the folder
  of files is still fresh (memorial/document_files.py says why that is consent-safe).

Every answer carries the headers Django's security middleware would add (nosniff, referrer policy,
HSTS on HTTPS, a Content-Security-Policy); plain HTTP is left to Django when it must redirect, and a
Host header outside ALLOWED_HOSTS is left to Django to refuse.
"""

from __future__ import annotations

import mimetypes
import os
import posixpath
import re
import stat
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from email.utils import formatdate
from urllib.parse import unquote

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import connection
from django.http.request import split_domain_port, validate_host
from django.utils import timezone

from archive import generation
from media_pipeline import publication
from memorial import document_files, pagecache
from memorial.http_files import CHUNK, FileIterator, byte_range, not_modified, public_file
from memorial.security import build_permissions_policy

DOCUMENT_PATHS = re.compile(r"^/iiif/(?:collection/(?:top|items(?:/\d+)?|exhibition/[-\w]+)|item/[-\w]+/manifest)$")
# Files are never documents to render: a file that somehow were HTML or SVG gets no script and no frame.
FILE_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"
MEDIA_GATE_PATH = "/internal/media-gate"
DOCUMENT_GATE_PATH = "/internal/document-gate"
MEDIA_MAX_AGE = 60  # seconds: tiles live at token URLs that a withdrawal retracts; caches must let go soon


@dataclass(frozen=True)
class _Copy:
    token: str
    boundary: object
    epoch: int  # generation.local_epoch when made
    expires: float  # time.monotonic() after which it is made again (PAGE_CACHE_TIMEOUT)
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str
    made_ns: int  # wall clock, when rendered (a document on disk must not predate its folder)


class _Copies:
    """A small thread-safe LRU of document copies (per process, like the page cache)."""

    def __init__(self, size: int):
        self.size, self.lock, self.items = size, threading.Lock(), OrderedDict()

    def get(self, key):
        with self.lock:
            copy = self.items.get(key)
            if copy is not None:
                self.items.move_to_end(key)
            return copy

    def put(self, key, copy: _Copy) -> None:
        with self.lock:
            self.items[key] = copy
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


class FastPath:
    def __init__(self, application):
        self.application = application
        self.static = None
        if "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE:
            from whitenoise.middleware import WhiteNoiseMiddleware

            whitenoise = WhiteNoiseMiddleware(get_response=None)
            if not whitenoise.autorefresh:  # DEBUG: the middleware finds files as they change
                self.static = whitenoise
        self.static_prefix = getattr(self.static, "static_prefix", None)
        media_url = settings.MEDIA_PUBLIC_URL
        self.media_prefix = media_url if getattr(settings, "SERVE_PUBLIC_MEDIA", False) \
            and media_url.startswith("/") else None
        location = settings.STORAGES["public"].get("OPTIONS", {}).get("location")
        self.media_root = os.path.realpath(location) if location else None
        self.documents = _Copies(getattr(settings, "FAST_PATH_DOCUMENTS", 2000))
        self.on_disk = document_files.Writer()  # with IIIF_DOCUMENT_ROOT: copies for nginx to send
        self.hosts: dict[str, bool] = {}
        headers = [("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", settings.X_FRAME_OPTIONS),
                   ("Permissions-Policy", build_permissions_policy())]
        if settings.SECURE_REFERRER_POLICY:
            headers.append(("Referrer-Policy", settings.SECURE_REFERRER_POLICY))
        self.common = headers
        self.hsts = None
        if settings.SECURE_HSTS_SECONDS:
            self.hsts = f"max-age={settings.SECURE_HSTS_SECONDS}" \
                + ("; includeSubDomains" if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS else "") \
                + ("; preload" if settings.SECURE_HSTS_PRELOAD else "")
        self.types: dict[str, str] = {}

    # --- dispatch ---------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "")
        if path == MEDIA_GATE_PATH and method in ("GET", "HEAD"):
            return self._gate(environ, start_response)
        if path == DOCUMENT_GATE_PATH and method in ("GET", "HEAD"):
            return document_files.gate(start_response)
        if method in ("GET", "HEAD") and self._ours(environ):
            if self.static is not None and path.startswith(self.static_prefix):
                found = self.static.files.get(path)
                if found is not None:
                    return self._static(found, environ, start_response)
            elif self.media_prefix and path.startswith(self.media_prefix):
                answer = self._media(path[len(self.media_prefix):], environ, start_response)
                if answer is not None:
                    return answer
            elif DOCUMENT_PATHS.match(path) and getattr(settings, "PAGE_CACHE_ENABLED", True):
                return self._document(path, environ, start_response)
        return self.application(environ, start_response)

    def _secure(self, environ) -> bool:
        if environ.get("wsgi.url_scheme") == "https":
            return True
        proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
        return bool(proxy) and environ.get(proxy[0], "").split(",")[0].strip() == proxy[1]

    def _ours(self, environ) -> bool:
        """Only requests Django would answer as they are: allowed host, no redirect to HTTPS due."""
        if settings.SECURE_SSL_REDIRECT and not self._secure(environ):
            return False
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        known = self.hosts.get(host)
        if known is None:
            domain, _port = split_domain_port(host)
            allowed = list(settings.ALLOWED_HOSTS)
            if settings.DEBUG and not allowed:
                allowed = [".localhost", "127.0.0.1", "[::1]"]
            known = bool(domain) and validate_host(domain, allowed)
            if len(self.hosts) < 64:  # a bounded memo: a flood of made-up hosts cannot grow it
                self.hosts[host] = known
        return known

    def _headers(self, environ, extra: list[tuple[str, str]]) -> list[tuple[str, str]]:
        headers = extra + self.common
        if self.hsts and self._secure(environ):
            headers.append(("Strict-Transport-Security", self.hsts))
        return headers

    # --- static files (WhiteNoise) ----------------------------------------------------------

    def _static(self, found, environ, start_response):
        response = found.get_response(environ["REQUEST_METHOD"], environ)
        headers = self._headers(environ, list(response.headers) + [("Cross-Origin-Resource-Policy", "cross-origin")])
        start_response(f"{response.status} {response.status.phrase}", headers)
        if response.file is None:
            return []
        return environ.get("wsgi.file_wrapper", FileIterator)(response.file, CHUNK)

    # --- public media -----------------------------------------------------------------------

    def _readable(self, rel: str) -> bool:
        """The published state, read per request (one indexed query). Without Django's request
        signals: opening a connection costs ~15 times the query, so this thread's connection stays
        open between tiles (the next Django request on the thread closes it as its age says). A
        database that is unwell leaves the answer to Django."""
        try:
            return publication.readable(rel)
        except Exception:
            connection.close()
            return False

    def _gate(self, environ, start_response):
        """nginx's auth_request for a public file it serves from disk. Neither host nor scheme is
        checked: the answer says no more than a GET of the file itself would."""
        uri = _normalised(environ.get("HTTP_X_ORIGINAL_URI", ""))
        prefix = settings.MEDIA_PUBLIC_URL
        allowed = (self.media_root is not None and prefix.startswith("/") and uri.startswith(prefix)
                   and self._readable(uri[len(prefix):]))
        start_response("204 No Content" if allowed else "403 Forbidden",
                       [("Cache-Control", "no-store"), ("Content-Length", "0")])
        return []

    def _content_type(self, name: str) -> str:
        ext = os.path.splitext(name)[1].lower()
        found = self.types.get(ext)
        if found is None:
            found = mimetypes.guess_type("x" + ext)[0] or "application/octet-stream"
            if found.startswith("text/"):
                found += "; charset=utf-8"
            self.types[ext] = found
        return found

    def _media(self, rel: str, environ, start_response):
        """A public file, or None for Django to answer (missing, not a plain file, odd path, or
        closed: its asset unpublished, past its public_until, or its tiles no longer public)."""
        full = public_file(self.media_root, rel)
        if full is None or not self._readable(rel):
            return None
        try:
            fh = open(full, "rb")  # noqa: SIM115 (handed to the server, which closes it)
        except OSError:
            return None
        try:
            info = os.fstat(fh.fileno())
        except OSError:
            fh.close()
            return None
        if not stat.S_ISREG(info.st_mode):
            fh.close()
            return None
        size, mtime = info.st_size, info.st_mtime
        etag = f'"{info.st_mtime_ns:x}-{size:x}"'
        headers = [("Content-Type", self._content_type(full)), ("ETag", etag),
                   ("Last-Modified", formatdate(mtime, usegmt=True)),
                   ("Cache-Control", f"public, max-age={MEDIA_MAX_AGE}"), ("Accept-Ranges", "bytes"),
                   ("Access-Control-Allow-Origin", "*"), ("Access-Control-Expose-Headers", "ETag, Content-Range"),
                   ("Cross-Origin-Resource-Policy", "cross-origin"), ("Content-Security-Policy", FILE_CSP)]
        if not_modified(environ, etag, mtime):
            fh.close()
            start_response("304 Not Modified", self._headers(environ, headers))
            return []
        start, end = 0, size - 1
        status = "200 OK"
        wanted = byte_range(environ, etag, size)
        if wanted == "unsatisfiable":
            fh.close()
            headers = [("Content-Range", f"bytes */{size}"), ("Content-Length", "0"), *headers]
            start_response("416 Range Not Satisfiable", self._headers(environ, headers))
            return []
        if wanted is not None:
            start, end = wanted
            status = "206 Partial Content"
            headers.append(("Content-Range", f"bytes {start}-{end}/{size}"))
        length = end - start + 1 if size else 0
        headers.append(("Content-Length", str(length)))
        start_response(status, self._headers(environ, headers))
        if environ["REQUEST_METHOD"] == "HEAD":
            fh.close()
            return []
        if status == "200 OK":
            return environ.get("wsgi.file_wrapper", FileIterator)(fh, CHUNK)
        fh.seek(start)
        return FileIterator(fh, CHUNK, length)

    # --- IIIF documents ---------------------------------------------------------------------

    def _document(self, path: str, environ, start_response):
        cookies = environ.get("HTTP_COOKIE", "")
        if "HTTP_AUTHORIZATION" in environ or settings.SESSION_COOKIE_NAME in cookies:
            return self.application(environ, start_response)
        # Django's request signals, as its handler sends them: connections past their age or broken
        # are closed at the start and the end, as for any other request.
        request_started.send(sender=self.__class__, environ=environ)
        _token_query_is_the_health_check()
        # On disk, only into the folder that was live before the token was read (document_files.py).
        folder = document_files.live_name() if not environ.get("QUERY_STRING") else None
        try:
            token = pagecache.current_token()
            boundary = pagecache.boundary(token, timezone.now()) if token else None
        except Exception:  # the database is unwell: let Django answer (and report) as usual
            connection.close()  # a broken connection is not used again; Django opens a new one
            token = None
        if token is None:
            request_finished.send(sender=self.__class__)
            return self.application(environ, start_response)
        try:
            return self._document_for(path, token, boundary, folder, environ, start_response)
        finally:
            request_finished.send(sender=self.__class__)

    def _document_for(self, path: str, token: str, boundary, folder: str | None, environ, start_response):
        key = (path, environ.get("QUERY_STRING", ""), environ.get("HTTP_HOST", ""), environ.get("wsgi.url_scheme"))
        copy = self.documents.get(key)
        if (copy is not None and copy.token == token and copy.boundary == boundary
                and copy.epoch == generation.local_epoch and time.monotonic() < copy.expires
                and not document_files.predates(copy.made_ns, folder)):
            self.on_disk.put(folder, path, copy.body, copy.made_ns)
            return self._replay(copy, environ, start_response, "hit")
        epoch = generation.local_epoch  # read before rendering, like the token
        made_ns = time.time_ns()
        status, headers, body = self._render(environ)
        copy = _keepable(status, headers, body, token, boundary, epoch, made_ns)
        if copy is None:  # a 404 (not public), an error, a cookie: passed on as it is, never kept
            start_response(status, headers)
            return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]
        self.documents.put(key, copy)
        self.on_disk.put(folder, path, copy.body, copy.made_ns)
        return self._replay(copy, environ, start_response, "miss")

    def _render(self, environ) -> tuple[str, list[tuple[str, str]], bytes]:
        """Django's answer to a plain, unconditional GET for this document."""
        plain = {k: v for k, v in environ.items() if k not in ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")}
        plain["REQUEST_METHOD"] = "GET"
        seen: dict = {}

        def capture(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return lambda data: None

        result = self.application(plain, capture)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return seen["status"], list(seen["headers"]), body

    def _replay(self, copy: _Copy, environ, start_response, state: str):
        headers = [*copy.headers, ("X-Page-Cache", state)]
        if copy.etag in {t.strip() for t in environ.get("HTTP_IF_NONE_MATCH", "").split(",")}:
            start_response("304 Not Modified", [(n, v) for n, v in headers if n.lower() != "content-type"])
            return []
        headers.append(("Content-Length", str(len(copy.body))))
        start_response(copy.status, headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [copy.body]


def _token_query_is_the_health_check() -> None:
    """With DB_CONN_HEALTH_CHECKS, Django pings a persistent connection (SELECT 1) before a request's
    first query. Here the token query is that first and only query, and its failure already closes
    the connection and hands the request to Django (which connects afresh), so the ping would only
    double the round trips: on PostgreSQL 314 against 170 µs a replayed manifest. A connection with
    errors of its own was already checked (or closed) by request_started."""
    if connection.connection is not None and not connection.errors_occurred:
        connection.health_check_done = True


def _normalised(raw: str) -> str:
    """The path nginx maps to a file for this request URI ($request_uri): no query, %-decoded, dot
    segments and repeated slashes resolved, so the gate judges the very file nginx would send."""
    path = unquote(raw.encode("latin-1", "replace").decode("utf-8", "replace").partition("?")[0])
    if not path.startswith("/"):
        return ""
    return posixpath.normpath("/" + path.lstrip("/")) + ("/" if path.endswith("/") else "")


def _keepable(status: str, headers: list[tuple[str, str]], body: bytes, token: str, boundary,
              epoch: int, made_ns: int) -> _Copy | None:
    names = {name.lower(): value for name, value in headers}
    if not status.startswith("200") or "set-cookie" in names or "etag" not in names:
        return None
    if any(word in names.get("cache-control", "").lower() for word in ("no-store", "private")):
        return None
    kept = [(n, v) for n, v in headers if n.lower() not in ("content-length", "x-page-cache")]
    expires = time.monotonic() + getattr(settings, "PAGE_CACHE_TIMEOUT", 600)
    return _Copy(token, boundary, epoch, expires, status, kept, body, names["etag"], made_ns)

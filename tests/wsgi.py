"""Calling a WSGI application in a test, as a server would (for memorial/fastpath.py)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from io import BytesIO

from django.core.signals import request_finished, request_started
from django.db import close_old_connections


@dataclass
class Answer:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@contextlib.contextmanager
def _inside_test_transaction():
    """Like Django's test client: a request must not close the test's transaction-wrapped connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def call(app, path: str, *, method: str = "GET", query: str = "", headers: dict[str, str] | None = None,
         host: str = "testserver", scheme: str = "http", as_server: bool = False) -> Answer:
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": host,
        "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": host, "SCRIPT_NAME": "",
        "wsgi.url_scheme": scheme, "wsgi.input": BytesIO(b""), "wsgi.errors": BytesIO(),
        "wsgi.version": (1, 0), "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False,
    }
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    seen: dict = {}

    def start_response(status, response_headers, exc_info=None):
        seen["status"], seen["headers"] = status, response_headers
        return lambda data: None

    # as_server: Django's request signals close old and broken connections, as under gunicorn (a
    # transactional test only: they would close the connection wrapping a plain test).
    with contextlib.nullcontext() if as_server else _inside_test_transaction():
        result = app(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
    headers_out: dict[str, str] = {}
    for name, value in seen["headers"]:
        headers_out[name.lower()] = value
    return Answer(int(seen["status"].split()[0]), headers_out, body)

import functools
import http.server
import io
import os
import threading

import pytest

from media_pipeline import services


@pytest.fixture(autouse=True)
def media_storage(fresh_storage, settings):
    """Private and public storage in this test's own folders (tests/conftest.py)."""
    settings.SITE_URL = "http://testserver"
    return fresh_storage


def files_under(root) -> list[str]:
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs)


@pytest.fixture
def public_files(media_storage):
    return lambda: files_under(media_storage["public"])


@pytest.fixture
def private_files(media_storage):
    return lambda: files_under(media_storage["private"])


@pytest.fixture
def ingest():
    def _ingest(data: bytes, name: str = "upload.bin", **kw):
        return services.intake(io.BytesIO(data), name, **kw)

    return _ingest


@pytest.fixture
def public_http(media_storage, settings):
    """A plain HTTP server for the public folder (what a web server or CDN does in production)."""
    site = media_storage["public"].parent

    class Quiet(http.server.SimpleHTTPRequestHandler):
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".json": "application/json"}

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SITE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    yield settings.SITE_URL
    server.shutdown()
    server.server_close()

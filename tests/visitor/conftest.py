"""A live server that answers as production does: memorial.fastpath in front of Django (byte
ranges on media files, which a browser needs to seek a recording), static files from the finders."""

import os
import threading

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def fast_server(transactional_db, settings):
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    from memorial.fastpath import FastPath

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    httpd = ThreadedWSGIServer(("127.0.0.1", 0), Quiet, allow_reuse_address=False)
    url = f"http://127.0.0.1:{httpd.server_port}"
    settings.SITE_URL = url
    httpd.set_app(FastPath(StaticFilesHandler(WSGIHandler())))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield url
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)

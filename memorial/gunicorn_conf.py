"""Gunicorn settings for the archive: the production defaults, and its access and error logs
through the redaction filter.

    gunicorn memorial.wsgi:application -c python:memorial.gunicorn_conf

is the whole production line (the image's command). Each default can be changed by its variable
(GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT; gunicorn itself reads
FORWARDED_ALLOW_IPS) or by a command-line flag, which wins over this file.

Gunicorn writes access lines (request path, Referer) with its own loggers and handlers, never
Django's LOGGING; a path under a private link holds the contributor's token. The filter sits on
the loggers themselves, so whatever handler gunicorn adds (--access-logfile, --error-logfile,
syslog) receives only redacted records.
"""

import logging
import os

from memorial.logging import RedactTokensFilter

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))  # one per core
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# The proxy's read timeout must be at least this (deploy/nginx.conf: proxy_read_timeout 120s).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
accesslog = "-"

# The default format without the User-Agent; the Referer stays (it is redacted like the path).
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" %(L)ss'


def _install() -> None:
    for name in ("gunicorn.access", "gunicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokensFilter) for f in logger.filters):
            logger.addFilter(RedactTokensFilter())


def on_starting(server) -> None:
    _install()


def post_worker_init(worker) -> None:
    _install()

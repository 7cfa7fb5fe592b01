"""Gunicorn settings for the archive: its access and error logs go through the redaction filter.

    gunicorn memorial.wsgi:application -c python:memorial.gunicorn_conf --access-logfile -

Gunicorn writes access lines (request path, Referer) with its own loggers and handlers, never
Django's LOGGING; a path under a private link holds the contributor's token. The filter sits on
the loggers themselves, so whatever handler gunicorn adds (--access-logfile, --error-logfile,
syslog) receives only redacted records.
"""

import logging

from memorial.logging import RedactTokensFilter

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

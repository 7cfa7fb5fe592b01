"""Logging filter that keeps secrets out of every log line.

Private management tokens in paths, e-mail addresses, credentials in service URLs, Authorization/Cookie headers,
API tokens, passwords and one-time codes in query strings, form bodies or dict reprs are replaced by "[redacted]" before a
record reaches any handler that carries this filter (settings.LOGGING puts it on the console
handler; a deployment adding handlers must add the filter too). Tracebacks are redacted as well.

``logging_config()`` builds settings.LOGGING: time, level, logger and the request id on every line,
as text or (LOG_FORMAT=json) as one JSON object per line.
"""

import contextvars
import logging
import re

from pythonjsonlogger.json import JsonFormatter

_REDACTED = "[redacted]"

# Credentials inside a service URL (ELASTICSEARCH_URL, DATABASE_URL, an S3 endpoint):
# "https://user:password@host" keeps its scheme and host, loses user and password.
_URL_USERINFO = re.compile(r"\b([a-z][a-z0-9+.\-]*://)[^/\s@:'\"]+:[^/\s@'\"]+@", re.I)
# Private links (archive/urls.py, archive/api/urls.py): /<lang>/manage/<token>/, /<lang>/receipt/<token>/,
# /api/consent/<token>/...; whatever stands in the token's place, a wrong or cut one included.
_TOKEN_IN_PATH = re.compile(r"(/(?:manage|consent|receipt)/)(?!\[redacted\])[^/\s?#\"'<>]+")
# Any e-mail address (a contributor's contact, in a message, a To: line, a form dump).
_EMAIL = re.compile(r"[\w.!#$%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
# "Authorization: Token abc", "'HTTP_AUTHORIZATION': 'Bearer abc'", "Cookie: sessionid=..."
_HEADER = re.compile(
    r"((?:HTTP_)?(?:authorization|cookie|x[-_]api[-_]key|proxy[-_]authorization)[\"']?\s*[:=]\s*[\"']?)"
    r"[^\"'\r\n]+",
    re.I,
)
_SCHEME = re.compile(r"\b(Token|Bearer|Basic)\s+[A-Za-z0-9_\-.=+/]{8,}")
# password=..., "password": "...", csrfmiddlewaretoken=..., otp codes, secret keys, session ids.
_FIELD = re.compile(
    r"([\"']?\b(?:password\d?|passwd|new_password\d?|old_password|secret|secret_key|api_key|token|"
    r"access_token|refresh_token|csrfmiddlewaretoken|csrftoken|sessionid|otp_token|contact_email|"
    r"email)\b[\"']?\s*[:=]\s*[\"']?)[^\"'&\s,;}]+",
    re.I,
)


def redact(text: str) -> str:
    text = _URL_USERINFO.sub(r"\1" + _REDACTED + "@", text)
    text = _TOKEN_IN_PATH.sub(r"\1" + _REDACTED, text)
    text = _HEADER.sub(r"\1" + _REDACTED, text)
    text = _SCHEME.sub(r"\1 " + _REDACTED, text)
    text = _FIELD.sub(r"\1" + _REDACTED, text)
    return _EMAIL.sub(_REDACTED, text)


class RedactTokensFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed format string: log it as it is
            message = str(record.msg)
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text when it is set, so the redacted traceback is what gets out.
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


# --- Request ids and formats --------------------------------------------------------------------
# The current request's id (memorial.observability sets it), so every line a request causes can be
# found together; "-" outside a request (workers, commands).
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


class RedactingJsonFormatter(JsonFormatter):
    """One JSON object per line; a traceback formatted here is redacted like the message."""

    def formatException(self, ei) -> str:  # noqa: N802 (logging's name)
        return redact(super().formatException(ei))


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s"


def logging_config(fmt: str = "text", level: str = "INFO") -> dict:
    """settings.LOGGING: the console handler with redaction and request ids, as text or JSON."""
    if fmt not in ("text", "json"):
        raise ValueError(f"LOG_FORMAT must be 'text' or 'json', not {fmt!r}.")
    formatter = ({"()": "memorial.logging.RedactingJsonFormatter", "format": JSON_FIELDS,
                  "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"}}
                 if fmt == "json" else {"format": TEXT_FORMAT})
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact_tokens": {"()": "memorial.logging.RedactTokensFilter"},
                    "request_id": {"()": "memorial.logging.RequestIdFilter"}},
        "formatters": {"console": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "console",
                                 "filters": ["redact_tokens", "request_id"]}},
        "root": {"handlers": ["console"], "level": level},
        # "django" named here so Django's default handlers (an unfiltered console one in DEBUG, which
        # printed "Not Found: /api/consent/<token>/" as it was, and mail_admins) are replaced: its
        # records reach the root's filtered handler only.
        "loggers": {"django": {"handlers": [], "level": "INFO", "propagate": True},
                    "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
                    # One INFO line per search request otherwise; failures still log at WARNING.
                    "elastic_transport": {"level": "WARNING"}, "urllib3": {"level": "WARNING"},
                    # A line per layout step and per font subset of every printed catalogue otherwise.
                    "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
    }

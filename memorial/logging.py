"""Logging filter that keeps secrets out of every log line.

Private management tokens in paths, e-mail addresses, credentials in service URLs, Authorization/Cookie headers,
API tokens, passwords and one-time codes in query strings, form bodies or dict reprs are replaced by "[redacted]" before a
record reaches any handler that carries this filter (settings.LOGGING puts it on the console
handler; a deployment adding handlers must add the filter too). Tracebacks are redacted as well.
"""

import logging
import re

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

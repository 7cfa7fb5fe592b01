"""Logging filter that keeps private management tokens out of every log line."""

import logging
import re

# Management links look like /<lang>/manage/<token>/ or /api/consent/<token>/.
_TOKEN_IN_PATH = re.compile(r"(/(?:manage|consent|receipt)/)[A-Za-z0-9_\-]{16,}")


def redact(text: str) -> str:
    return _TOKEN_IN_PATH.sub(r"\1[redacted]", text)


class RedactTokensFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True

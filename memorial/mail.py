"""The console e-mail backend of DEBUG, without the private link or the address.

The management mail carries the contributor's private link and goes to their address; printed
to a terminal (and so to whatever records it) both would outlive the contribution.
"""

from __future__ import annotations

import copy

from django.core.mail.backends.console import EmailBackend

from memorial.logging import redact


class RedactingConsoleEmailBackend(EmailBackend):
    def write_message(self, message):
        # Redacted before rendering: an encoded body (quoted-printable, base64) would hide the
        # link from a filter applied to the printed text.
        shown = copy.copy(message)
        shown.subject = redact(message.subject)
        shown.body = redact(message.body)
        for field in ("to", "cc", "bcc", "reply_to"):
            setattr(shown, field, [redact(a) for a in getattr(message, field, [])])
        if getattr(message, "alternatives", None):
            shown.alternatives = [type(alt)(redact(alt[0]), *alt[1:]) if isinstance(alt[0], str) else alt
                                  for alt in message.alternatives]
        shown.attachments = []
        super().write_message(shown)

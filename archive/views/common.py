"""What the public pages of the archive share."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse

from archive import forms

# A neutral page for "leave this site quickly".
QUICK_EXIT_URL = getattr(settings, "QUICK_EXIT_URL", "https://www.wikipedia.org/")


def labels() -> dict:
    return {
        "scope_labels": {c: label for c, label, _h in forms.SCOPE_CHOICES},
        "name_labels": {str(c): label for c, label, _h in forms.NAME_CHOICES},
    }


def private(response: HttpResponse) -> HttpResponse:
    """Headers of a page reached by a private link.

    The private URL is in no Referer, not even to our own CSS and JS (proxy and CDN logs keep
    them); the form posts this makes arrive with "Origin: null", which memorial/private_links.py
    accepts under private links.
    """
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store, private"
    return response

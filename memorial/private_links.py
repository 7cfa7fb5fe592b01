"""Answers reached through a contributor's private link carry no trace of it anywhere else.

The token is the only key to a contribution, so the pages and API answers under it are never
stored (browser, proxy, CDN, our page cache), never indexed, and never name their own URL in a
Referer header, not even to our own CSS and JS (proxy and CDN logs keep Referers).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# Every route whose path holds a token (archive/urls.py, archive/api/urls.py), and the page that
# shows the new link once after a contribution.
PRIVATE_LINK_PATHS = re.compile(
    r"^/(?:[\w-]+/)?(?:manage|receipt)/[^/]+(?:/|$)"
    r"|^/[\w-]+/contribute/receipt/"
    r"|^/api/consent/[^/]+(?:/|$)"
)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
PRIVATE_LINK_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store, private",
    "X-Robots-Tag": "noindex, nofollow",
}


def is_private_link(path: str) -> bool:
    return bool(PRIVATE_LINK_PATHS.match(path))


class PrivateLinkHeadersMiddleware:
    """Sets the headers on every answer under a private link, error pages and 429s included.

    Put it right after django.middleware.security.SecurityMiddleware: that one only sets a
    Referrer-Policy where none is set yet, and everything inside (rate limits, views) is covered.

    With ``Referrer-Policy: no-referrer`` browsers send ``Origin: null`` on the page's own form
    posts, which Django's CsrfViewMiddleware refuses. Under a private link that origin is taken as
    our own: the CSRF token is still required, and a forger would need the secret URL anyway.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        private = is_private_link(request.path_info)
        if private and request.META.get("HTTP_ORIGIN") == "null" and request.method not in SAFE_METHODS:
            request.META["HTTP_ORIGIN"] = f"{request.scheme}://{request.get_host()}"
        response = self.get_response(request)
        if private:
            for name, value in PRIVATE_LINK_HEADERS.items():
                response[name] = value
        return response

"""Content warnings cannot be skipped by another site's link.

The gate of an item with content warnings is passed by a GET choice (archive.views.SHOWN_PARAM),
so that neither page needs a session and both can be cached. A link from elsewhere carrying the
parameter would skip the warning; browsers say where a navigation comes from
(``Sec-Fetch-Site``), so such a request is sent to the gate first. Same-origin choices, typed
addresses and bookmarks (``none``) pass. This runs before the page cache: a replayed page never
skips the check.
"""

from __future__ import annotations

import re

from django.http import HttpResponseRedirect

from archive.views import SHOWN_PARAM

ITEM_PATH = re.compile(r"^/[\w-]+/items/[0-9a-f-]{36}/$")
TRUSTED = {"same-origin", "none", ""}


class ContentWarningLinkMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (SHOWN_PARAM in request.GET and request.method in ("GET", "HEAD")
                and request.META.get("HTTP_SEC_FETCH_SITE", "") not in TRUSTED and ITEM_PATH.match(request.path)):
            query = request.GET.copy()
            query.pop(SHOWN_PARAM)
            response = HttpResponseRedirect(request.path + (f"?{query.urlencode()}" if query else ""))
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)

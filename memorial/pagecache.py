"""A consent-safe cache of anonymous public HTML pages.

Rendering a public page costs ~10-15 ms of CPU (consent-filtered selectors, templates in six
languages); replaying a cached one costs one small query and a dictionary lookup. The danger of a
page cache on this site is serving what consent no longer allows: a withdrawn testimony, an item
past its consent's expiry, an exhibition past its unpublish date. So:

* **A shared generation** (archive/generation.py): one database row holds a random token that is
  replaced after every committed write to the record, in whichever process the write happens.
  Every cacheable request reads the token (one indexed query) and it is part of the cache key, so
  an entry made before a change is never found after it.
* **Time.** Consent embargoes and expiries and exhibition publication windows change the answer
  without any write. The next future boundary among them (and the next local midnight, for "today"
  on remembrance pages) is computed once per token per process, is part of the key, and caps each
  entry's lifetime: at the boundary every page is rendered afresh.
* **Only the anonymous, public, plain case.** GET/HEAD without a session or messages cookie and
  without Authorization; a view on the allow-list (``PAGE_CACHE_URL_NAMES``), never under the
  private prefixes below; a 200 text/html answer that sets no cookie, did not use the CSRF token,
  did not touch the session and says nothing against caching (``Cache-Control: no-store``...).
* **The CSP nonce.** memorial.security gives every response a fresh nonce; a cached page carries
  the nonce of the response it was made from. On a hit that old nonce is replaced by this
  request's nonce, and SecurityHeadersMiddleware (outside this one) sends the matching header.

The pages themselves live in a per-process cache (``CACHES[PAGE_CACHE_ALIAS]``, LocMem by
default): correctness comes from the shared token, so nothing needs sharing but the token, and a
local memory hit is the cheapest there is. Put the middleware after Session/Locale (the key uses
the resolved language) and before CSRF/Authentication (a hit skips them; the stored response has
already been through them).
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone

from archive import generation, surfaces

logger = logging.getLogger(__name__)

# Never cached, whatever the allow-list says (with or without a language prefix).
PRIVATE_PATHS = re.compile(
    r"^/(?:[\w-]+/)?(?:curator|admin|manage|receipt|contribute|account|api|iiif|preview|i18n|healthz|readyz|metrics)(?:/|$)"
)
DEFAULT_URL_NAMES = frozenset({
    "home", "exhibition-list", "exhibition-detail", "remembrance-days", "remembrance-day",
    "item-detail", "search", "about", "support", "iiif-viewer",
})
_NOT_STORED_HEADERS = {"content-length", "set-cookie", "content-security-policy",
                       "content-security-policy-report-only", "x-page-cache"}


# --- The generation (archive/generation.py) ----------------------------------------------------

current_token = generation.current_token
bump = generation.bump
touches_public_content = generation.touches_public_content


def _settings_changed(**kwargs) -> None:
    clear()  # tests override settings that change rendering


class PageCacheSurface(surfaces.Surface):
    """Pages and fast-path copies this process made of an erased item are dropped with it."""

    name = "pagecache"
    label = "Cached pages"
    propagates = False  # the shared generation already moves with every committed write

    def erase(self, item) -> str:
        transaction.on_commit(clear)
        return "cached pages dropped"


def connect() -> None:
    """Called from MemorialConfig.ready(): drop this process's pages with the generation's local
    drop, and when a test changes settings that change rendering; join the surface registry."""
    generation.on_local_drop(_drop_pages)
    setting_changed.connect(_settings_changed, dispatch_uid="memorial.pagecache.settings")
    surfaces.register(PageCacheSurface())


def _drop_pages() -> None:
    global _boundary_memo
    _boundary_memo = None
    try:
        caches[_alias()].clear()
    except Exception:  # an alias removed by a test's settings
        logger.debug("page cache not cleared", exc_info=True)


def clear() -> None:
    """Forget every page and replayable copy this process holds (fast-path copies included)."""
    generation.drop_local()


# --- Time boundaries ----------------------------------------------------------------------------

_boundary_memo: tuple[str, datetime, datetime] | None = None


def _next_midnight(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), time.min),
                               timezone.get_current_timezone())


def next_boundary(now: datetime) -> datetime:
    """The next moment after `now` at which a time-based rule may change a public page."""
    from django.db.models import Subquery

    from archive import consent
    from archive.models import Generation
    from exhibitions.models import Exhibition

    def first(model, field):
        return Subquery(model.objects.filter(**{f"{field}__gt": now}).order_by(field)
                        .values(field)[:1])

    # Consent's own moments come from the policy; exhibition windows from their schedule.
    moments = {**consent.boundary_subqueries(now),
               "opens": first(Exhibition, "publish_at"), "closes": first(Exhibition, "unpublish_at")}
    row = (Generation.objects.filter(pk=generation.ROW)
           .annotate(**moments).values_list(*moments).first())
    candidates = [t for t in (row or ()) if t is not None] + [_next_midnight(now)]
    return min(candidates)


def boundary(token: str, now: datetime) -> datetime:
    """The next time boundary for this token (memoised per process); see next_boundary."""
    global _boundary_memo
    memo = _boundary_memo
    if memo is not None and memo[0] == token and memo[1] <= now < memo[2]:
        return memo[2]
    upcoming = next_boundary(now)
    _boundary_memo = (token, now, upcoming)
    return upcoming


# --- The middleware -----------------------------------------------------------------------------

def _alias() -> str:
    return getattr(settings, "PAGE_CACHE_ALIAS", "default")


def _request_may_use_cache(request) -> bool:
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False  # a visitor with a session (a passed content warning, a draft) sees their own page
    return not PRIVATE_PATHS.match(request.path)


def _response_may_be_stored(request, response) -> bool:
    match = getattr(request, "resolver_match", None)
    names = getattr(settings, "PAGE_CACHE_URL_NAMES", DEFAULT_URL_NAMES)
    if response.status_code != 200 or response.streaming or match is None or match.url_name not in names:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # set a cookie, or used the CSRF token (its cookie is then in response.cookies)
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("no-store", "private", "no-cache")):
        return False
    return "Content-Security-Policy" not in response and "Content-Security-Policy-Report-Only" not in response


def _key(request, token: str, boundary: datetime) -> str:
    raw = "|".join((token, boundary.isoformat(), getattr(request, "LANGUAGE_CODE", ""), request.scheme,
                    request.get_host(), request.path, request.META.get("QUERY_STRING", "")))
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not getattr(settings, "PAGE_CACHE_ENABLED", True) or not _request_may_use_cache(request):
            return self.get_response(request)
        token = current_token()
        if token is None:
            return self.get_response(request)
        now = timezone.now()
        until = boundary(token, now)
        key = _key(request, token, until)
        cache = caches[_alias()]
        hit = cache.get(key)
        if hit is not None:
            return _replay(hit, request)
        response = self.get_response(request)
        timeout = min(getattr(settings, "PAGE_CACHE_TIMEOUT", 600), (until - now).total_seconds())
        if timeout >= 1 and _response_may_be_stored(request, response):
            headers = [(k, v) for k, v in response.items() if k.lower() not in _NOT_STORED_HEADERS]
            cache.set(key, (response.content, getattr(request, "csp_nonce", ""), headers), int(timeout))
            response["X-Page-Cache"] = "miss"
        return response


def _replay(hit, request) -> HttpResponse:
    body, old_nonce, headers = hit
    nonce = getattr(request, "csp_nonce", "")
    if old_nonce and nonce:
        # The nonce is 24 random URL-safe characters: it occurs only where the template put it.
        body = body.replace(old_nonce.encode(), nonce.encode())
    response = HttpResponse(body)
    for name, value in headers:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response

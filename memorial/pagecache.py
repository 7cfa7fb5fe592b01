"""A consent-safe cache of anonymous public HTML pages.

Rendering a public page costs ~10-15 ms of CPU (consent-filtered selectors, templates in six
languages); replaying a cached one costs one small query and a dictionary lookup. The danger of a
page cache on this site is serving what consent no longer allows: a withdrawn testimony, an item
past its consent's expiry, an exhibition past its unpublish date. So:

* **A shared generation.** One database row (``PublicContentGeneration``) holds a random token. It
  is replaced after every committed write to any table of the archive, exhibitions and
  media_pipeline apps, in whichever process the write happens (web workers, the db_worker, a
  management command): a DB execute wrapper sees the INSERT/UPDATE/DELETE and bumps the row when
  the transaction commits. Model signals are not enough: consent and publication code uses
  ``QuerySet.update()`` (archive/services.py, archive/contributions.py, media_pipeline/services.py),
  which sends none. Every cacheable request reads the token (one indexed query) and it is part of
  the cache key, so an entry made before a change is never found after it.
  Why after commit and not inside the writer's transaction: on PostgreSQL a bump inside the
  transaction would hold the row lock until commit and serialise (or deadlock) concurrent writers.
  Bumping after commit is safe: a page rendered under the old token but from newer data is merely
  fresher than its key; a page under the new token is always rendered after the commit.
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
import secrets
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connections, transaction
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.utils import timezone

logger = logging.getLogger(__name__)

GENERATION_ROW = 1
# Tables whose writes may change public pages: every table of these apps, but for append-only
# logs no public page shows.
WATCHED_PREFIXES = ("archive_", "exhibitions_", "media_pipeline_")
IGNORED_TABLES = frozenset({"archive_auditevent", "exhibitions_activity"})
# Never cached, whatever the allow-list says (with or without a language prefix).
PRIVATE_PATHS = re.compile(
    r"^/(?:[\w-]+/)?(?:curator|admin|manage|receipt|contribute|account|api|iiif|preview|i18n)(?:/|$)"
)
DEFAULT_URL_NAMES = frozenset({
    "home", "exhibition-list", "exhibition-detail", "remembrance-days", "remembrance-day",
    "item-detail", "search", "about", "support", "iiif-viewer",
})
_WRITE = re.compile(
    r"\s*(?:insert\s+(?:or\s+\w+\s+)?into|replace\s+into|update|delete\s+from|(truncate))\s+(?:table\s+)?[\"`]?(\w+)",
    re.IGNORECASE,
)
_NOT_STORED_HEADERS = {"content-length", "set-cookie", "content-security-policy",
                       "content-security-policy-report-only", "x-page-cache"}


# --- The generation -----------------------------------------------------------------------------

def _table() -> str:
    from memorial.models import PublicContentGeneration

    return PublicContentGeneration._meta.db_table


def current_token(using: str = DEFAULT_DB_ALIAS) -> str | None:
    """The shared generation token (None when the row is missing: then nothing is cached)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        # Raw SQL: this runs on every cacheable request; the table name is the model's, quoted.
        table = connection.ops.quote_name(_table())
        cursor.execute(f"SELECT token FROM {table} WHERE id = %s", [GENERATION_ROW])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None


def _write_token(using: str, token: str, now) -> None:
    from memorial.models import PublicContentGeneration

    rows = PublicContentGeneration.objects.using(using)
    if not rows.filter(pk=GENERATION_ROW).update(token=token, changed_at=now):
        rows.create(pk=GENERATION_ROW, token=token, changed_at=now)


def bump(using: str = DEFAULT_DB_ALIAS) -> None:
    """Replace the token: every cached page in every process is stale from now on.

    Plain statements, no savepoint: this may run while the write that caused it still has a
    statement open on the connection (an INSERT ... RETURNING whose id is not fetched yet).
    """
    for attempt in (1, 2):
        try:
            _write_token(using, secrets.token_hex(16), timezone.now())
            return
        except IntegrityError:
            return  # another process created the row at this moment: the token is new anyway
        except DatabaseError:
            if connections[using].in_atomic_block:
                raise
            if _table() not in connections[using].introspection.table_names():
                logger.info("Page cache generation not bumped: no table yet (first migrate)")
                return
            if attempt == 1:
                continue  # a busy database (SQLite's lock outlived its timeout): once more
            # The write is committed but other processes cannot be told. This one forgets what it
            # cached; the others keep theirs until the next bump (the propagation task that follows
            # every consent change writes, and so bumps, again) or PAGE_CACHE_TIMEOUT at the latest.
            logger.error("Page cache generation could not be bumped; local page cache dropped", exc_info=True)
            clear()


def _bump_after_commit(using: str):
    def callback() -> None:
        bump(using)

    callback._pagecache_bump = True
    return callback


def _schedule_bump(connection) -> None:
    blocks = connection.atomic_blocks
    if blocks and getattr(blocks[0], "_from_testcase", False):
        # A test case's wrapping transaction never commits, so on_commit never fires: bump now,
        # inside it (one connection, no concurrency), as a commit would.
        bump(connection.alias)
    elif not connection.in_atomic_block:
        bump(connection.alias)  # autocommit: the write is already committed
    elif not any(getattr(entry[1], "_pagecache_bump", False) for entry in connection.run_on_commit):
        # Once per transaction (re-registered if a savepoint rollback discarded it).
        transaction.on_commit(_bump_after_commit(connection.alias), using=connection.alias, robust=True)


def touches_public_content(sql: str) -> bool:
    match = _WRITE.match(sql)
    if match is None:
        return False
    if match.group(1):  # TRUNCATE (test flushes on PostgreSQL): may list many tables
        return True
    table = match.group(2).lower()
    return table.startswith(WATCHED_PREFIXES) and table not in IGNORED_TABLES


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and touches_public_content(sql):
        _schedule_bump(context["connection"])
    return result


def _install_watch(sender, connection, **kwargs) -> None:
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def _settings_changed(**kwargs) -> None:
    clear()  # tests override settings that change rendering


def connect() -> None:
    """Called from MemorialConfig.ready(): watch every database connection's writes."""
    connection_created.connect(_install_watch, dispatch_uid="memorial.pagecache.watch")
    setting_changed.connect(_settings_changed, dispatch_uid="memorial.pagecache.settings")
    for connection in connections.all(initialized_only=True):
        _install_watch(None, connection)


# Moves on whenever this process drops its cached pages; replayed copies made under an older value
# (memorial/fastpath.py) are not used again.
local_epoch = 0


def clear() -> None:
    global _boundary_memo, local_epoch
    _boundary_memo = None
    local_epoch += 1
    try:
        caches[_alias()].clear()
    except Exception:  # an alias removed by a test's settings
        logger.debug("page cache not cleared", exc_info=True)


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
    from exhibitions.models import Exhibition
    from memorial.models import PublicContentGeneration

    def first(model, field):
        return Subquery(model.objects.filter(**{f"{field}__gt": now}).order_by(field)
                        .values(field)[:1])

    # Consent's own moments come from the policy; exhibition windows from their schedule.
    moments = {**consent.boundary_subqueries(now),
               "opens": first(Exhibition, "publish_at"), "closes": first(Exhibition, "unpublish_at")}
    row = (PublicContentGeneration.objects.filter(pk=GENERATION_ROW)
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

"""The shared generation: one token that changes after every committed write to the record.

Caches of public content (memorial/pagecache.py for pages, the fast path's IIIF copies, the IIIF
document cache) key what they keep on this token, so a change made in any process (a web worker,
the task worker, a management command) makes every copy everywhere stale at once.

* **Every write, whoever makes it.** A database execute wrapper sees each INSERT/UPDATE/DELETE on
  a table of the archive, exhibitions and media_pipeline apps and bumps the token when the
  transaction commits. Model signals are not enough: consent and publication code uses
  ``QuerySet.update()``, which sends none.
* **After commit, not inside the writer's transaction:** on PostgreSQL a bump inside it would hold
  the row lock until commit and serialise (or deadlock) concurrent writers. A copy made under the
  old token from newer data is merely fresher than its key; one under the new token is always made
  after the commit.
* **A bump that fails** (SQLite's lock held past its timeout) is retried once, then logged as an
  error, and this process drops its own copies (`drop_local`: the callbacks registered with
  `on_local_drop`, and `local_epoch` moves on); the other processes catch up at the next bump.

The lowest floor that holds public content owns it, so every floor above may read it.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connections, transaction
from django.db.backends.signals import connection_created
from django.utils import timezone

logger = logging.getLogger(__name__)

ROW = 1
# Tables whose writes may change public content: every table of these apps, but for append-only
# logs nothing public shows, kiosks' synchronisation times (every few minutes per kiosk) and the
# generation's own row.
WATCHED_PREFIXES = ("archive_", "exhibitions_", "media_pipeline_")
# Research access and its tokens show nothing public either (research pages are never cached).
IGNORED_TABLES = frozenset({"archive_auditevent", "exhibitions_activity", "archive_generation",
                            "exhibitions_kiosksync", "archive_researchaccess", "archive_researchtoken"})
_WRITE = re.compile(
    r"\s*(?:insert\s+(?:or\s+\w+\s+)?into|replace\s+into|update|delete\s+from|(truncate))\s+(?:table\s+)?[\"`]?(\w+)",
    re.IGNORECASE,
)


def _table() -> str:
    from archive.models import Generation

    return Generation._meta.db_table


# With a shared cache (GENERATION_CACHE: Redis in production) the token is also kept there: one GET
# (~25 µs) instead of a database round trip (~150 µs on PostgreSQL) on every cacheable request. Every
# bump writes it there after the database, before the writing call returns; a reader that finds no
# key reads the database and puts it back only if still absent (add), so a bump racing with it wins.
CACHE_KEY = "memories:generation"
CACHE_SECONDS = 60  # bounds how long a cache that refused a bump's write could hold an old token


def _shared_cache(using: str):
    from django.conf import settings
    from django.core.cache import caches

    alias = getattr(settings, "GENERATION_CACHE", "")
    return caches[alias] if alias and using == DEFAULT_DB_ALIAS else None


def current_token(using: str = DEFAULT_DB_ALIAS) -> str | None:
    """The shared generation token (None when the row is missing: then nothing may be cached)."""
    shared = _shared_cache(using)
    if shared is not None:
        try:
            token = shared.get(CACHE_KEY)
        except Exception:  # the cache is unreachable: the database answers, as without one
            logger.warning("Generation read from the database: the shared cache did not answer", exc_info=True)
            shared = None
        else:
            if token:
                return token
    token = _database_token(using)
    if token and shared is not None:
        try:
            shared.add(CACHE_KEY, token, CACHE_SECONDS)
        except Exception:
            logger.warning("Generation not put back in the shared cache", exc_info=True)
    return token


def _publish(using: str, token: str | None) -> None:
    """After the database: the shared cache gets the new token (or, if unsure, none at all)."""
    shared = _shared_cache(using)
    if shared is None:
        return
    try:
        if token is None:
            shared.delete(CACHE_KEY)
        else:
            shared.set(CACHE_KEY, token, CACHE_SECONDS)
    except Exception:
        logger.error("Generation not written to the shared cache", exc_info=True)
        try:
            shared.delete(CACHE_KEY)  # readers then fall back to the database
        except Exception:
            logger.error("Generation not removed from the shared cache either", exc_info=True)


def _database_token(using: str) -> str | None:
    connection = connections[using]
    with connection.cursor() as cursor:
        # Raw SQL: this runs on every cacheable request; the table name is the model's, quoted.
        table = connection.ops.quote_name(_table())
        cursor.execute(f"SELECT token FROM {table} WHERE id = %s", [ROW])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None


def _write_token(using: str, token: str, now) -> None:
    from archive.models import Generation

    rows = Generation.objects.using(using)
    if not rows.filter(pk=ROW).update(token=token, changed_at=now):
        rows.create(pk=ROW, token=token, changed_at=now)


def bump(using: str = DEFAULT_DB_ALIAS) -> None:
    """Replace the token: every copy keyed on the old one, in every process, is stale from now on.

    Plain statements, no savepoint: this may run while the write that caused it still has a
    statement open on the connection (an INSERT ... RETURNING whose id is not fetched yet).
    """
    for attempt in (1, 2):
        try:
            token = secrets.token_hex(16)
            _write_token(using, token, timezone.now())
            _publish(using, token)
            _bumped(using, token)
            return
        except IntegrityError:
            _publish(using, None)  # the other process's token is in the database: readers take it from there
            _bumped(using, None)
            return  # another process created the row at this moment: the token is new anyway
        except DatabaseError:
            if connections[using].in_atomic_block:
                raise
            if _table() not in connections[using].introspection.table_names():
                logger.info("Generation not bumped: no table yet (first migrate)")
                return
            if attempt == 1:
                continue  # a busy database (SQLite's lock outlived its timeout): once more
            # The write is committed but other processes cannot be told. This one forgets what it
            # cached; the others keep theirs until the next bump (the propagation task that follows
            # every consent change writes, and so bumps, again) or their own timeouts.
            logger.error("Generation could not be bumped; this process's cached copies dropped", exc_info=True)
            drop_local()


_after_bump: list[Callable[[str | None], None]] = []


def on_bump(callback: Callable[[str | None], None]) -> None:
    """Register `callback(token)`, called after every bump, before the writing call returns (the
    IIIF documents on disk are renewed so: memorial/document_files.py). None: token unknown."""
    if callback not in _after_bump:
        _after_bump.append(callback)


def _bumped(using: str, token: str | None) -> None:
    if using != DEFAULT_DB_ALIAS:
        return
    for callback in list(_after_bump):
        try:
            callback(token)
        except Exception:  # one hook failing must not undo the bump or stop the others
            logger.exception("A hook after the generation bump failed")


# --- This process's copies ----------------------------------------------------------------------

# Moves on whenever this process drops its cached copies; a copy made under an older value is not
# used again (memorial/fastpath.py).
local_epoch = 0
_droppers: list[Callable[[], None]] = []


def on_local_drop(callback: Callable[[], None]) -> None:
    """Register `callback()` to forget this process's cached copies (a page cache registers its own)."""
    if callback not in _droppers:
        _droppers.append(callback)


def drop_local() -> None:
    global local_epoch
    local_epoch += 1
    for callback in list(_droppers):
        try:
            callback()
        except Exception:  # one cache failing to clear must not keep the others
            logger.exception("A cache could not be dropped")


# --- Watching writes ----------------------------------------------------------------------------

def _bump_after_commit(using: str):
    def callback() -> None:
        bump(using)

    callback._generation_bump = True
    return callback


def _schedule_bump(connection) -> None:
    blocks = connection.atomic_blocks
    if blocks and getattr(blocks[0], "_from_testcase", False):
        # A test case's wrapping transaction never commits, so on_commit never fires: bump now,
        # inside it (one connection, no concurrency), as a commit would.
        bump(connection.alias)
    elif not connection.in_atomic_block:
        bump(connection.alias)  # autocommit: the write is already committed
    elif not any(getattr(entry[1], "_generation_bump", False) for entry in connection.run_on_commit):
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


def connect() -> None:
    """Called from ArchiveConfig.ready(): watch every database connection's writes."""
    connection_created.connect(_install_watch, dispatch_uid="archive.generation.watch")
    for connection in connections.all(initialized_only=True):
        _install_watch(None, connection)

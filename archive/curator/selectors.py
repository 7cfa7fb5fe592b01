"""Reads for the curator workspace (staff only: not the public projection, never public)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone, translation

from archive.keyset import Page, keyset_page
from archive.models import AuditEvent, ConsentVersion, Item, ItemMedia, RemovalReport

QUEUE_STATUSES = (Item.Status.SUBMITTED, Item.Status.CHANGES_REQUESTED)
QUEUE_CONDITION = f'"archive_item"."status" IN {tuple(str(s) for s in QUEUE_STATUSES)!r}'


def moderation_queue(status: str | None = None, *, kind: str = "", language: str = "", older_than_days: int = 0,
                     assigned: str = "", user=None) -> QuerySet[Item]:
    """Submissions waiting for a decision, oldest first (the one waiting longest is on top).

    `assigned` is "" (anyone or nobody), "me" (assigned to `user`) or "nobody"."""
    if status in QUEUE_STATUSES:
        qs = Item.objects.filter(status=status)  # the (status, created_at, id) index, in order
    else:
        # Both: written out as the waiting-items index's own condition, so the database reads that
        # partial index in order (SQLite matches a partial index on literal values only, not on
        # bound ones) instead of sorting every waiting item for each page.
        qs = Item.objects.extra(where=[QUEUE_CONDITION])  # noqa: S610 (constants of this module)
    if kind:
        qs = qs.filter(kind=kind)
    if language:
        qs = qs.filter(original_language=language)
    if older_than_days:
        qs = qs.filter(created_at__lte=timezone.now() - dt.timedelta(days=older_than_days))
    if assigned == "me" and user is not None:
        qs = qs.filter(assigned_to=user)
    elif assigned == "nobody":
        qs = qs.filter(assigned_to__isnull=True)
    return (
        qs.select_related("current_consent", "event", "contributor", "assigned_to")
        .prefetch_related("media__asset")
        .order_by("created_at", "id")
    )


def moderators() -> QuerySet:
    """Active staff accounts that may review submissions (whom a submission can be assigned to)."""
    holds = Q(groups__permissions__codename="moderate_item") | Q(user_permissions__codename="moderate_item")
    return (get_user_model().objects.filter(is_active=True, is_staff=True)
            .filter(holds | Q(is_superuser=True)).distinct().order_by("username"))


def queue_page(waiting: QuerySet[Item], after: str | None = None, before: str | None = None) -> Page:
    """One page of the (filtered) queue (CURATOR_PAGE_SIZE), keyset-paginated: as fast on the last
    page as on the first, however many submissions wait."""
    return keyset_page(waiting, ("created_at", "id"), settings.CURATOR_PAGE_SIZE, after, before)


def without_cursor(query) -> str:
    """A list's query string without its page cursor, for the pager's links."""
    query = query.copy()
    for key in ("page", "after", "before"):
        query.pop(key, None)
    return query.urlencode()


def item_for_review(item_id) -> Item:
    return (
        Item.objects.select_related("current_consent", "event", "contributor")
        .prefetch_related("media__asset", "subjects")
        .get(pk=item_id)
    )


def item_media(item: Item) -> list[ItemMedia]:
    return list(item.media.select_related("asset").order_by("position", "id"))


def consent_history(item: Item) -> list[ConsentVersion]:
    return list(item.consent_versions.select_related("recorded_by").order_by("-number"))


def removal_reports(item: Item) -> list[RemovalReport]:
    return list(item.removal_reports.select_related("consent_version").order_by("-requested_at", "-id"))


def audit_events(*, item: str = "", person: str = "", action: str = "", since: dt.date | None = None,
                 until: dt.date | None = None) -> QuerySet[AuditEvent]:
    """The audit log filtered by item id (or title), person (username or label), action and days
    (`since` and `until` included, in the archive's time zone)."""
    qs = AuditEvent.objects.select_related("actor").order_by("-at", "-id")
    item = item.strip()
    if item:
        try:
            qs = qs.filter(item_id_ref=uuid.UUID(item))
        except ValueError:
            # A partial id or a title: match through the items it names.
            matches = Item.objects.filter(Q(title__icontains=item)).values_list("pk", flat=True)[:200]
            qs = qs.filter(item_id_ref__in=list(matches))
    person = person.strip()
    if person:
        qs = qs.filter(Q(actor__username__iexact=person) | Q(actor_label__iexact=person))
    action = action.strip()
    if action:
        qs = qs.filter(Q(action=action) | Q(action__startswith=f"{action}."))
    if since:
        qs = qs.filter(at__gte=_day_start(since))
    if until:
        qs = qs.filter(at__lt=_day_start(until + dt.timedelta(days=1)))
    return qs


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_people() -> list[str]:
    """Everyone who appears in the log: accounts by username, and labels ("contributor", "system")."""
    accounts = _hop("actor_id", "actor_id IS NOT NULL")
    names = set(get_user_model().objects.filter(pk__in=accounts).values_list("username", flat=True))
    names |= set(_hop("actor_label", "actor_id IS NULL"))
    return sorted(n for n in names if n)


def item_labels(ids) -> dict:
    """item id -> (title, erased) for the ids given, in one query. An erased item's title is never
    read (erasure scrubs it, and a tombstone must not show what was there)."""
    ids = {i for i in ids if i}
    lang = (translation.get_language() or "en").split("-")[0]
    # An id with no row left is a tombstone too (an item deleted with its media).
    out = dict.fromkeys(ids, ("", True))
    for pk, status, title in Item.objects.filter(pk__in=ids).values_list("pk", "status", "title"):
        if status != Item.Status.ERASED:
            title = title or {}
            out[pk] = (title.get(lang) or title.get("en") or next(iter(title.values()), str(pk)), False)
    return out


def audit_page(events: QuerySet[AuditEvent], after: str | None = None, before: str | None = None,
               size: int | None = None) -> Page:
    """One page of the (filtered) audit log, newest first, keyset-paginated: the log only grows."""
    return keyset_page(events, ("-at", "-id"), size or settings.CURATOR_PAGE_SIZE, after, before)


def _hop(column: str, where: str = "1 = 1") -> list:
    """The distinct values of an indexed column of the log, by hopping along its index from one
    value to the next (a loose index scan): one lookup per value, where DISTINCT reads every event.
    `column` and `where` are this module's constants, never input."""
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    sql = (f"WITH RECURSIVE a(v) AS (SELECT MIN({column}) FROM {table} WHERE {where} UNION ALL "  # noqa: S608
           f"SELECT (SELECT MIN({column}) FROM {table} WHERE {where} AND {column} > a.v) FROM a "
           "WHERE a.v IS NOT NULL) SELECT v FROM a WHERE v IS NOT NULL")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


def audit_actions() -> list[str]:
    """The distinct actions in the log (a loose index scan of the action index)."""
    return _hop("action")

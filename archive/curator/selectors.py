"""Reads for the curator workspace (staff only: not the public projection, never public)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet

from archive.keyset import Page, keyset_page
from archive.models import AuditEvent, ConsentVersion, Item, ItemMedia, RemovalReport

QUEUE_STATUSES = (Item.Status.SUBMITTED, Item.Status.CHANGES_REQUESTED)


def moderation_queue(status: str | None = None) -> QuerySet[Item]:
    """Submissions waiting for a decision, oldest first (the one waiting longest is on top)."""
    statuses = [status] if status in QUEUE_STATUSES else list(QUEUE_STATUSES)
    return (
        Item.objects.filter(status__in=statuses)
        .select_related("current_consent", "event", "contributor")
        .prefetch_related("media__asset")
        .order_by("created_at")
    )


def queue_page(status: str | None, after: str | None = None, before: str | None = None) -> Page:
    """One page of the queue (CURATOR_PAGE_SIZE), keyset-paginated: as fast on the last page as
    on the first, however many submissions wait."""
    return keyset_page(moderation_queue(status), ("created_at", "id"), settings.CURATOR_PAGE_SIZE, after, before)


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


def audit_events(*, item: str = "", person: str = "", action: str = "") -> QuerySet[AuditEvent]:
    """The audit log filtered by item id (or its prefix), person (username or label) and action."""
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
    return qs


def audit_page(events: QuerySet[AuditEvent], after: str | None = None, before: str | None = None) -> Page:
    """One page of the (filtered) audit log, newest first, keyset-paginated: the log only grows."""
    return keyset_page(events, ("-at", "-id"), settings.CURATOR_PAGE_SIZE, after, before)


def audit_actions() -> list[str]:
    """The distinct actions in the log, by hopping along the action index from one value to the
    next (a loose index scan): a few dozen lookups, where DISTINCT would read every event."""
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    sql = (f"WITH RECURSIVE a(v) AS (SELECT MIN(action) FROM {table} UNION ALL "  # noqa: S608 (the model's table)
           f"SELECT (SELECT MIN(action) FROM {table} WHERE action > a.v) FROM a WHERE a.v IS NOT NULL) "
           "SELECT v FROM a WHERE v IS NOT NULL")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]

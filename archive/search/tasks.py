"""Index updates as tasks (django_tasks), queued after commit.

`sync_item` brings every configured backend in line with the current policy for one item: index
the document, or delete it where the policy no longer allows the item on `search`. A backend that
is down does not fail the caller: the update is recorded in SearchPendingUpdate and retried (with
the item's state at retry time, so a retried update is never stale) when the backend answers again.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import transaction
from django_tasks import task

from archive.search import all_backends, get_backend
from archive.search.base import SearchUnavailable
from archive.search.documents import build_document, items_for_indexing
from archive.search.models import SearchPendingUpdate

logger = logging.getLogger(__name__)
RETRY_BATCH = 200


def _apply(backend, item_id: str, doc: dict | None) -> str:
    if doc is not None:
        backend.index([doc])
        return "indexed"
    backend.delete([item_id])
    return "removed"


def _record_pending(backend, item_id: str, doc: dict | None, exc: Exception) -> None:
    action = SearchPendingUpdate.Action.INDEX if doc is not None else SearchPendingUpdate.Action.DELETE
    row, created = SearchPendingUpdate.objects.get_or_create(
        backend=backend.alias, item_id=item_id, defaults={"action": action, "reason": str(exc)[:500]}
    )
    if not created:
        row.action, row.reason, row.attempts = action, str(exc)[:500], row.attempts + 1
        row.save(update_fields=["action", "reason", "attempts", "updated_at"])


def sync_item(item_id: str) -> str:
    """Index or delete one item in every backend; returns a short detail for the removal report."""
    item_id = str(item_id)
    # Read afresh with everything the document needs: the caller's copy may be stale.
    item = items_for_indexing().filter(pk=item_id).first()
    doc = build_document(item) if item is not None else None
    details = []
    for backend in all_backends():
        try:
            details.append(f"{backend.alias}: {_apply(backend, item_id, doc)}")
            SearchPendingUpdate.objects.filter(backend=backend.alias, item_id=item_id).delete()
        except SearchUnavailable as exc:
            logger.warning("search backend %s down; update of %s queued", backend.alias, item_id)
            _record_pending(backend, item_id, doc, exc)
            # Said as it is in the removal report (which records the surface as answered): the
            # index still holds the old document until the retry. What keeps results right
            # meanwhile is the read path: a hit not visible now, or built under an older consent
            # version, is left out (selectors._revalidate).
            details.append(f"{backend.alias}: queued (search unavailable; until applied, results "
                           "leave out documents built under an older consent)")
    return "; ".join(details)


@task(queue_name="search", priority=10)
def index_item(item_id: str) -> str:
    """Bring the item's search document in line with the current policy (index or delete)."""
    return sync_item(item_id)


@task(queue_name="search", priority=10)
def remove_item(item_id: str) -> str:
    """Remove the item's document from every backend (the item was deleted or erased)."""
    item_id = str(item_id)
    details = []
    for backend in all_backends():
        try:
            backend.delete([item_id])
            details.append(f"{backend.alias}: removed")
        except SearchUnavailable as exc:
            _record_pending(backend, item_id, None, exc)
            details.append(f"{backend.alias}: queued (search unavailable)")
    return "; ".join(details)


@task(queue_name="search", priority=10)
def retry_pending(alias: str = "default") -> int:
    """Apply the updates queued while `alias` was down; returns how many were applied."""
    backend = get_backend(alias)
    applied = 0
    rows = list(SearchPendingUpdate.objects.filter(backend=alias).order_by("id")[:RETRY_BATCH])
    for row in rows:
        item = items_for_indexing().filter(pk=row.item_id).first()
        doc = build_document(item) if item is not None else None
        try:
            _apply(backend, row.item_id, doc)
        except SearchUnavailable as exc:
            row.attempts += 1
            row.reason = str(exc)[:500]
            row.save(update_fields=["attempts", "reason", "updated_at"])
            break
        row.delete()
        applied += 1
    return applied


def queue_index(item_id) -> None:
    """Queue an index update for after the current transaction commits."""
    transaction.on_commit(lambda: index_item.enqueue(str(item_id)))


def queue_remove(item_id) -> None:
    transaction.on_commit(lambda: remove_item.enqueue(str(item_id)))


def schedule_pending_retry(alias: str) -> None:
    """Called when `alias` answered: queue one retry of its pending updates (at most every 30 s)."""
    if not SearchPendingUpdate.objects.filter(backend=alias).exists():
        return
    if cache.add(f"search:retry-pending:{alias}", 1, timeout=30):
        transaction.on_commit(lambda: retry_pending.enqueue(alias))

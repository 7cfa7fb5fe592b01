"""Erasure: a contribution's words, names and files leave everything the archive controls.

What stays is a tombstone: the contribution and item rows with their ids, status ERASED, consent
versions without names, media rows without name, checksum or size, and audit events that keep
action, time and actor but not their before/after texts. Everything else the archive holds about
the items goes in one transaction (rows, registered upper-floor surfaces, private files); after
commit the search index drops the deleted bytes it keeps, and the database file is compacted
(SQLite: WAL checkpoint; PostgreSQL: VACUUM, which cannot run in a transaction). What only time
removes (backups, archived WAL, snapshots, CDN copies) is said in docs/security.md and on the
receipt, with settings.BACKUP_RETENTION_DAYS.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from archive import audit, services, surfaces
from archive.models import (
    AuditEvent,
    Contribution,
    Item,
    ItemMedia,
    RemovalReport,
    SearchPendingUpdate,
)
from media_pipeline import services as media

logger = logging.getLogger(__name__)

# Tables an erasure rewrites; on PostgreSQL they are vacuumed after commit so that no dead tuple
# keeps the old texts in the data files.
VACUUM_MODELS = (
    "archive.Item", "archive.ItemMedia", "archive.ConsentVersion", "archive.Contributor",
    "archive.AuditEvent", "archive.RemovalReport", "archive.SearchDocument", "archive.SearchPendingUpdate",
    "media_pipeline.MediaAsset", "exhibitions.ExhibitionEntry", "sessions.Session",
    "django_tasks_db.DBTaskResult",
)


def erase(contribution: Contribution, *, actor=None, actor_label: str = "contributor") -> dict:
    """Erase every item of `contribution` (idempotent: an erased one returns its tombstone)."""
    if contribution.erased_at:
        return tombstone(contribution)
    item_ids: list[str] = []
    erased_media = 0
    with transaction.atomic():
        contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
        for item in Item.objects.filter(contribution=contribution).order_by("created_at"):
            uses = _erase_item(item, actor=actor, actor_label=actor_label)
            for use in uses:
                media.erase(use.asset)
                erased_media += 1
            _drop_task_rows([str(item.pk), *(str(u.asset_id) for u in uses)])
            item_ids.append(str(item.pk))
        _forget_contributor(contribution)
        _drop_sessions(str(contribution.pk))
        # Robust: the erasure has committed; a search backend failing here must not turn it into an error.
        transaction.on_commit(lambda: compact(item_ids), robust=True)
    result = tombstone(contribution)
    result["media_erased"] = erased_media
    return result


def _erase_item(item: Item, *, actor, actor_label: str) -> list[ItemMedia]:
    current = item.current_consent
    if current is None or not current.withdrawn:
        services.record_consent(item, scopes=[], withdrawn=True, actor=actor, actor_label=actor_label,
                                propagate=False, excluded_media=[])
    for version in item.consent_versions.all():
        if version.evidence:
            version.evidence.delete(save=False)
    item.consent_versions.update(display_name="", given_by_name="", evidence="")
    uses = list(item.media.select_related("asset"))
    ItemMedia.objects.filter(item=item).update(alt_text={}, caption={})
    Item.objects.filter(pk=item.pk).update(
        status=Item.Status.ERASED, title={}, summary={}, story={}, date_text="", date_start=None,
        date_end=None, place="", country="", content_warnings=[], moderation_note="",
        contributor=None, updated_at=timezone.now(),
    )
    item.subjects.clear()
    item.refresh_from_db()
    details = surfaces.erase(item)
    # Audit tombstones: action, time and actor stay; the texts that were changed do not.
    AuditEvent.objects.filter(item_id_ref=item.pk).update(before={}, after={})
    # Reports keep which surface answered and when; their details may quote what was there.
    for report in RemovalReport.objects.filter(item=item):
        report.surfaces = [{k: v for k, v in entry.items() if k in ("surface", "cleared_at", "failed_at")}
                           for entry in report.surfaces]
        report.save(update_fields=["surfaces"])
    SearchPendingUpdate.objects.filter(item_id=str(item.pk)).delete()
    services.request_propagation(item, trigger="erasure")
    audit.record("contribution.erased", actor=actor, actor_label=actor_label, item=item,
                 target=f"contribution {item.contribution_id}",
                 after={"media": len(uses), "surfaces": len(details)})
    return uses


def _forget_contributor(contribution: Contribution) -> None:
    contributor = contribution.contributor
    contribution.contributor = None
    contribution.erased_at = timezone.now()
    contribution.save(update_fields=["contributor", "erased_at"])
    if contributor is None:
        return
    if not contributor.contribution_set.exists() and not contributor.items.exists():
        contributor.delete()
    else:
        contributor.name = contributor.contact_email = ""
        contributor.save(update_fields=["name", "contact_email"])


def _drop_task_rows(ids: list[str]) -> None:
    """Finished task rows whose arguments name these items or assets: their results and tracebacks
    (an exception message may quote a file name) are not kept. Queued ones still have work to do."""
    if not apps.is_installed("django_tasks_db"):
        return
    from django_tasks_db.models import DBTaskResult

    finished = DBTaskResult.objects.exclude(status__in=["READY", "RUNNING"]).annotate(
        text=Cast("args_kwargs", TextField()))
    for key in ids:
        finished.filter(text__contains=key).delete()


def _drop_sessions(contribution_id: str) -> None:
    """The browser session that sent the story still names it (the receipt page's key)."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return
    from django.contrib.sessions.models import Session

    from archive.drafts import RECEIPT_KEY

    now = timezone.now()
    for session in Session.objects.filter(expire_date__gt=now).iterator():
        held = session.get_decoded().get(RECEIPT_KEY) or {}
        if held.get("contribution") == contribution_id:
            session.delete()


def compact(item_ids: list[str], using: str = DEFAULT_DB_ALIAS) -> None:
    """After commit: purge the items from every search backend, then leave no old page in the
    database's files. Safe to call again."""
    from archive.search import all_backends
    from archive.search.base import SearchUnavailable

    for backend in all_backends():
        try:
            backend.purge(item_ids)
        except SearchUnavailable:
            # The propagation task queues the delete for when the backend answers again.
            logger.warning("search backend %s down during an erasure; removal queued", backend.alias)
    connection = connections[using]
    if connection.in_atomic_block:
        return  # a caller's transaction (tests): neither operation can run inside one
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Copies every committed page into the file and empties the WAL, whose old frames
            # still hold the rows as they were before the erasure.
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy = cursor.fetchone()[0]
            if busy:
                logger.warning("WAL checkpoint after an erasure was blocked by a reader; the next one completes it")
        elif connection.vendor == "postgresql":
            for label in VACUUM_MODELS:
                try:
                    model = apps.get_model(label)
                except LookupError:  # an optional app not installed
                    continue
                cursor.execute(f'VACUUM "{model._meta.db_table}"')


def tombstone(contribution: Contribution) -> dict:
    return {
        "contribution": str(contribution.pk),
        "erased_at": contribution.erased_at.isoformat() if contribution.erased_at else None,
        "items": [str(pk) for pk in Item.objects.filter(contribution=contribution).values_list("pk", flat=True)],
    }

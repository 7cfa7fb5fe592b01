"""The exhibitions app's signal handlers, all in one place (connected from ExhibitionsConfig.ready).

Curators' edits to exhibitions and entries drop cached IIIF documents and bring the exhibition
collection's Change Discovery activities up to date after the transaction commits (once per
exhibition per transaction, however many entries were touched).
"""

from __future__ import annotations

import logging
import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from exhibitions.models import Exhibition, ExhibitionEntry, MembershipChange

# What a harvester sees of every item in an exhibition: whether it is live (status, window), the
# set's spec (slug) and the exhibition's titles in the `memories` records.
MEMBERS_SEE = ("status", "publish_at", "unpublish_at", "slug", "title")

_pending = threading.local()
logger = logging.getLogger(__name__)


def _schedule(exhibition_id: int, item_id=None) -> None:
    pending = getattr(_pending, "ids", None)
    if pending is None:
        pending = _pending.ids = set()
        _pending.items = set()
    pending.add(exhibition_id)
    if item_id is not None:
        _pending.items.add(item_id)
    conn = transaction.get_connection()
    # One callback per transaction; registered again if a rollback discarded the previous one.
    if not conn.in_atomic_block or not any(entry[1] is _flush for entry in conn.run_on_commit):
        transaction.on_commit(_flush)


def _flush() -> None:
    from exhibitions.iiif import changes

    ids, _pending.ids = getattr(_pending, "ids", None) or set(), None
    items, _pending.items = getattr(_pending, "items", None) or set(), set()
    for exhibition in Exhibition.objects.filter(pk__in=ids):
        try:
            changes.sync_exhibition(exhibition)
        except Exception:
            # The curator's edit is committed; the change stream catches up on the next save or
            # propagation. Logged with the traceback, never hidden.
            logger.exception("IIIF change stream not updated for exhibition %s", exhibition.slug)
    if items:
        # The exhibition facet of the placed (or removed) items' search documents changed.
        from archive.search.tasks import queue_index

        for item_id in items:
            queue_index(item_id)


def exhibition_saved(sender, instance: Exhibition, **kwargs) -> None:
    _schedule(instance.pk)
    # Status decides whether the exhibition's slug is in its items' search documents.
    for item_id in instance.entries.values_list("item_id", flat=True):
        _pending.items.add(item_id)


def exhibition_saving(sender, instance: Exhibition, raw=False, update_fields=None, **kwargs) -> None:
    if raw or instance.pk is None:
        return  # a new exhibition has no items yet; each entry added is recorded on its own
    if update_fields is not None and not set(update_fields) & set(MEMBERS_SEE):
        return
    before = Exhibition.objects.filter(pk=instance.pk).values(*MEMBERS_SEE).first()
    if before is None or any(before[name] != getattr(instance, name) for name in MEMBERS_SEE):
        instance.members_changed_at = timezone.now()


def exhibition_deleted(sender, instance: Exhibition, **kwargs) -> None:
    from exhibitions.iiif import changes

    slug = instance.slug

    def retire():
        changes.retire_exhibition(slug)

    transaction.on_commit(retire)


def entry_changed(sender, instance: ExhibitionEntry, created=None, **kwargs) -> None:
    # created is None for a deletion (post_delete), also the cascade of a deleted exhibition.
    if created is not False and not kwargs.get("raw"):
        MembershipChange.objects.create(item_ref=instance.item_id)
    # An entry edit changes the exhibition's documents: touch it so cache keys move on.
    Exhibition.objects.filter(pk=instance.exhibition_id).update(updated_at=timezone.now())
    _schedule(instance.exhibition_id, instance.item_id)


def connect() -> None:
    pre_save.connect(exhibition_saving, sender=Exhibition, dispatch_uid="exhibitions.exhibition_saving")
    post_save.connect(exhibition_saved, sender=Exhibition, dispatch_uid="exhibitions.exhibition_saved")
    post_delete.connect(exhibition_deleted, sender=Exhibition, dispatch_uid="exhibitions.exhibition_deleted")
    post_save.connect(entry_changed, sender=ExhibitionEntry, dispatch_uid="exhibitions.entry_saved")
    post_delete.connect(entry_changed, sender=ExhibitionEntry, dispatch_uid="exhibitions.entry_deleted")

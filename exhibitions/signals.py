"""The exhibitions app's signal handlers, all in one place (connected from ExhibitionsConfig.ready).

Curators' edits to exhibitions and entries drop cached IIIF documents and bring the exhibition
collection's Change Discovery activities up to date after the transaction commits (once per
exhibition per transaction, however many entries were touched).
"""

from __future__ import annotations

import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from exhibitions.models import Exhibition, ExhibitionEntry

_pending = threading.local()


def _schedule(exhibition_id: int) -> None:
    pending = getattr(_pending, "ids", None)
    if pending is None:
        pending = _pending.ids = set()
    pending.add(exhibition_id)
    conn = transaction.get_connection()
    # One callback per transaction; registered again if a rollback discarded the previous one.
    if not conn.in_atomic_block or not any(entry[1] is _flush for entry in conn.run_on_commit):
        transaction.on_commit(_flush)


def _flush() -> None:
    from exhibitions.iiif import cache, changes

    ids, _pending.ids = getattr(_pending, "ids", None) or set(), None
    cache.bump_generation()
    for exhibition in Exhibition.objects.filter(pk__in=ids):
        changes.sync_exhibition(exhibition)


def exhibition_saved(sender, instance: Exhibition, **kwargs) -> None:
    _schedule(instance.pk)


def entry_changed(sender, instance: ExhibitionEntry, **kwargs) -> None:
    # An entry edit changes the exhibition's documents: touch it so cache keys move on.
    Exhibition.objects.filter(pk=instance.exhibition_id).update(updated_at=timezone.now())
    _schedule(instance.exhibition_id)


def connect() -> None:
    post_save.connect(exhibition_saved, sender=Exhibition, dispatch_uid="exhibitions.exhibition_saved")
    post_save.connect(entry_changed, sender=ExhibitionEntry, dispatch_uid="exhibitions.entry_saved")
    post_delete.connect(entry_changed, sender=ExhibitionEntry, dispatch_uid="exhibitions.entry_deleted")

"""All of the archive's signal handlers, registered from ArchiveConfig.ready()."""

from __future__ import annotations

from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone

from archive.models import Event, Item, Subject

# What the public projection shows of an item's event and subjects (archive/projection.py).
SHOWN = {Event: ("slug", "name", "country"), Subject: ("slug", "label")}


def _carriers(instance: Event | Subject):
    return Item.objects.filter(event=instance) if isinstance(instance, Event) else Item.objects.filter(subjects=instance)


@receiver(pre_save, sender=Event, dispatch_uid="archive.event_saving")
@receiver(pre_save, sender=Subject, dispatch_uid="archive.subject_saving")
def vocabulary_saving(sender, instance, raw=False, **kwargs) -> None:
    """An event renamed or a subject relabelled changes the record of every item that carries it:
    their `updated_at` moves, so OAI-PMH datestamps, sitemaps' lastmod and IIIF cache keys do too."""
    if raw or instance.pk is None:
        return
    fields = SHOWN[sender]
    before = sender.objects.filter(pk=instance.pk).values(*fields).first()
    if before is not None and any(before[name] != getattr(instance, name) for name in fields):
        _carriers(instance).update(updated_at=timezone.now())


@receiver(pre_delete, sender=Event, dispatch_uid="archive.event_deleting")
@receiver(pre_delete, sender=Subject, dispatch_uid="archive.subject_deleting")
def vocabulary_deleting(sender, instance, **kwargs) -> None:
    # Its items lose it with no write of their own (SET_NULL, the many-to-many rows cascade).
    _carriers(instance).update(updated_at=timezone.now())

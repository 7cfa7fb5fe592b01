"""The exhibitions app's public surfaces, registered with archive.surfaces at start-up.

- `exhibition`: placement in exhibitions. Public pages filter through the consent policy at read
  time; the handler flags entries for curators and writes the audit event.
- `iiif`: manifests, collections, content search, change discovery. The handler drops cached
  documents and emits Change Discovery activities (Create/Update/Delete) matching the policy now,
  plus those that a future embargo end or expiry will cause.
"""

from __future__ import annotations

from archive import surfaces
from archive.models import Item


def exhibition_handler(item: Item) -> str:
    from exhibitions import services

    return services.sync_entries_for_item(item)


def iiif_handler(item: Item) -> str:
    from django.utils import timezone

    from exhibitions.iiif import cache, changes
    from exhibitions.models import Exhibition
    from exhibitions.selectors import live_q

    now = timezone.now()
    cache.bump_generation()
    emitted = changes.sync_item(item, now)
    # Collections that list the item changed too (only those live now and holding it).
    for exhibition in Exhibition.objects.filter(live_q(), entries__item=item).distinct():
        changes.sync_exhibition(exhibition)
    if not emitted:
        return "IIIF already up to date"
    return "IIIF " + ", ".join(f"{a.type} {'scheduled' if a.end_time > now else 'now'}" for a in emitted)


def exhibition_locator(item: Item) -> list[str]:
    """For the contributor's receipt: the titles, in the visitor's language, of the exhibitions
    the public can see now that hold the item and whose entries consent lets it show in."""
    from archive.i18n import pick
    from exhibitions.selectors import entries_q, live_exhibitions

    live = live_exhibitions().filter(entries__in=item.exhibition_entries.filter(entries_q()))
    return [pick(exhibition.title).text or exhibition.slug for exhibition in live.distinct().order_by("slug")]


def erase_item(item: Item) -> str:
    """An erased item leaves no entry (its caption is the curator's words about the person) and no
    cover; cached IIIF documents that held its texts are dropped once the erasure commits."""
    from django.db import transaction

    from exhibitions.iiif import cache
    from exhibitions.models import Exhibition, ExhibitionEntry

    Exhibition.objects.filter(cover__item=item).update(cover=None)
    removed, _by_model = ExhibitionEntry.objects.filter(item=item).delete()
    transaction.on_commit(cache.bump_generation)
    return f"{removed} exhibition entries removed"


def register() -> None:
    surfaces.register("exhibition", "Exhibitions", exhibition_handler)
    surfaces.register("iiif", "IIIF manifests and change stream", iiif_handler)
    surfaces.register_eraser("exhibitions", erase_item)


register()

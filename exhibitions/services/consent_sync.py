"""Keeping exhibitions whole when an item's consent changes, and telling curators."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from archive import audit, consent
from archive.models import Item
from exhibitions.models import Exhibition, ExhibitionEntry


def _audit(item: Item, flagged: list[ExhibitionEntry], restored: list[ExhibitionEntry]) -> None:
    for entry in flagged:
        audit.record("exhibition.entry_hidden", actor_label="system", item=item,
                     target=f"exhibition:{entry.exhibition.slug}",
                     after={"entry": entry.pk, "reason": entry.unavailable_reason})
    for entry in restored:
        audit.record("exhibition.entry_restored", actor_label="system", item=item,
                     target=f"exhibition:{entry.exhibition.slug}", after={"entry": entry.pk})


def _summary(entries: list[ExhibitionEntry], allowed: bool, restored: list[ExhibitionEntry]) -> str:
    """The line of the removal report for the exhibition surface."""
    if not entries:
        return "in no exhibition"
    if allowed:
        return f"shown in {len(entries)} exhibition placement(s)" + (f", {len(restored)} restored" if restored else "")
    return f"hidden from {len(entries)} exhibition placement(s); curators notified"


@transaction.atomic
def sync_entries_for_item(item: Item) -> str:
    """Flag (or unflag) the item's entries in every exhibition as the consent policy answers now.

    The public never sees a disallowed entry (selectors filter through the consent policy at read
    time); this records it for curators: a flag on the entry, shown in the admin, and an audit
    event per exhibition, written once per change (idempotent).
    """
    allowed = consent.allows(item, "exhibition")
    entries = list(ExhibitionEntry.objects.select_related("exhibition").filter(item=item))
    flagged, restored = [], []
    now = timezone.now()
    for entry in entries:
        if not allowed and entry.unavailable_since is None:
            entry.unavailable_since = now
            entry.unavailable_reason = (consent.refusal_reason(item, "exhibition") or "")[:200]
            entry.save(update_fields=["unavailable_since", "unavailable_reason"])
            flagged.append(entry)
        elif allowed and entry.unavailable_since is not None:
            entry.unavailable_since = None
            entry.unavailable_reason = ""
            entry.save(update_fields=["unavailable_since", "unavailable_reason"])
            restored.append(entry)
    _audit(item, flagged, restored)
    if flagged or restored:
        Exhibition.objects.filter(pk__in={e.exhibition_id for e in flagged + restored}).update(updated_at=now)
    return _summary(entries, allowed, restored)

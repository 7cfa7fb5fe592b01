"""Writes to the record. Views, serializers and tasks call these; they never write models directly."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from archive import audit
from archive.files import close_files
from archive.models import SURFACES, ConsentVersion, Item, RemovalReport


class ConsentError(ValueError):
    """A consent change that cannot be made (the message says why, for the person who asked)."""


def _snapshot(c: ConsentVersion | None) -> dict:
    if c is None:
        return {}
    return {
        "number": c.number,
        "scopes": c.scopes,
        "name_display": c.name_display,
        "embargo_until": c.embargo_until.isoformat() if c.embargo_until else None,
        "expires_at": c.expires_at.isoformat() if c.expires_at else None,
        "excluded_media": c.excluded_media,
        "withdrawn": c.withdrawn,
        "given_by": c.given_by,
        "method": c.method,
    }


@transaction.atomic
def record_consent(item: Item, *, scopes: list[str], actor=None, actor_label: str = "contributor",
                   propagate: bool = True, **fields) -> ConsentVersion:
    """Append a new consent version for `item` and make it the current one.

    It takes effect at read time immediately (the policy reads `current_consent`); propagation to
    caches, indexes and public files is queued after commit.
    """
    unknown = set(scopes) - set(SURFACES)
    if unknown:
        raise ConsentError(f"Unknown scopes: {', '.join(sorted(unknown))}.")
    given = item
    item = Item.objects.select_for_update().get(pk=item.pk)
    previous = item.current_consent
    number = (previous.number + 1) if previous else 1
    version = ConsentVersion.objects.create(
        item=item, number=number, **{f"scope_{s}": s in scopes for s in SURFACES}, **fields
    )
    Item.objects.filter(pk=item.pk).update(current_consent=version, updated_at=timezone.now())
    item.current_consent = given.current_consent = version
    # Public file URLs close with this transaction, not when a worker gets to it.
    close_files(item)
    audit.record(
        "consent.withdrawn" if version.withdrawn else "consent.changed",
        actor=actor, actor_label=actor_label, item=item, target=f"consent v{number}",
        before=_snapshot(previous), after=_snapshot(version),
    )
    # The pending report for this change (None when not propagated), for callers that return it.
    version.propagation_report = None
    if propagate:
        version.propagation_report = request_propagation(
            item, version, trigger="withdrawal" if version.withdrawn else "consent"
        )
    return version


def request_propagation(item: Item, version: ConsentVersion | None = None, *,
                        trigger: str = "consent") -> RemovalReport | None:
    """Open a (pending) report for carrying the item's current state to every surface, and queue
    the propagation task after commit. The report exists as soon as the caller's transaction
    commits, so the contributor's receipt can show it as pending even before a worker runs it.
    """
    version = version or item.current_consent
    if version is None:
        return None
    report = RemovalReport.objects.create(
        item=item, consent_version=version, requested_at=timezone.now(), trigger=trigger
    )
    from archive.tasks import enqueue_propagation

    transaction.on_commit(lambda: enqueue_propagation(item.pk, version.pk, report.pk))
    return report

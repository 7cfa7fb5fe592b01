"""The archive's tasks. Thin: they load rows and call services."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from archive import audit, surfaces
from archive.models import ConsentVersion, Item, RemovalReport

logger = logging.getLogger(__name__)


def enqueue_propagation(item_id, consent_version_id: int) -> None:
    propagate_consent.enqueue(str(item_id), consent_version_id)


@task()
def propagate_consent(item_id: str, consent_version_id: int) -> int:
    """Carry a consent change to every registered surface and write the removal report.

    Idempotent: each surface handler brings its surface in line with the *current* policy answer,
    so running it twice, or for an older version after a newer one, converges on the truth.
    """
    item = Item.objects.select_related("current_consent").get(pk=item_id)
    version = ConsentVersion.objects.get(pk=consent_version_id)
    report, _ = RemovalReport.objects.get_or_create(
        item=item, consent_version=version, defaults={"requested_at": version.created_at}
    )
    done = {entry["surface"] for entry in report.surfaces}
    for surface in surfaces.registered():
        if surface.name in done:
            continue
        detail = surface.handler(item)
        report.surfaces.append({"surface": surface.name, "label": surface.label, "detail": detail,
                                "cleared_at": timezone.now().isoformat()})
        report.save(update_fields=["surfaces"])
    report.completed_at = timezone.now()
    report.save(update_fields=["completed_at"])
    audit.record("consent.propagated", actor_label="system", item=item, target=f"consent v{version.number}",
                 after={"surfaces": [e["surface"] for e in report.surfaces]})
    return report.pk

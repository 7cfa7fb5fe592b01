"""Writing to the append-only audit log."""

from __future__ import annotations

from typing import Any

from archive.models import AuditEvent


def record(action: str, *, actor=None, actor_label: str = "", item=None, target: str = "",
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> AuditEvent:
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=actor_label or (actor.get_username() if actor else "system"),
        action=action,
        item_id_ref=getattr(item, "pk", None),
        target=target,
        before=before or {},
        after=after or {},
    )

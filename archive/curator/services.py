"""Writes made from the curator workspace. Each one is audited."""

from __future__ import annotations

import uuid

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from archive import audit, services
from archive.models import ConsentVersion, Item


class CuratorError(ValueError):
    """A workspace action that cannot be done; the message says why."""


_DESCRIBED = ("title", "summary", "story", "original_language", "date_text", "date_start", "date_end",
              "date_approximate", "place", "country", "event_id", "content_warnings", "rights")


def _snapshot(item: Item) -> dict:
    snap = {name: getattr(item, name) for name in _DESCRIBED}
    for key in ("date_start", "date_end"):
        snap[key] = snap[key].isoformat() if snap[key] else None
    snap["subjects"] = sorted(item.subjects.values_list("slug", flat=True))
    return snap


@transaction.atomic
def describe_item(item: Item, *, actor, language_maps: dict[str, dict], subjects, **fields) -> Item:
    """Save the description; the audit entry holds only what changed, before and after."""
    before = _snapshot(item)
    for name, value in language_maps.items():
        setattr(item, name, value)
    event = fields.pop("event", None)
    item.event_id = event.pk if event else None
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()
    item.subjects.set(subjects)
    after = _snapshot(item)
    changed = [k for k in after if after[k] != before[k]]
    if changed:
        audit.record("item.described", actor=actor, item=item, target=", ".join(changed),
                     before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return item


def record_paper_consent(item: Item, *, actor, scopes: list[str], evidence: UploadedFile, evidence_ext: str,
                         name_display: str, display_name: str = "", given_by_name: str = "",
                         embargo_until=None, expires_at=None) -> ConsentVersion:
    """A new consent version from a signed paper form; the scan goes to private storage under a
    generated name (never the uploaded file's name)."""
    if item.status == Item.Status.ERASED:
        raise CuratorError(_("This item was erased; no consent can be recorded for it."))
    evidence.name = f"{uuid.uuid4().hex}.{evidence_ext}"
    return services.record_consent(
        item, scopes=scopes, given_by=ConsentVersion.GivenBy.CURATOR_PAPER, method=ConsentVersion.Method.PAPER,
        evidence=evidence, recorded_by=actor, actor=actor, actor_label=actor.get_username(), name_display=name_display,
        display_name=display_name, given_by_name=given_by_name, embargo_until=embargo_until,
        expires_at=expires_at,
    )


def assign(item: Item, *, to, actor) -> Item:
    """Give a submission to a moderator (`to`), or release it (`to=None`); audited."""
    before = item.assigned_to.get_username() if item.assigned_to_id else ""
    item.assigned_to = to
    item.save(update_fields=["assigned_to", "updated_at"])
    after = to.get_username() if to else ""
    if before != after:
        audit.record("item.assigned", actor=actor, item=item, target="moderation",
                     before={"assigned_to": before}, after={"assigned_to": after})
    return item


def decide_many(items: list[Item], *, decision: str, actor, reason: str = "", assignee=None) -> int:
    """One decision for several submissions, each through the single-item service (so consent,
    propagation and audit stay one path). All or nothing: the first refusal undoes the others and
    says which submission refused and why."""
    from archive import moderation

    with transaction.atomic():
        for item in items:
            try:
                if decision == "approve":
                    moderation.approve(item, actor=actor)
                elif decision == "reject":
                    moderation.reject(item, actor=actor, reason=reason)
                elif decision == "request-changes":
                    moderation.request_changes(item, actor=actor, reason=reason)
                elif decision == "assign":
                    assign(item, to=assignee, actor=actor)
                else:
                    raise CuratorError(_("Unknown decision."))
            except moderation.ModerationError as exc:
                raise CuratorError(_("Nothing was changed: “%(title)s”: %(reason)s")
                                   % {"title": str(item)[:120], "reason": exc}) from exc
    return len(items)

"""Moderation: approve (publish), reject, request changes. Permission checks are the caller's
(the API checks archive.publish_item / archive.moderate_item); the consent rule is checked here,
so no caller can publish what consent forbids.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archive import audit, services
from archive import consent as policy
from archive.files import close_files
from archive.models import Item
from media_pipeline.models import MediaAsset

_REVIEWABLE = (Item.Status.SUBMITTED, Item.Status.CHANGES_REQUESTED, Item.Status.REJECTED)


class ModerationError(ValueError):
    """A moderation step that cannot be taken; the message says why."""


def _locked(item: Item) -> Item:
    return Item.objects.select_for_update(of=("self",)).select_related("current_consent").get(pk=item.pk)


def _sync(target: Item, source: Item) -> None:
    for name in ("status", "published_at", "moderation_note", "updated_at"):
        setattr(target, name, getattr(source, name))


def approve(item: Item, *, actor) -> Item:
    """Publish a submission. Refused when the consent lacks `web` (or was withdrawn), and while
    any media the item would show is not processed yet (it could not be published)."""
    with transaction.atomic():
        locked = _locked(item)
        consent = locked.current_consent
        if locked.status == Item.Status.ERASED:
            raise ModerationError(_("This item has been erased."))
        if locked.status == Item.Status.PUBLISHED:
            raise ModerationError(_("This item is already published."))
        if not policy.may_publish(consent):
            raise ModerationError(_("The contributor's consent does not include the web; this item cannot be published."))
        excluded = set(consent.excluded_media or [])
        pending = [m for m in locked.media.select_related("asset") if m.pk not in excluded
                   and m.asset.status != MediaAsset.Status.READY]
        if pending:
            raise ModerationError(
                _("%(n)d media file(s) are not processed yet (or failed); wait, or exclude them, before publishing.")
                % {"n": len(pending)}
            )
        before = {"status": locked.status}
        locked.status = Item.Status.PUBLISHED
        locked.published_at = timezone.now()
        locked.moderation_note = ""
        locked.save(update_fields=["status", "published_at", "moderation_note", "updated_at"])
        audit.record("item.approved", actor=actor, item=locked, target="moderation",
                     before=before, after={"status": locked.status})
        services.request_propagation(locked, trigger="publication")
    _sync(item, locked)
    return item


def _close(item: Item, *, actor, reason: str, status: str, action: str) -> Item:
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError(_("Give a reason; the contributor will read it on their receipt."))
    with transaction.atomic():
        locked = _locked(item)
        if locked.status == Item.Status.ERASED:
            raise ModerationError(_("This item has been erased."))
        before = {"status": locked.status}
        was_public = locked.status == Item.Status.PUBLISHED
        locked.status = status
        locked.moderation_note = reason[:2000]
        locked.save(update_fields=["status", "moderation_note", "updated_at"])
        audit.record(action, actor=actor, item=locked, target="moderation", before=before,
                     after={"status": status, "reason": locked.moderation_note})
        if was_public:
            # Unpublishing closes the files in this transaction (the policy allows nothing for an
            # unpublished item), then reaches every surface, like a withdrawal.
            close_files(locked)
            services.request_propagation(locked, trigger="unpublication")
    _sync(item, locked)
    return item


def reject(item: Item, *, actor, reason: str) -> Item:
    return _close(item, actor=actor, reason=reason, status=Item.Status.REJECTED, action="item.rejected")


def request_changes(item: Item, *, actor, reason: str) -> Item:
    return _close(item, actor=actor, reason=reason, status=Item.Status.CHANGES_REQUESTED,
                  action="item.changes_requested")

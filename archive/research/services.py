"""Writes for research access. One function per action, atomic, each with an audit row."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from types import SimpleNamespace

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archive import audit
from archive.research.models import AGREEMENT_VERSION, ResearchAccess, ResearchToken
from archive.research.selectors import active_access

# Longest approval an archivist may give at once; renewal is a new decision.
MAX_APPROVAL = timedelta(days=2 * 366)
# What the approval form proposes.
DEFAULT_APPROVAL = timedelta(days=365)
# IIIF access tokens live briefly; the probe re-checks access at every use anyway.
TOKEN_LIFETIME = timedelta(hours=1)


class ResearchError(ValueError):
    """A research-access action that cannot be done; the message says why and what to do."""


def apply(user, *, institution: str, purpose: str, agreement_accepted: bool) -> ResearchAccess:
    institution, purpose = (institution or "").strip(), (purpose or "").strip()
    if not agreement_accepted:
        raise ResearchError(_("Accept the research agreement to apply."))
    if not institution or not purpose:
        raise ResearchError(_("Give your institution and the purpose of your research."))
    try:
        with transaction.atomic():
            access = ResearchAccess.objects.create(
                user=user, institution=institution[:200], purpose=purpose[:4000],
                agreement_version=AGREEMENT_VERSION, agreement_accepted_at=timezone.now(),
            )
            audit.record("research.applied", actor=user, target=f"application {access.pk}",
                         after={"institution": access.institution, "agreement_version": AGREEMENT_VERSION})
    except IntegrityError as exc:
        raise ResearchError(_("You already have an application waiting or an approved access.")) from exc
    return access


def _locked(access: ResearchAccess) -> ResearchAccess:
    return ResearchAccess.objects.select_for_update().get(pk=access.pk)


def _decide(access: ResearchAccess, *, actor, status: str, note: str, expected: tuple[str, ...],
            expires_at: datetime | None = None) -> ResearchAccess:
    with transaction.atomic():
        locked = _locked(access)
        if locked.status not in expected:
            raise ResearchError(_("This application was already decided; reload the page."))
        if locked.user_id == getattr(actor, "pk", None):
            raise ResearchError(_("Nobody may decide their own application."))
        before = {"status": locked.status, "expires_at": locked.expires_at.isoformat() if locked.expires_at else None}
        locked.status, locked.decided_by, locked.decided_at = status, actor, timezone.now()
        locked.decision_note = (note or "").strip()[:2000]
        if expires_at is not None:
            locked.expires_at = expires_at
        locked.save()
        if status != ResearchAccess.Status.APPROVED:
            ResearchToken.objects.filter(user_id=locked.user_id).delete()
        audit.record(f"research.{status}", actor=actor, target=f"application {locked.pk}", before=before,
                     after={"status": status, "expires_at": locked.expires_at.isoformat() if locked.expires_at else None,
                            "note": locked.decision_note})
    return locked


def approve(access: ResearchAccess, *, actor, expires_at: datetime, note: str = "") -> ResearchAccess:
    now = timezone.now()
    if expires_at is None or expires_at <= now:
        raise ResearchError(_("Choose an expiry date in the future."))
    if expires_at > now + MAX_APPROVAL:
        raise ResearchError(_("An approval may last two years at most; renew it later."))
    return _decide(access, actor=actor, status=ResearchAccess.Status.APPROVED, note=note,
                   expected=(ResearchAccess.Status.PENDING,), expires_at=expires_at)


def refuse(access: ResearchAccess, *, actor, note: str) -> ResearchAccess:
    if not (note or "").strip():
        raise ResearchError(_("Give a reason; the applicant will read it."))
    return _decide(access, actor=actor, status=ResearchAccess.Status.REFUSED, note=note,
                   expected=(ResearchAccess.Status.PENDING,))


def revoke(access: ResearchAccess, *, actor, note: str) -> ResearchAccess:
    """Ends an approved access at once: the reading room, the manifests and every token."""
    if not (note or "").strip():
        raise ResearchError(_("Give a reason; the researcher will read it."))
    return _decide(access, actor=actor, status=ResearchAccess.Status.REVOKED, note=note,
                   expected=(ResearchAccess.Status.APPROVED,))


def record_view(user, item_id, what: str) -> None:
    """Every research view is audited: who (the actor), what (item and resource), when (the row's time)."""
    audit.record("research.viewed", actor=user, target=what[:200], item=SimpleNamespace(pk=item_id))


# --- IIIF access tokens --------------------------------------------------------------------------

def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue_token(user, origin: str) -> tuple[str, int]:
    """A new opaque access token for `user` (who must have active access now) and its lifetime in
    seconds. Expired tokens of the user are dropped on the way."""
    if active_access(user) is None:
        raise ResearchError(_("You have no approved research access."))
    now = timezone.now()
    ResearchToken.objects.filter(user=user, expires_at__lte=now).delete()
    token = secrets.token_urlsafe(32)
    ResearchToken.objects.create(user=user, token_hash=_hash(token), origin=origin[:300],
                                 expires_at=now + TOKEN_LIFETIME)
    return token, int(TOKEN_LIFETIME.total_seconds())


def user_for_token(token: str):
    """The user a live token was issued to, or None. Access itself is checked by the caller."""
    if not token or len(token) > 200:
        return None
    found = (ResearchToken.objects.select_related("user")
             .filter(token_hash=_hash(token), expires_at__gt=timezone.now()).first())
    return found.user if found else None


def drop_tokens(user) -> int:
    """The logout service: every token of the user stops working."""
    return ResearchToken.objects.filter(user=user).delete()[0]

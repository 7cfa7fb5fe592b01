"""Reads for research access: who may read now, and what. What an item shows is the consent
policy's answer for the `research` surface (archive.consent), never decided here."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from archive import consent
from archive.models import Item
from archive.projection import PublicItem, public_projection
from archive.research.models import ResearchAccess


def vetted(user, at: datetime | None = None) -> ResearchAccess | None:
    """The user's approved, unexpired access at `at`, whatever their session, or None."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    at = at or timezone.now()
    return (ResearchAccess.objects.filter(user=user, status=ResearchAccess.Status.APPROVED, expires_at__gt=at)
            .order_by("-expires_at").first())


def active_access(user, at: datetime | None = None) -> ResearchAccess | None:
    """The access that lets this requester read now, or None. Read at every request: a revocation
    or an expiry holds the moment it is written or reached, and a session signed in with a password
    alone reads nothing where two factors are asked of researchers as of staff."""
    access = vetted(user, at)
    return None if access is None or _password_only(user) else access


def _password_only(user) -> bool:
    # django-otp's middleware gives a request's user `is_verified`. A user reached by an access
    # token (issued only to a session that passed this check) or read from the database has none.
    is_verified = getattr(user, "is_verified", None)
    if is_verified is None or is_verified():
        return False
    return settings.OTP_REQUIRED_FOR_STAFF or TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def latest_application(user) -> ResearchAccess | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return ResearchAccess.objects.filter(user=user).order_by("-applied_at", "-id").first()


def reading_room(at: datetime | None = None) -> QuerySet[Item]:
    """Every item whose consent opens `research` now, newest first."""
    return (consent.visible_items("research", at).select_related("event")
            .prefetch_related("media__asset").order_by("-published_at", "-created_at"))


def research_projection(item_id, at: datetime | None = None) -> PublicItem | None:
    """The item as the research surface may show it, or None (missing, withdrawn, not for research)."""
    item = (Item.objects.select_related("current_consent", "event", "contributor")
            .prefetch_related("media__asset", "subjects").filter(pk=item_id).first())
    if item is None or not consent.research_allows(item, at):
        return None
    return public_projection(item, "research", at)


def applications(status: str = "") -> QuerySet[ResearchAccess]:
    qs = ResearchAccess.objects.select_related("user", "decided_by")
    if status in ResearchAccess.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-applied_at", "-id")

"""Reads of exhibitions for public surfaces. Publication windows are evaluated at read time."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from archive import consent
from exhibitions.models import Exhibition, ExhibitionEntry


def live_q(at: datetime | None = None) -> Q:
    at = at or timezone.now()
    return (
        Q(status=Exhibition.Status.PUBLISHED)
        & (Q(publish_at__isnull=True) | Q(publish_at__lte=at))
        & (Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=at))
    )


def live_exhibitions(at: datetime | None = None) -> QuerySet[Exhibition]:
    """Exhibitions the public may see now (published, inside their window)."""
    return Exhibition.objects.filter(live_q(at))


def visible_entries(exhibition: Exhibition, at: datetime | None = None) -> QuerySet[ExhibitionEntry]:
    """The exhibition's entries whose items consent allows in an exhibition, in order."""
    return (
        exhibition.entries.filter(consent.visible_q("exhibition", at, prefix="item__"))
        .select_related("item", "item__current_consent", "media", "media__asset")
        .prefetch_related(Prefetch("item__media"))
    )

"""The consent policy: the one place that decides whether something may be shown, and where.

Every public surface asks this module (DESIGN.md, "The one rule"). It imports nothing but the
archive's models. Time-based rules (embargo, expiry) are evaluated at read time, so correctness
never waits for a scheduler: pass `at` to evaluate at another moment (tests, previews).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from archive.models import SURFACES, ConsentVersion, Item, ItemMedia

PUBLIC_SURFACES = ("web", "search", "exhibition", "iiif", "memorial_wall")


class UnknownSurface(ValueError):
    pass


def _check_surface(surface: str) -> None:
    if surface not in SURFACES:
        raise UnknownSurface(f"Unknown surface {surface!r}; expected one of {', '.join(SURFACES)}.")


def current_consent(item: Item) -> ConsentVersion | None:
    """The newest consent version (the denormalised pointer, kept by archive.services)."""
    return item.current_consent


def consent_allows(consent: ConsentVersion | None, surface: str, at: datetime | None = None) -> bool:
    """Whether one consent version, on its own, opens `surface` at `at`."""
    _check_surface(surface)
    if consent is None or consent.withdrawn:
        return False
    at = at or timezone.now()
    if consent.embargo_until and at < consent.embargo_until:
        return False
    if consent.expires_at and at >= consent.expires_at:
        return False
    return bool(getattr(consent, f"scope_{surface}"))


def allows(item: Item, surface: str, at: datetime | None = None) -> bool:
    """Whether `item` may appear on `surface` at `at` (now by default)."""
    if item.status != Item.Status.PUBLISHED:
        return False
    return consent_allows(current_consent(item), surface, at)


def media_allowed(item: Item, media: ItemMedia, surface: str, at: datetime | None = None) -> bool:
    """Whether one of the item's media may appear on `surface`: the item may, and it is not excluded."""
    if media.item_id != item.pk or not allows(item, surface, at):
        return False
    return media.pk not in (current_consent(item).excluded_media or [])


def allowed_media(item: Item, surface: str, at: datetime | None = None) -> list[ItemMedia]:
    """The item's media that may appear on `surface`, in order (uses a prefetched `media` if present)."""
    if not allows(item, surface, at):
        return []
    excluded = set(current_consent(item).excluded_media or [])
    return [m for m in item.media.all() if m.pk not in excluded]


def visible_q(surface: str, at: datetime | None = None, prefix: str = "") -> Q:
    """A Q object for items visible on `surface`; `prefix` reaches items through a relation ("item__")."""
    _check_surface(surface)
    at = at or timezone.now()
    c = f"{prefix}current_consent__"
    return (
        Q(**{f"{prefix}status": Item.Status.PUBLISHED})
        & Q(**{f"{c}withdrawn": False})
        & Q(**{f"{c}scope_{surface}": True})
        & (Q(**{f"{c}embargo_until__isnull": True}) | Q(**{f"{c}embargo_until__lte": at}))
        & (Q(**{f"{c}expires_at__isnull": True}) | Q(**{f"{c}expires_at__gt": at}))
    )


def visible_items(surface: str, at: datetime | None = None) -> QuerySet[Item]:
    """Every item that may appear on `surface` at `at`, with its consent joined in."""
    return Item.objects.filter(visible_q(surface, at)).select_related("current_consent")


def shown_name(item: Item, surface: str = "web", at: datetime | None = None) -> str:
    """The contributor's name as the consent says to display it; '' where nothing may be shown."""
    consent = current_consent(item)
    if not consent_allows(consent, surface, at):
        return ""
    return name_for_display(consent)


def name_for_display(consent: ConsentVersion) -> str:
    display = (consent.display_name or "").strip()
    if consent.name_display == ConsentVersion.NameDisplay.FULL:
        return display
    if consent.name_display == ConsentVersion.NameDisplay.INITIALS:
        return " ".join(f"{part[0]}." for part in display.split() if part)
    if consent.name_display == ConsentVersion.NameDisplay.PSEUDONYM:
        return display
    return ""


def surfaces_now(item: Item, at: datetime | None = None) -> dict[str, bool]:
    """Where the item may appear right now, surface by surface (for the management page)."""
    return {surface: allows(item, surface, at) for surface in SURFACES}

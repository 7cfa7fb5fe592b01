"""The consent policy: the one place that decides whether something may be shown, and where.

Every public surface asks this module (DESIGN.md, "The one rule"). It imports nothing but the
archive's models. Time-based rules (embargo, expiry) are evaluated at read time, so correctness
never waits for a scheduler: pass `at` to evaluate at another moment (tests, previews).
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.db.models import Case, DateTimeField, Exists, F, Min, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from archive.models import SURFACES, ConsentVersion, Item, ItemMedia

# Every surface the public can see (`research` is for vetted researchers only).
PUBLIC_SURFACES = ("web", "search", "exhibition", "iiif", "memorial_wall")

# The consent fields whose moments change an answer by time alone (embargo ends, consent expires).
TIME_FIELDS = ("embargo_until", "expires_at")


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
    if under_embargo(consent, at) or expired(consent, at):
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
    """The item's media that may appear on `surface`, in order (uses a prefetched `media` if present,
    or the list a long page prefetched into `prefetched_media`)."""
    if not allows(item, surface, at):
        return []
    excluded = set(current_consent(item).excluded_media or [])
    media = getattr(item, "prefetched_media", None)
    return [m for m in (item.media.all() if media is None else media) if m.pk not in excluded]


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


def ever_granted_q(surface: str) -> Q:
    """Items published once whose consent, in any version, granted `surface`: what an outside copy
    (an OAI-PMH harvester's) may hold, so what it must be told about when it may no longer."""
    _check_surface(surface)
    granted = ConsentVersion.objects.filter(item=OuterRef("pk"), **{f"scope_{surface}": True})
    return Q(published_at__isnull=False) & Q(Exists(granted))


# Before any record: a stand-in for a missing moment inside Greatest (NULL wins there on SQLite).
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def answer_changed_at(at: datetime | None = None):
    """An expression for the last moment by `at` at which the policy's answers about an item could
    have changed: a write to the item, its newest consent version, or an embargo end or expiry
    already passed (those change the answer with no write). OAI-PMH datestamps are this."""
    at = at or timezone.now()
    long_ago = Value(LONG_AGO, output_field=DateTimeField())
    passed = [
        Case(When(**{f"current_consent__{f}__lte": at}, then=F(f"current_consent__{f}")),
             default=long_ago, output_field=DateTimeField())
        for f in TIME_FIELDS
    ]
    return Greatest(F("updated_at"), Coalesce(F("current_consent__created_at"), long_ago), *passed,
                    output_field=DateTimeField())


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


# --- Time boundaries: the moments at which an answer changes with no write ------------------------


def boundaries(consent: ConsentVersion | None, after: datetime) -> list[datetime]:
    """The moments after `after` at which this consent's answers change by time alone, in order."""
    if consent is None:
        return []
    return sorted(t for t in (getattr(consent, f) for f in TIME_FIELDS) if t and t > after)


def next_boundary(consent: ConsentVersion | None, after: datetime) -> datetime | None:
    """The first moment after `after` at which time alone changes what this consent allows."""
    upcoming = boundaries(consent, after)
    return upcoming[0] if upcoming else None


def next_boundary_in(items: QuerySet, after: datetime, prefix: str = "") -> datetime | None:
    """The queryset form of next_boundary: the first such moment over the current consents of
    `items` (one aggregate query); `prefix` reaches items through a relation ("item__")."""
    c = f"{prefix}current_consent__"
    found = items.aggregate(**{
        f: Min(f"{c}{f}", filter=Q(**{f"{c}{f}__gt": after})) for f in TIME_FIELDS
    })
    moments = [t for t in found.values() if t is not None]
    return min(moments) if moments else None


def next_boundary_anywhere(after: datetime) -> datetime | None:
    """The first embargo end or expiry after `after` over every consent version: two indexed
    lookups, whatever the archive's size (a superset of the current consents' boundaries, so a
    cache keyed on it is made again at least as often as it must be)."""
    moments = [t for f in TIME_FIELDS
               for t in ConsentVersion.objects.filter(**{f"{f}__gt": after}).order_by(f).values_list(f, flat=True)[:1]]
    return min(moments) if moments else None


def boundary_subqueries(after: datetime) -> dict[str, Subquery]:
    """Subqueries for the first moment after `after` over every consent version (to annotate into
    a larger query, as the page cache does with its generation row)."""
    return {
        f: Subquery(ConsentVersion.objects.filter(**{f"{f}__gt": after}).order_by(f).values(f)[:1])
        for f in TIME_FIELDS
    }


def crossed_q(field: str, at: datetime, prefix: str = "") -> Q:
    """Items whose current consent's `field` (embargo_until or expires_at) has come by `at`."""
    if field not in TIME_FIELDS:
        raise ValueError(f"{field!r} is not a time field of consent")
    return Q(**{f"{prefix}current_consent__{field}__lte": at})


def closes_at(consent: ConsentVersion | None) -> datetime | None:
    """The moment after which this consent opens nothing by time alone (its expiry); files carry it
    as their `public_until` so that expiry holds for them at read time."""
    return consent.expires_at if consent is not None else None


def window_problem(embargo_until: datetime | None, expires_at: datetime | None,
                   now: datetime | None = None) -> str | None:
    """What is wrong with a consent's time window as given: "expiry_past" (an expiry must lie
    ahead; pass `now` only for a newly given one), "expiry_before_embargo", or None."""
    if expires_at and now is not None and expires_at <= now:
        return "expiry_past"
    if embargo_until and expires_at and expires_at <= embargo_until:
        return "expiry_before_embargo"
    return None


def policy_moment(consent: ConsentVersion | None, at: datetime) -> datetime:
    """When to evaluate a document built ahead: `at`, or the end of an embargo still to come."""
    if consent is not None and consent.embargo_until and consent.embargo_until > at:
        return consent.embargo_until
    return at


def under_embargo(consent: ConsentVersion | None, at: datetime | None = None) -> bool:
    at = at or timezone.now()
    return bool(consent and consent.embargo_until and at < consent.embargo_until)


def expired(consent: ConsentVersion | None, at: datetime | None = None) -> bool:
    at = at or timezone.now()
    return bool(consent and consent.expires_at and at >= consent.expires_at)


# --- Why not: reasons in words, for curators and the audit log ------------------------------------


def refusal(item: Item, surface: str, at: datetime | None = None) -> tuple[str, datetime | None] | None:
    """Why `item` may not appear on `surface` at `at`, as a code and the moment it names; None when
    it may. Codes: "unpublished", "no_consent", "withdrawn", "embargo", "expired", "scope". The checks
    run in the same order as `allows`, so the first reason given is the one that counts."""
    _check_surface(surface)
    at = at or timezone.now()
    c = current_consent(item)
    if item.status != Item.Status.PUBLISHED:
        return "unpublished", None
    if c is None:
        return "no_consent", None
    if c.withdrawn:
        return "withdrawn", None
    if under_embargo(c, at):
        return "embargo", c.embargo_until
    if expired(c, at):
        return "expired", c.expires_at
    if not getattr(c, f"scope_{surface}"):
        return "scope", None
    return None


_REASONS = {
    "unpublished": "item not published", "no_consent": "no consent recorded",
    "withdrawn": "consent withdrawn by the contributor", "embargo": "under embargo until {day}",
    "expired": "consent expired on {day}", "scope": "consent does not cover {surface}",
}


def refusal_reason(item: Item, surface: str, at: datetime | None = None) -> str | None:
    """`refusal` in words for the record. The words are stored (an exhibition entry's flag, the
    audit log), so they stay in English; pages translate the code instead."""
    found = refusal(item, surface, at)
    if found is None:
        return None
    code, moment = found
    return _REASONS[code].format(day=moment.date().isoformat() if moment else "", surface=surface)


# What approving a submission does, by its consent (approval_outcome): the workspace says it in
# words before the curator decides, so a research-only item is never "approved and published".
APPROVAL_PUBLIC = "public"
APPROVAL_RESEARCH = "research"


def approval_outcome(consent: ConsentVersion | None) -> str:
    """What moderation's approval means for an item with this consent: APPROVAL_PUBLIC when it
    opens the web (an embargo only delays it: the policy keeps it hidden until then),
    APPROVAL_RESEARCH when it opens vetted research and no public surface at all, "" when it may
    not be approved. Research never lets an item onto a public surface that the web alone would
    not: a consent with search or IIIF but no web stays unpublishable, research or not."""
    if consent is None or consent.withdrawn:
        return ""
    if consent.scope_web:
        return APPROVAL_PUBLIC
    if consent.scope_research and not any(getattr(consent, f"scope_{s}") for s in PUBLIC_SURFACES):
        return APPROVAL_RESEARCH
    return ""


def may_publish(consent: ConsentVersion | None) -> bool:
    """Whether moderation may approve (publish) an item with this consent (approval_outcome)."""
    return bool(approval_outcome(consent))


def research_allows(item: Item, at: datetime | None = None) -> bool:
    """Whether approved researchers may read `item` at `at` (the reading room, the research IIIF
    documents and files). Who is an approved researcher is archive.research's question; this is
    the item's. `research` is not in PUBLIC_SURFACES: it never opens anything to the public."""
    return allows(item, "research", at)

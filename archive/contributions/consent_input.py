"""Cleaning what a contributor sends: the consent choice, texts, the language, dates.

Every refusal is a ContributionError whose (translated) message says what to do.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from datetime import time as dtime

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from archive import consent as policy
from archive.contributions.exceptions import ContributionError
from archive.models import SURFACES, ConsentVersion

CONSENT_KEYS = {"scopes", "name_display", "display_name", "embargo_until", "expires_at"}
MAX_DISPLAY_NAME = 200
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")


def validate_consent(data, *, now: datetime | None = None) -> dict:
    """Clean a consent choice from a form or the API; raises ContributionError saying what is wrong."""
    _check_fields(data)
    scopes = _scopes(data)
    name_display, display_name = _name(data)
    embargo_until, expires_at = _window(data, now)
    return {
        "scopes": scopes,
        "name_display": name_display,
        "display_name": display_name,
        "embargo_until": embargo_until,
        "expires_at": expires_at,
    }


def _shown(values) -> str:
    """Values a visitor sent, safe to echo in an error (a lone surrogate cannot be encoded)."""
    return ", ".join(sorted(v.encode("utf-8", "backslashreplace").decode() for v in values))


def _check_fields(data) -> None:
    if not isinstance(data, dict):
        raise ContributionError(_("Consent must be an object with scopes and name display."))
    unknown = set(data) - CONSENT_KEYS
    if unknown:
        raise ContributionError(_("Unknown consent fields: %(fields)s.") % {"fields": _shown(unknown)})
    if "scopes" not in data:
        # Consent is given, never assumed: an empty list is a choice (nowhere in public), absence is not.
        raise ContributionError(_('Say where the story may appear: give “scopes”, a list such as ["web", "search"], '
                                  'or an empty list [] to keep it private to the archive\'s team.'))


def _scopes(data: dict) -> list[str]:
    """The chosen surfaces, in the registry's order."""
    scopes = data["scopes"]
    if not isinstance(scopes, list | tuple) or not all(isinstance(s, str) for s in scopes):
        raise ContributionError(_("Scopes must be a list of places, e.g. [\"web\", \"search\"]."))
    bad = sorted(set(scopes) - set(SURFACES))
    if bad:
        raise ContributionError(
            _("Unknown scopes: %(bad)s. Choose from: %(known)s.") % {"bad": _shown(bad), "known": ", ".join(SURFACES)}
        )
    return [s for s in SURFACES if s in scopes]


def _name(data: dict) -> tuple[str, str]:
    """How the name is shown, and the name itself ("" when anonymous)."""
    name_display = data.get("name_display") or ConsentVersion.NameDisplay.ANONYMOUS
    if name_display not in ConsentVersion.NameDisplay.values:
        raise ContributionError(
            _("Name display must be one of: %(known)s.") % {"known": ", ".join(ConsentVersion.NameDisplay.values)}
        )
    display_name = data.get("display_name") or ""
    if not isinstance(display_name, str) or len(display_name) > MAX_DISPLAY_NAME:
        raise ContributionError(_("The name to display must be text of at most 200 characters."))
    display_name = clean_text(display_name, _("The name to display"), MAX_DISPLAY_NAME, required=False)
    if name_display == ConsentVersion.NameDisplay.ANONYMOUS:
        return name_display, ""
    if not display_name:
        raise ContributionError(_("Give the name to display, or choose to stay anonymous."))
    return name_display, display_name


def _window(data: dict, now: datetime | None) -> tuple[datetime | None, datetime | None]:
    """The embargo and expiry dates; an expiry given now is judged against now."""
    embargo_until = _when(data.get("embargo_until"), _("The embargo date"))
    expires_at = _when(data.get("expires_at"), _("The expiry date"))
    now = now or timezone.now()
    problem = policy.window_problem(embargo_until, expires_at, now if "expires_at" in data else None)
    if problem == "expiry_past":
        raise ContributionError(_("The expiry date must be in the future."))
    if problem == "expiry_before_embargo":
        raise ContributionError(_("The expiry date must come after the embargo date."))
    return embargo_until, expires_at


def _when(value, label: str) -> datetime | None:
    if value in (None, ""):
        return None
    parsed = _as_datetime(value, label)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, UTC)
    try:
        parsed.astimezone(UTC)  # stored in UTC: an offset that leaves the calendar is refused here
    except OverflowError:
        raise ContributionError(_("%(field)s is out of range.") % {"field": label}) from None
    return parsed


def _as_datetime(value, label: str) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, dtime.min)
    if not isinstance(value, str):
        raise ContributionError(_("%(field)s must be a date.") % {"field": label})
    parsed = _parse_when(value.strip())
    if parsed is None:
        raise ContributionError(
            _("%(field)s is not a date we understand; use the form 2030-08-21.") % {"field": label}
        )
    return parsed


def _parse_when(text: str) -> datetime | None:
    """A datetime or a bare day (midnight) from text; None when it is neither (or out of range)."""
    try:
        parsed = parse_datetime(text)
        if parsed is None:
            day = parse_date(text)
            parsed = datetime.combine(day, dtime.min) if day else None
    except ValueError:
        return None
    return parsed


def clean_language(language: str) -> str:
    language = (language or "").strip().lower()
    if not _LANGUAGE.match(language):
        raise ContributionError(_("Language must be a language code such as en, ar or zh-hans."))
    return language


def clean_text(value, label: str, limit: int, required: bool) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ContributionError(_("%(field)s must be text.") % {"field": label})
    # Control characters never belong in a story (NUL breaks PostgreSQL); tabs and newlines do.
    value = "".join(ch for ch in value if ch in "\t\n" or ord(ch) >= 32).strip()
    if any("\ud800" <= ch <= "\udfff" for ch in value):  # lone surrogates (JSON "\udc00"): not text
        raise ContributionError(_("%(field)s contains characters that are not valid text.") % {"field": label})
    if required and not value:
        raise ContributionError(_("%(field)s is required.") % {"field": label})
    if len(value) > limit:
        raise ContributionError(
            _("%(field)s is too long (at most %(limit)d characters).") % {"field": label, "limit": limit}
        )
    return value

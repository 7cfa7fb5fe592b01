"""What a visitor reads for stored keys, in their language: country names and dates from CLDR
(Babel), content warnings from archive.vocabularies. Used by the search page and its facets."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from django.utils.translation import gettext as _


@lru_cache(maxsize=16)
def _locale(language: str) -> Locale:
    """The CLDR locale of a Django language code ("zh-hans" -> zh_Hans); English if unknown."""
    try:
        return Locale.parse(language.replace("-", "_"), sep="_")
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def country_name(code: str, language: str) -> str:
    """CLDR's name of an ISO 3166 country. The user-assigned codes XA-XZ are the demo's fictional
    places (CLDR names some of them "pseudo-accents" and the like, which would mislead)."""
    code = (code or "").upper()
    if len(code) == 2 and code.startswith("X"):
        return _("Fictional place %(code)s") % {"code": code}
    return _locale(language).territories.get(code) or code


def content_warning_label(key: str) -> str:
    from archive.vocabularies import CONTENT_WARNINGS

    return str(dict(CONTENT_WARNINGS).get(key, key))


def long_date(value: date | str | None, language: str) -> str:
    """A date as each language writes it in full ("21 août 2011", "2011年8月21日")."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if value is None:
        return ""
    return format_date(value, "long", locale=_locale(language))


def day_and_month(value: date, language: str) -> str:
    """A day of the year without its year, in CLDR's form ("21 August", "8月21日", "21 أغسطس")."""
    return format_skeleton("MMMMd", value, locale=_locale(language))

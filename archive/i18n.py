"""Language maps ({"en": "...", "ar": "..."}): picking the visitor's language with an honest fallback."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

FALLBACK_ORDER = ("en", "fr", "es", "ar", "ru", "zh-hans")


@dataclass(frozen=True)
class Localised:
    text: str
    lang: str  # the language the text is actually in
    is_fallback: bool  # True when the visitor's language was missing


def pick(language_map: dict | None, lang: str | None = None) -> Localised:
    lang = lang or translation.get_language() or "en"
    values = {k: v for k, v in (language_map or {}).items() if v}
    if not values:
        return Localised("", lang, False)
    for candidate in (lang, lang.split("-")[0]):
        if candidate in values:
            return Localised(values[candidate], candidate, False)
    for candidate in (*FALLBACK_ORDER, *values.keys()):
        if candidate in values:
            return Localised(values[candidate], candidate, True)
    raise AssertionError("unreachable")

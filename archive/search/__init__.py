"""Search over what consent allows: backends chosen by settings.SEARCH_BACKENDS.

    from archive.search import get_backend
    results = get_backend().search(SearchQuery(text="watch"))

Public pages and the API go through archive.search.selectors.search(), which adds the consent
re-check of every returned page, highlights and transcript hits.
"""

from __future__ import annotations

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

_backends: dict[str, object] = {}


def get_backend(alias: str = "default"):
    """The configured backend for `alias` (cached per process; reset when settings change)."""
    from archive.search.base import BaseSearchBackend, InvalidSearchBackend

    if alias in _backends:
        return _backends[alias]
    config = getattr(settings, "SEARCH_BACKENDS", {}).get(alias)
    if config is None:
        raise InvalidSearchBackend(f"SEARCH_BACKENDS has no {alias!r} entry.")
    try:
        cls = import_string(config["BACKEND"])
    except (ImportError, KeyError) as exc:
        raise InvalidSearchBackend(f"Cannot load the search backend for {alias!r}: {exc}") from exc
    if not (isinstance(cls, type) and issubclass(cls, BaseSearchBackend)):
        raise InvalidSearchBackend(f"{config['BACKEND']} is not a search backend.")
    backend = cls(alias, config.get("OPTIONS") or {})
    _backends[alias] = backend
    return backend


def all_backends() -> list:
    """Every configured backend: index writes go to all of them, so a fallback stays current."""
    return [get_backend(alias) for alias in getattr(settings, "SEARCH_BACKENDS", {})]


def reset_backends(**kwargs) -> None:
    if kwargs.get("setting") in (None, "SEARCH_BACKENDS"):
        for backend in _backends.values():
            close = getattr(backend, "close", None)
            if close:
                close()
        _backends.clear()


setting_changed.connect(reset_backends)

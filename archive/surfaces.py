"""The registry of public surfaces that a consent change must reach.

Higher floors (exhibitions, IIIF) register themselves from AppConfig.ready(); lower ones (the
archive's own web and search surfaces) register here too. Propagation calls every registered
surface and collects each one's answer into the removal report.

A second, smaller registry holds *locators*: callables that tell the contributor's management
page where an item is placed right now beyond the policy's yes/no per surface (e.g. the titles
of the exhibitions it is in). Exhibitions live upstairs, so they register a locator here.

A third holds *erasers*: what an upper floor keeps about an item that an erasure must destroy
(exhibition entries and their captions, cached documents). archive/erasure.py calls them inside
the erasure's transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)

# A handler gets the item and returns a short detail string for the removal report. It must be
# idempotent: propagation may run twice for the same change (a retried task).
Handler = Callable[["Item"], str]  # noqa: F821
# A locator gets the item and returns short, human-readable places where it appears now.
Locator = Callable[["Item"], list[str]]  # noqa: F821


@dataclass(frozen=True)
class Surface:
    name: str
    label: str
    handler: Handler


_registry: dict[str, Surface] = {}
_locators: dict[str, Locator] = {}
# An eraser gets the item being erased (inside the transaction) and returns a short detail.
Eraser = Callable[["Item"], str]  # noqa: F821
_erasers: dict[str, Eraser] = {}


def register(name: str, label: str, handler: Handler) -> None:
    _registry[name] = Surface(name, label, handler)


def registered() -> list[Surface]:
    return list(_registry.values())


def get(name: str) -> Surface | None:
    return _registry.get(name)


def register_locator(locator: Locator, name: str | None = None) -> None:
    """Register `locator(item) -> list[str]`; registering the same name again replaces it."""
    _locators[name or f"{locator.__module__}.{locator.__qualname__}"] = locator


def locate(item) -> list[str]:
    """Every place the registered locators report for `item` (for the management page)."""
    places: list[str] = []
    for name, locator in _locators.items():
        try:
            places.extend(locator(item))
        except Exception:  # a broken locator must not hide the rest of the answer
            logger.exception("Surface locator %s failed for item %s", name, item.pk)
    return places


def register_eraser(name: str, eraser: Eraser) -> None:
    """Register `eraser(item) -> str`; registering the same name again replaces it."""
    _erasers[name] = eraser


def erase(item) -> list[str]:
    """Run every registered eraser; unlike locators, a failure propagates (the erasure rolls back)."""
    return [f"{name}: {eraser(item)}" for name, eraser in _erasers.items()]

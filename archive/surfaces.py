"""The registry of public surfaces that a consent change must reach.

Higher floors (exhibitions, IIIF) register themselves from AppConfig.ready(); lower ones (the
archive's own web and search surfaces) register here too. Propagation calls every registered
surface and collects each one's answer into the removal report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# A handler gets the item and returns a short detail string for the removal report. It must be
# idempotent: propagation may run twice for the same change (a retried task).
Handler = Callable[["Item"], str]  # noqa: F821


@dataclass(frozen=True)
class Surface:
    name: str
    label: str
    handler: Handler


_registry: dict[str, Surface] = {}


def register(name: str, label: str, handler: Handler) -> None:
    _registry[name] = Surface(name, label, handler)


def registered() -> list[Surface]:
    return list(_registry.values())

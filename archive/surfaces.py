"""The one extension point: every place the record reaches registers here as a `Surface`.

The archive owns the registry; each app registers its surfaces once, from `AppConfig.ready()`
(the archive's own `web` and `search`, the exhibitions' `exhibition` and `iiif`, the project's
page cache). Lower floors never import higher ones: they call the registry, and whatever is
registered answers (DESIGN.md, "Floors").

A surface overrides only what applies to it:

* `propagate(item)`: bring this surface in line with the consent policy's answer *now* and return
  a short detail for the removal report. Idempotent: propagation may run twice for one change.
  Surfaces with `propagates = False` (a cache with nothing to publish) are skipped by it.
* `locate(item)`: short, human-readable places the item appears now, for the contributor's
  receipt (the titles of the exhibitions it is in).
* `erase(item)`: destroy what this surface keeps about an erased item, inside the erasure's
  transaction; a failure rolls the erasure back.
* `contribute(item, document)`: add public, consent-checked values to the item's search document.
* `facet_labels(facet, values, language)`: labels for facet values only this surface can name.
* `facet_values(facet, at)`: the values of a facet allowed at `at` (None: no limit from here).
* `linked_data(page, request, data)`: add Schema.org properties to an item page's JSON-LD
  (archive/linked_data.py), e.g. the exhibitions it is part of; `page` as for `panels`.
* `panels(page, request)`: HTML this surface adds to an item's public page (the IIIF links), so the
  archive's templates never name an upper floor's templates or URLs. `page` is the public page
  (archive.selectors.item_page): the policy has already said what it may show.
* `links(items, request, wanted)`: links this surface adds to the REST API's view of `items` (the
  IIIF manifest and image services, the exhibitions), as `{item pk: {name: value}}`, only names in
  `wanted` and only where the consent policy allows them now. One call per page of items, so a
  surface answers a list in a few queries.

Tests add a surface for the length of a block with `registry.register_temporarily(surface)`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

logger = logging.getLogger(__name__)


class Surface:
    name: str = ""
    label: str = ""
    propagates: bool = True

    def propagate(self, item) -> str:
        raise NotImplementedError(f"surface {self.name!r} propagates but has no propagate()")

    def locate(self, item) -> list[str]:
        return []

    def erase(self, item) -> str | None:
        return None

    def contribute(self, item, document: dict) -> None:
        return None

    def facet_labels(self, facet: str, values: list[str], language: str) -> dict[str, str]:
        return {}

    def facet_values(self, facet: str, at: datetime | None) -> set[str] | None:
        return None

    def panels(self, page, request) -> list[str]:
        return []

    def linked_data(self, page, request, data: dict) -> None:
        return None

    def links(self, items: list, request, wanted: frozenset[str]) -> dict:
        return {}

    def __repr__(self) -> str:
        return f"<Surface {self.name}>"


class Registry:
    def __init__(self) -> None:
        self._surfaces: dict[str, Surface] = {}

    def register(self, surface: Surface) -> Surface:
        """Register `surface` (an instance); registering the same name again replaces it."""
        if not surface.name:
            raise ValueError("A surface needs a name.")
        self._surfaces[surface.name] = surface
        return surface

    def unregister(self, name: str) -> None:
        self._surfaces.pop(name, None)

    @contextmanager
    def register_temporarily(self, *added: Surface, only: bool = False) -> Iterator[None]:
        """Add surfaces for the length of a block (`only=True`: and hide every other one)."""
        saved = dict(self._surfaces)
        if only:
            self._surfaces.clear()
        for surface in added:
            self.register(surface)
        try:
            yield
        finally:
            self._surfaces = saved

    def all(self) -> list[Surface]:
        return list(self._surfaces.values())

    def get(self, name: str) -> Surface | None:
        return self._surfaces.get(name)

    def propagating(self) -> list[Surface]:
        return [s for s in self._surfaces.values() if s.propagates]

    def locate(self, item) -> list[str]:
        """Every place the surfaces report for `item` (a broken one does not hide the rest)."""
        places: list[str] = []
        for surface in self.all():
            try:
                places.extend(surface.locate(item))
            except Exception:
                logger.exception("Surface %s could not locate item %s", surface.name, item.pk)
        return places

    def erase(self, item) -> list[str]:
        """Run every surface's erasure; unlike locating, a failure propagates (the erasure rolls back)."""
        return [f"{s.name}: {detail}" for s in self.all() if (detail := s.erase(item))]

    def contribute(self, item, document: dict) -> None:
        for surface in self.all():
            surface.contribute(item, document)

    def facet_labels(self, facet: str, values: list[str], language: str) -> dict[str, str]:
        labels: dict[str, str] = {}
        for surface in self.all():
            labels.update(surface.facet_labels(facet, values, language))
        return labels

    def facet_values(self, facet: str, at: datetime | None) -> set[str] | None:
        """The facet's values allowed at `at` by every surface that limits it (None: unlimited)."""
        allowed: set[str] | None = None
        for surface in self.all():
            values = surface.facet_values(facet, at)
            if values is not None:
                allowed = set(values) if allowed is None else allowed & set(values)
        return allowed

    def linked_data(self, page, request, data: dict) -> None:
        for surface in self.all():
            surface.linked_data(page, request, data)

    def panels(self, page, request) -> list[str]:
        """Every surface's panels for an item page, in registration order (rendered HTML)."""
        return [html for surface in self.all() for html in surface.panels(page, request)]

    def links(self, items: list, request, wanted: frozenset[str]) -> dict:
        """Every surface's links for `items`, merged per item pk (see Surface.links)."""
        merged: dict = {}
        for surface in self.all():
            for pk, values in surface.links(items, request, wanted).items():
                merged.setdefault(pk, {}).update({k: v for k, v in values.items() if k in wanted})
        return merged


registry = Registry()

# The names the rest of the code uses.
register = registry.register
register_temporarily = registry.register_temporarily
get = registry.get
locate = registry.locate
erase = registry.erase


def registered() -> list[Surface]:
    """The surfaces that a consent change propagates to, in registration order."""
    return registry.propagating()

"""Keyset pagination: a page starts after (or ends before) a row, never at an offset.

An offset makes the database walk past every earlier row, and a page count needs all of them
counted: both grow with the archive. A keyset page is one indexed range read at any depth. The
cursor in the URL is the primary key of the row the page continues from; its ordering values are
read back (one lookup by key), so no timestamp travels in a link. An unknown or malformed cursor
reads as the first page, as a stale bookmark should.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet


@dataclass
class Page:
    rows: list = field(default_factory=list)
    older: str | None = None  # cursor of the next page in the ordering ("after=")
    newer: str | None = None  # cursor of the previous page ("before=")

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)


def _anchor(qs: QuerySet, token: str | None, names: list[str]) -> dict | None:
    if not token:
        return None
    model = qs.model
    try:
        pk = model._meta.pk.to_python(token)
    except (ValidationError, ValueError, TypeError):
        return None
    return model._default_manager.filter(pk=pk).values(*names).first()


def _beyond(anchor: dict, order: tuple[str, str], forward: bool, inclusive: bool = False) -> Q:
    """Rows strictly after `anchor` in `order` (forward) or strictly before it (or the anchor too)."""
    (first, second) = order
    names = [first.lstrip("-"), second.lstrip("-")]
    ops = ["lt" if (f.startswith("-") == forward) else "gt" for f in order]
    last = ops[1] + ("e" if inclusive else "")
    # The first condition, repeated as a plain bound, lets the database start the index range at
    # the anchor instead of testing the OR on every row from the beginning.
    return Q(**{f"{names[0]}__{ops[0]}e": anchor[names[0]]}) & (Q(**{f"{names[0]}__{ops[0]}": anchor[names[0]]}) | Q(
        **{names[0]: anchor[names[0]], f"{names[1]}__{last}": anchor[names[1]]}))


def _flip(name: str) -> str:
    return name[1:] if name.startswith("-") else f"-{name}"


def keyset_page(qs: QuerySet, order: tuple[str, str], size: int, after: str | None = None,
                before: str | None = None) -> Page:
    """One page of `qs` in `order` (two fields, the second unique, e.g. ("-at", "-id")), of at most
    `size` rows, continuing after the row `after` or ending before the row `before`."""
    size = max(int(size), 1)
    names = [f.lstrip("-") for f in order]
    back = _anchor(qs, before, names)
    if back is not None:
        rows = list(qs.filter(_beyond(back, order, forward=False)).order_by(*map(_flip, order))[:size + 1])
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        return Page(rows, older=str(rows[-1].pk) if rows else None,
                    newer=str(rows[0].pk) if rows and more_before else None)
    start = _anchor(qs, after, names)
    base = qs.filter(_beyond(start, order, forward=True)) if start is not None else qs
    rows = list(base.order_by(*order)[:size + 1])
    more_after = len(rows) > size
    rows = rows[:size]
    return Page(rows, older=str(rows[-1].pk) if rows and more_after else None,
                newer=str(rows[0].pk) if rows and start is not None else None)


# --- Numbered pages: fixed ranges of the publication number ---------------------------------------
# Harvesters and crawlers want numbered pages (a sitemap index, an IIIF collection of pages). Every
# item gets a number once, at its first publication (Item.publication_seq, from a counter), so page
# n is the items numbered ((n-1)*size, n*size]: one range read of that index at any depth, a page
# never shifts when an item elsewhere is withdrawn or published, and the number of pages is the
# counter's value (one row). A page whose items are all hidden now is listed and empty.


def numbered_page_count(size: int) -> int:
    from archive.models import PublicationCounter

    return max(-(-PublicationCounter.last() // max(int(size), 1)), 1)


def numbered_page(qs: QuerySet, number: int, size: int) -> QuerySet:
    """Page `number` (from 1) of `qs` (items), in publication order."""
    size = max(int(size), 1)
    return qs.filter(publication_seq__gt=(number - 1) * size,
                     publication_seq__lte=number * size).order_by("publication_seq")

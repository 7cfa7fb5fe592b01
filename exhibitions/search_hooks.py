"""The exhibition facet of the archive's search (archive.search.documents hooks).

Documents carry the slugs of every *published* exhibition placing the item (scheduled ones too,
so that a document indexed today is right on the remembrance day without a reindex). Whether an
exhibition is live is a read-time question: the labeler names only live exhibitions, and
`live_exhibition_slugs(at)` is what the search read path must intersect the facet with.
"""

from __future__ import annotations

from archive.i18n import pick
from archive.models import Item
from exhibitions import selectors


def contribute(item: Item, doc: dict) -> None:
    doc["exhibitions"] = list(doc.get("exhibitions") or []) + selectors.exhibition_slugs_for_item(item)


def labels(values: list[str], language: str) -> dict[str, str]:
    live = selectors.live_exhibitions().filter(slug__in=values)
    return {e.slug: pick(e.title, language).text or e.slug for e in live}


def live_slugs(at=None) -> set[str]:
    return selectors.live_exhibition_slugs(at)


def register() -> None:
    from archive.search import documents

    documents.register_document_contributor(contribute)
    documents.register_facet_labeler("exhibition", labels)
    documents.register_facet_value_filter("exhibition", live_slugs)




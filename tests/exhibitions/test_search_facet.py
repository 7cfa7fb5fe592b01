"""The exhibition facet of search: a scheduled exhibition is not findable until its moment."""

from datetime import timedelta

import pytest
from django.utils import timezone

from archive.search import selectors as search
from archive.search.base import SearchQuery
from archive.search.tasks import index_item
from tests.factories import ExhibitionEntryFactory, ExhibitionFactory, ItemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def facet(at=None, **filters):
    results = search.search(SearchQuery(text="", facets=("exhibition",), at=at,
                                        filters={k: [v] for k, v in filters.items()}))
    return {b.value: b.label for b in results.facets.get("exhibition", [])}, results.total


def test_exhibition_facet_is_live_at_read_time():
    now = timezone.now()
    live = ExhibitionFactory(slug="open-now", title={"en": "Open now"})
    scheduled = ExhibitionFactory(slug="on-the-day", title={"en": "On the day"}, publish_at=now + timedelta(days=2))
    item = ItemFactory()
    ExhibitionEntryFactory(exhibition=live, item=item)
    ExhibitionEntryFactory(exhibition=scheduled, item=item)
    index_item.call(str(item.pk))
    buckets, _ = facet()
    assert buckets.get("open-now") == "Open now"
    assert "on-the-day" not in buckets
    _, total = facet(exhibition="on-the-day")
    assert total == 0
    later = now + timedelta(days=2, seconds=1)
    buckets, _ = facet(at=later)
    assert "on-the-day" in buckets

"""Facet counts (and the total) never count an item no hit may show, while no worker runs: a
withdrawal, a pause or an excluded transcript not yet re-indexed, an expiry reached with no write at
all. On the database backend (SQLite FTS5; PostgreSQL in the `-m postgres` run) and on the
Elasticsearch stand-in. Synthetic people and texts only."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from archive import services
from archive.search import selectors
from archive.search.base import SearchQuery
from archive.search.tasks import sync_item
from memorial.settings import TASK_QUEUES  # the named task queues (settings.TASKS)
from tests.factories import ItemFactory
from tests.search.helpers import add_transcript

pytestmark = pytest.mark.django_db


def counts(text: str = "") -> dict:
    r = selectors.search(SearchQuery(text=text))
    return {"total": r.total, "hits": len(r.hits),
            **{f"{f}:{b.value}": b.count for f, buckets in r.facets.items() for b in buckets
               if f in ("kind", "has_transcript")}}


@pytest.fixture
def corpus(settings):
    """Two indexed items; then tasks are only queued (no worker runs)."""
    photo = ItemFactory(kind="photograph", title={"en": "Harbour lantern"})
    story = ItemFactory(kind="testimony", title={"en": "Recorded memory"})
    transcript = add_transcript(story, [{"start": 1.0, "end": 2.0, "text": "the lighthouse keeper waved"}])
    sync_item(photo.pk)
    sync_item(story.pk)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
    assert counts() == {"total": 2, "hits": 2, "kind:photograph": 1, "kind:testimony": 1,
                        "has_transcript:true": 1, "has_transcript:false": 1}
    return photo, story, transcript


def _change(item, **fields):
    current = item.current_consent
    options = {"scopes": ["web", "search", "iiif"], "name_display": current.name_display,
               "display_name": current.display_name, **fields}
    services.record_consent(item, actor_label="test", **options)


CHANGES = {
    "withdrawn": lambda photo, story, transcript: _change(photo, scopes=[], withdrawn=True),
    "paused": lambda photo, story, transcript: _change(photo, embargo_until=timezone.now() + timedelta(days=9)),
    "search removed": lambda photo, story, transcript: _change(photo, scopes=["web"]),
    "transcript excluded": lambda photo, story, transcript: _change(story, excluded_media=[transcript.pk]),
}
AFTER = {
    "withdrawn": {"total": 1, "hits": 1, "kind:testimony": 1, "has_transcript:true": 1},
    "paused": {"total": 1, "hits": 1, "kind:testimony": 1, "has_transcript:true": 1},
    "search removed": {"total": 1, "hits": 1, "kind:testimony": 1, "has_transcript:true": 1},
    # Hidden until re-indexed: its stored document still says it has a transcript.
    "transcript excluded": {"total": 1, "hits": 1, "kind:photograph": 1, "has_transcript:false": 1},
}


def _check_changes(corpus, name):
    CHANGES[name](*corpus)
    assert counts() == AFTER[name]


@pytest.mark.postgres
@pytest.mark.parametrize("name", list(CHANGES))
def test_database_backend_counts_only_what_a_hit_may_show(corpus, name):
    _check_changes(corpus, name)


@pytest.mark.postgres
def test_expiry_with_no_write_leaves_the_counts(settings):
    cache.clear()
    expires = timezone.now() + timedelta(seconds=1.5)
    item = ItemFactory(kind="photograph", title={"en": "Harbour lantern"}, consent={"expires_at": expires})
    sync_item(item.pk)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
    assert counts()["kind:photograph"] == 1
    time.sleep(max(0.0, (expires - timezone.now()).total_seconds()) + 0.05)
    assert counts() == {"total": 0, "hits": 0}


@pytest.fixture
def on_elasticsearch(settings, osmem_clone):
    cache.clear()
    settings.SEARCH_BACKENDS = {"default": {"BACKEND": "archive.search.elasticsearch.ElasticsearchBackend",
                                            "OPTIONS": {"url": osmem_clone.url, "index_prefix": "facets"}}}


@pytest.mark.parametrize("name", list(CHANGES))
def test_elasticsearch_counts_only_what_a_hit_may_show(on_elasticsearch, corpus, name):
    _check_changes(corpus, name)

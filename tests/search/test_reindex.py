"""manage.py search_reindex (batches, resumable, alias swap) and the index/database count check."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from archive import services
from archive.search import get_backend
from archive.search.checks import check_index_counts
from archive.search.models import SearchDocument
from tests.factories import ItemFactory
from tests.search.helpers import corpus

pytestmark = pytest.mark.django_db


def reindex(*args) -> str:
    out = StringIO()
    call_command("search_reindex", "--no-progress", *args, stdout=out)
    return out.getvalue()


def test_reindex_in_batches_and_resume():
    items = corpus()
    hidden = ItemFactory(title={"en": "Not for search"}, consent={"scopes": ["web"]})
    SearchDocument.objects.create(item_id="00000000-0000-0000-0000-000000000000", kind="photograph")  # stale
    out = reindex("--batch-size", "2", "--max-batches", "1")
    assert "run with --resume" in out
    assert SearchDocument.objects.count() <= 3
    out = reindex("--batch-size", "2", "--resume")
    assert "Resuming into in-place after item" in out and "Indexed" in out
    assert set(SearchDocument.objects.values_list("item_id", flat=True)) == {str(i.pk) for i in items.values()}
    assert str(hidden.pk) not in set(get_backend().ids())
    with pytest.raises(CommandError, match="Nothing to resume"):
        reindex("--resume")


def test_reindex_elasticsearch_swaps_the_alias(settings, osmem_clone):
    settings.SEARCH_BACKENDS = {"default": {"BACKEND": "archive.search.elasticsearch.ElasticsearchBackend",
                                            "OPTIONS": {"url": osmem_clone.url, "index_prefix": "reindex"}}}
    items = corpus()
    backend = get_backend()
    backend.ensure_index()
    old = backend._live_indices()
    reindex("--batch-size", "2")
    assert backend._live_indices() != old and len(backend._live_indices()) == 1
    assert backend.count() == len(items)


def test_check_warns_when_index_and_database_disagree():
    items = corpus()
    assert check_index_counts(databases=None) == []  # database checks run only when asked
    warnings = check_index_counts(databases=["default"])
    assert [w.id for w in warnings] == ["search.W001"]
    assert "0 visible document(s)" in warnings[0].msg and f"{len(items)} item(s)" in warnings[0].msg
    reindex()
    assert check_index_counts(databases=["default"]) == []
    services.record_consent(items["scarf"], scopes=["web"], propagate=False)
    assert [w.id for w in check_index_counts(databases=["default"])] == ["search.W001"]


def test_check_reports_an_unreachable_cluster(settings):
    settings.SEARCH_BACKENDS = {"default": {"BACKEND": "archive.search.elasticsearch.ElasticsearchBackend",
                                            "OPTIONS": {"url": "http://127.0.0.1:9", "timeout": 1}}}
    assert [w.id for w in check_index_counts(databases=["default"])] == ["search.W002"]


def test_pending_updates_applied_by_the_command():
    from archive.search.models import SearchPendingUpdate

    item = ItemFactory(title={"en": "Queued lantern"})
    SearchPendingUpdate.objects.create(backend="default", item_id=str(item.pk), action="index", reason="was down")
    assert "Applied 1 queued update(s)" in reindex("--pending")
    assert not SearchPendingUpdate.objects.exists()
    assert set(get_backend().ids()) == {str(item.pk)}

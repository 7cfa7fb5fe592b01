"""A system check that tells the operator when the search index and the database disagree.

It reads the database, so it runs as a database check: `manage.py check --database default`
(and `migrate`, which runs database checks). It compares the items the policy shows on `search`
right now with the documents the index would return right now.
"""

from __future__ import annotations

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError
from django.utils import timezone


@register(Tags.database, "search")
def check_index_counts(app_configs=None, databases=None, **kwargs) -> list:
    if not databases or "default" not in databases:
        return []
    from archive import consent
    from archive.search import get_backend
    from archive.search.base import SearchError

    now = timezone.now()
    try:
        expected = consent.visible_items("search", at=now).count()
    except DatabaseError:
        return []  # not migrated yet: nothing to compare
    try:
        backend = get_backend()
        indexed = backend.count(visible_at=now)
    except DatabaseError:
        return []
    except SearchError as exc:
        return [Warning(f"The search backend cannot be reached: {exc}",
                        hint="Start it or fix SEARCH_BACKENDS; updates are queued until it answers.",
                        id="search.W002")]
    if expected != indexed:
        return [Warning(
            f"The search index holds {indexed} visible document(s) but the database has {expected} "
            "item(s) that consent allows on search.",
            hint="Run `manage.py search_reindex` (or `--pending` to apply queued updates).",
            id="search.W001",
        )]
    return []

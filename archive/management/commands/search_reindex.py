"""Rebuild a search index from the database, in batches, with a progress bar; resumable.

    manage.py search_reindex                  # full rebuild of the default backend
    manage.py search_reindex --resume         # carry on after an interruption
    manage.py search_reindex --max-batches 10 # do part of it now, --resume later
    manage.py search_reindex --pending        # only apply updates queued while a backend was down

Elasticsearch builds a fresh index and swaps the alias at the end (no downtime); the database
backend replaces rows in place and deletes stale ones at the end. Items changed while the rebuild
ran are synced again after the swap, so nothing edited meanwhile is lost.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from tqdm import tqdm

from archive.models import Item
from archive.search import get_backend
from archive.search.base import SearchError
from archive.search.documents import build_document, items_for_indexing
from archive.search.models import SearchPendingUpdate
from archive.search.tasks import retry_pending, sync_item


def state_path(alias: str) -> Path:
    return Path(settings.VAR_DIR) / f"search-reindex-{alias}.json"


class Command(BaseCommand):
    help = "Rebuild the search index from the database (batches, progress bar, resumable)."

    def add_arguments(self, parser):
        parser.add_argument("--backend", default="default", help="SEARCH_BACKENDS alias (default: default)")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--resume", action="store_true", help="Continue the interrupted rebuild.")
        parser.add_argument("--max-batches", type=int, default=0, help="Stop after N batches (resume later).")
        parser.add_argument("--pending", action="store_true", help="Only apply queued updates.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        alias = options["backend"]
        try:
            backend = get_backend(alias)
            if options["pending"]:
                return self._pending(alias)
            self._rebuild(backend, alias, options)
        except SearchError as exc:
            raise CommandError(f"Search backend {alias!r}: {exc}. Nothing was swapped in; run again "
                               "with --resume when it answers.") from exc

    def _pending(self, alias: str) -> None:
        applied = 0
        while SearchPendingUpdate.objects.filter(backend=alias).exists():
            done = retry_pending.call(alias)
            applied += done
            if not done:
                raise CommandError(f"Backend {alias!r} is still unavailable; updates stay queued.")
        self.stdout.write(f"Applied {applied} queued update(s) to {alias}.")

    def _rebuild(self, backend, alias: str, options) -> None:
        path = state_path(alias)
        state = _saved_state(path, options["resume"])
        target = backend.start_rebuild(resume=state.get("target"))
        started_at = state.get("started_at") or timezone.now().isoformat()
        last_id = state.get("last_id")
        if last_id:
            self.stdout.write(f"Resuming into {target} after item {last_id}.")
        counts = self._index_all(backend, target, path, started_at, last_id, options)
        if counts is None:
            return
        indexed, removed = counts
        if target == "in-place":
            removed += _delete_stale(backend)
        backend.finish_rebuild(target)
        # Changes made while we were rebuilding went to the old index: apply them to the new one.
        changed = Item.objects.filter(updated_at__gte=parse_datetime(started_at)).values_list("pk", flat=True)
        for pk in changed:
            sync_item(str(pk))
        path.unlink(missing_ok=True)
        self.stdout.write(self.style.SUCCESS(
            f"Indexed {indexed} document(s), removed {removed}, re-synced {len(changed)} changed item(s) "
            f"into {backend.label} ({target})."))

    def _index_all(self, backend, target: str, path, started_at: str, last_id: str | None,
                   options) -> tuple[int, int] | None:
        """Index every item after `last_id` in batches, recording progress after each one.

        Returns (indexed, removed), or None when --max-batches stopped it before the end.
        """
        items = Item.objects.order_by("pk")
        remaining = items.filter(pk__gt=last_id) if last_id else items
        size = max(1, options["batch_size"])
        indexed = removed = batches = 0
        with tqdm(total=remaining.count(), unit="item", disable=options["no_progress"],
                  file=sys.stderr) as bar:
            while True:
                qs = items_for_indexing().order_by("pk")
                batch = list((qs.filter(pk__gt=last_id) if last_id else qs)[:size])
                if not batch:
                    break
                done, gone = _index_batch(backend, batch, target)
                indexed += done
                removed += gone
                last_id = str(batch[-1].pk)
                path.write_text(json.dumps({"target": target, "last_id": last_id, "started_at": started_at}))
                bar.update(len(batch))
                batches += 1
                if options["max_batches"] and batches >= options["max_batches"]:
                    self.stdout.write(f"Stopped after {batches} batch(es) at item {last_id}; run with --resume.")
                    return None
        return indexed, removed


def _delete_stale(backend, size: int = 2000) -> int:
    """Delete the documents of items that no longer exist, a page of ids at a time: neither the
    index's ids nor the archive's are ever all in memory (a million items)."""
    removed = 0
    ids = iter(backend.ids())
    while page := list(itertools.islice(ids, size)):
        known = {str(pk) for pk in Item.objects.filter(pk__in=page).values_list("pk", flat=True)}
        stale = [i for i in page if i not in known]
        removed += backend.delete(stale) if stale else 0
    return removed


def _saved_state(path, resume: bool) -> dict:
    """The interrupted rebuild's recorded progress (with --resume), or a fresh start."""
    if not resume:
        return {}
    if not path.exists():
        raise CommandError("Nothing to resume: no interrupted rebuild was recorded.")
    return json.loads(path.read_text())


def _index_batch(backend, batch: list, target: str) -> tuple[int, int]:
    """(indexed, removed) for one batch: documents the policy refuses are removed in place."""
    docs, gone = [], []
    for item in batch:
        doc = build_document(item)
        (docs.append(doc) if doc is not None else gone.append(str(item.pk)))
    indexed = backend.index(docs, target=target)
    removed = backend.delete(gone) if target == "in-place" and gone else 0
    return indexed, removed

"""IIIF Change Discovery 1.0: the ordered collection of activities on public IIIF resources.

Activities are stored (exhibitions.models.Activity). Time-driven changes (an embargo ends,
consent expires, an exhibition opens on its remembrance day) are stored ahead with their
future `end_time` and only listed once that moment has passed, so the stream is right at read
time without any job having run.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from archive import consent
from archive.keyset import keyset_page
from archive.models import Item
from exhibitions.iiif.common import iiif_url, site_url
from exhibitions.models import Activity

DISCOVERY_CONTEXT = "http://iiif.io/api/discovery/1/context.json"


def page_size() -> int:
    from django.conf import settings

    return max(int(settings.CHANGE_DISCOVERY_PAGE_SIZE), 1)


ORDER = ("end_time", "id")


def listed(at: datetime | None = None):
    return Activity.objects.filter(end_time__lte=at or timezone.now()).order_by(*ORDER)


# Pages are keyset ranges of (end_time, id), never offsets: any page, first or ten-thousandth, is
# one index range of CHANGE_DISCOVERY_PAGE_SIZE rows, and nothing counts the stream. A page is named
# by the activity it continues after (?after=) or ends before (?before=); `last` is the newest
# page. Activities stored ahead only join the stream when their end_time passes, and then at its
# end (everything listed before them is older), so the pages a harvester has walked do not shift.


def _page_url(after=None, before=None) -> str:
    query = f"?after={after}" if after is not None else f"?before={before}" if before is not None else ""
    return iiif_url("activity_page") + query


def build_collection(at: datetime | None = None) -> dict:
    return {
        "@context": DISCOVERY_CONTEXT,
        "id": iiif_url("activity_collection"),
        "type": "OrderedCollection",
        "first": {"id": _page_url(), "type": "OrderedCollectionPage"},
        "last": {"id": iiif_url("activity_last"), "type": "OrderedCollectionPage"},
    }


def _rows(at, after, before, last: bool) -> tuple[list, str | None, str | None] | None:
    """(activities oldest first, cursor after which the next page starts, cursor before which the
    previous page ends); None for a cursor past the end."""
    qs = listed(at)
    if last:  # the newest page: read backwards from the end
        page = keyset_page(qs, ("-end_time", "-id"), page_size())
        rows = page.rows[::-1]
        return rows, None, (str(rows[0].pk) if page.older else None)
    page = keyset_page(qs, ORDER, page_size(), after=after, before=before)
    if not page.rows and (after or before):
        return None
    return page.rows, page.older, page.newer


def build_page(after: str | None = None, before: str | None = None, last: bool = False,
               at: datetime | None = None) -> dict | None:
    after, before = (c if c and c.isascii() and c.isdigit() else None for c in (after, before))
    found = _rows(at, after, before, last)
    if found is None:
        return None
    rows, following, preceding = found
    page = {
        "@context": DISCOVERY_CONTEXT,
        "id": iiif_url("activity_last") if last else _page_url(after, before),
        "type": "OrderedCollectionPage",
        "partOf": {"id": iiif_url("activity_collection"), "type": "OrderedCollection"},
        "orderedItems": [
            {
                "type": a.type,
                "object": {"id": site_url() + a.object_path, "type": a.object_type},
                "endTime": a.end_time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
            for a in rows
        ],
    }
    if preceding:
        page["prev"] = {"id": _page_url(before=preceding), "type": "OrderedCollectionPage"}
    if following:
        page["next"] = {"id": _page_url(after=following), "type": "OrderedCollectionPage"}
    return page


# --- Emitting ------------------------------------------------------------------------------------


def digest(doc: dict | None) -> str | None:
    if doc is None:
        return None
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def _sync(path: str, object_type: str, states: list[tuple[datetime, str | None]], now: datetime,
          item_id=None) -> list[Activity]:
    """Bring the stored activities of one object in line with its states over time.

    `states` is [(moment, digest or None)] from now on: None means not public. Future activities
    are recomputed every time (a newer consent or schedule replaces them); past ones are history
    and stay. Nothing is emitted when the state did not change (idempotent).
    """
    emitted = []
    with transaction.atomic():
        Activity.objects.filter(object_path=path, end_time__gt=now).delete()
        last = Activity.objects.filter(object_path=path).order_by("-end_time", "-id").first()
        current = None if last is None or last.type == Activity.Type.DELETE else last.digest
        ever = last is not None
        for moment, state in states:
            if state == current:
                continue
            if state is None:
                kind = Activity.Type.DELETE
            elif current is None and not ever:
                kind = Activity.Type.CREATE
            elif current is None:
                kind = Activity.Type.CREATE  # public again after a Delete: a new resource to harvesters
            else:
                kind = Activity.Type.UPDATE
            if kind == Activity.Type.DELETE and not ever:
                continue
            emitted.append(Activity.objects.create(type=kind, object_path=path, object_type=object_type,
                                                   item_id_ref=item_id, digest=state or "", end_time=moment))
            current, ever = state, True
    return emitted


def item_path(item_id) -> str:
    return reverse("iiif:manifest", kwargs={"item_id": item_id})


def sync_item(item: Item, now: datetime | None = None) -> list[Activity]:
    """Emit Create/Update/Delete for the item's manifest as the consent policy answers now, and
    store ahead the changes its embargo or expiry will make."""
    from exhibitions.iiif.builders import build_manifest

    now = now or timezone.now()
    moments = [now, *consent.boundaries(item.current_consent, now)]
    states = [(m, digest(build_manifest(item, at=m))) for m in moments]
    return _sync(item_path(item.pk), "Manifest", states, now, item_id=item.pk)


def exhibition_path(slug: str) -> str:
    return reverse("iiif:exhibition_collection", kwargs={"slug": slug})


def retire_exhibition(slug: str, now: datetime | None = None) -> list[Activity]:
    """An exhibition was deleted: its collection is gone for harvesters (Delete, if it was public)."""
    now = now or timezone.now()
    return _sync(exhibition_path(slug), "Collection", [(now, None)], now)


def sync_exhibition(exhibition, now: datetime | None = None) -> list[Activity]:
    """The exhibition collection's activities: now, and at its publish_at / unpublish_at."""
    from exhibitions import selectors
    from exhibitions.iiif.collections import build_exhibition_collection

    now = now or timezone.now()
    path = exhibition_path(exhibition.slug)
    moments = [now] + sorted(t for t in (exhibition.publish_at, exhibition.unpublish_at) if t and t > now)
    states = []
    for m in moments:
        live = selectors.live_exhibitions(m).filter(pk=exhibition.pk).exists()
        states.append((m, digest(build_exhibition_collection(exhibition, at=m)) if live else None))
    return _sync(path, "Collection", states, now)

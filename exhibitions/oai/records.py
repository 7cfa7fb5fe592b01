"""What OAI-PMH lists, read at request time through the consent policy.

A record is an item the `iiif` scope shares now (consent.visible_q). An item that was published
once with that scope granted, and that the policy no longer shares (withdrawn, narrowed, paused,
expired, unpublished, erased), is a deleted record: its header only, from the moment the answer
changed, kept for ever (deletedRecord "persistent"). Nothing is stored for OAI-PMH: a consent
change is seen by the next request, with no worker.

A record's datestamp is the latest change a harvester could see in its header or metadata: the
policy's answer (consent.answer_changed_at, which also dates the item's own edits and, through
archive/signals.py, its event's and subjects'), its media files (media_changed_at: an image service
appears once the tiles are public) and its exhibition sets (sets_changed_at). Each part only ever
moves forward, so a `from=` harvest from the last responseDate sees every change since.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from archive import consent
from archive.i18n import pick
from archive.models import ConsentVersion, Item, ItemMedia
from exhibitions.models import Exhibition, ExhibitionEntry, MembershipChange
from exhibitions.selectors import live_q
from media_pipeline.models import MediaAsset

KINDS = tuple(Item.Kind.values)


@dataclass
class Header:
    identifier: str
    datestamp: datetime
    deleted: bool
    sets: list[str]
    item: Item


def repository_id() -> str:
    return settings.OAI_REPOSITORY_ID


def identifier(item_id) -> str:
    # The item's random UUID only: an erased item's tombstone keeps it (as the IIIF change stream
    # does), and it says nothing about the person.
    return f"oai:{repository_id()}:item/{item_id}"


def item_id_of(oai_identifier: str) -> uuid.UUID | None:
    prefix = f"oai:{repository_id()}:item/"
    if not oai_identifier.startswith(prefix):
        return None
    try:
        return uuid.UUID(oai_identifier[len(prefix):])
    except ValueError:
        return None


def universe(at: datetime) -> QuerySet[Item]:
    """Every item with a record or a deleted record, with `harvestable` and `datestamp`."""
    return (
        Item.objects.filter(consent.ever_granted_q("iiif"))
        .annotate(
            harvestable=Case(When(consent.visible_q("iiif", at), then=Value(True)), default=Value(False),
                             output_field=BooleanField()),
            datestamp=Greatest(consent.answer_changed_at(at), media_changed_at(), sets_changed_at(at),
                               output_field=DateTimeField()),
        )
        .select_related("current_consent")
    )


def _passed(field: str, at: datetime, long_ago: Value) -> Case:
    return Case(When(**{f"{field}__lte": at}, then=F(field)), default=long_ago, output_field=DateTimeField())


def media_changed_at():
    """An expression for the last change to the item's media files as the pipeline published or
    retracted them (publishing sets published_at and leaves updated_at; retracting moves updated_at)."""
    long_ago = Value(consent.LONG_AGO, output_field=DateTimeField())
    moments = Greatest("asset__updated_at", Coalesce("asset__published_at", long_ago), output_field=DateTimeField())
    last = ItemMedia.objects.filter(item=OuterRef("pk")).order_by().values("item").annotate(
        last=Max(moments)).values("last")
    return Coalesce(Subquery(last), long_ago)


def sets_changed_at(at: datetime):
    """An expression for the last moment by `at` at which the item's exhibition sets could have
    changed: an entry added or removed (MembershipChange), an exhibition of it changed in what its
    members show (status, schedule, slug, title: members_changed_at), or a scheduled opening or
    closing already passed (that changes the set with no write, so it counts from its own time).
    Whether consent lets it show in an exhibition is the policy's answer, dated by the policy."""
    long_ago = Value(consent.LONG_AGO, output_field=DateTimeField())
    logged = MembershipChange.objects.filter(item_ref=OuterRef("pk")).order_by("-at").values("at")[:1]
    moments = Greatest(
        Coalesce("exhibition__members_changed_at", long_ago),
        _passed("exhibition__publish_at", at, long_ago), _passed("exhibition__unpublish_at", at, long_ago),
        output_field=DateTimeField())
    scheduled = (ExhibitionEntry.objects.filter(item=OuterRef("pk")).order_by().values("item")
                 .annotate(last=Max(moments)).values("last"))
    return Greatest(Coalesce(Subquery(logged), long_ago), Coalesce(Subquery(scheduled), long_ago),
                    output_field=DateTimeField())


def changed_since(start: datetime, at: datetime) -> QuerySet:
    """The ids of every item whose datestamp could be `start` or later, each source read through an
    index, so that an incremental harvest reads what changed rather than every record's datestamp.
    One source per part of the datestamp (a superset: the datestamp filter itself stays exact)."""
    passed = {"gte": start, "lte": at}
    time_fields = Q()
    for field in consent.TIME_FIELDS:
        time_fields |= Q(**{f"{field}__{op}": value for op, value in passed.items()})
    exhibitions = Exhibition.objects.filter(
        Q(members_changed_at__gte=start) | Q(publish_at__gte=start, publish_at__lte=at)
        | Q(unpublish_at__gte=start, unpublish_at__lte=at))
    sources = [
        Item.objects.filter(updated_at__gte=start).values_list("pk"),
        ConsentVersion.objects.filter(Q(created_at__gte=start) | time_fields).values_list("item_id"),
        ItemMedia.objects.filter(asset__in=MediaAsset.objects.filter(
            Q(updated_at__gte=start) | Q(published_at__gte=start)).values("pk")).values_list("item_id"),
        MembershipChange.objects.filter(at__gte=start).values_list("item_ref"),
        # From the exhibitions (a few), to their entries by index.
        exhibitions.filter(entries__isnull=False).values_list("entries__item_id"),
    ]
    first, *rest = (source.order_by() for source in sources)
    return first.union(*rest)


def _in_exhibitions(at: datetime, slug: str | None) -> Q:
    entries = ExhibitionEntry.objects.filter(item=OuterRef("pk")).filter(
        Q(exhibition__in=Exhibition.objects.filter(live_q(at))))
    if slug:
        entries = entries.filter(exhibition__slug=slug)
    # A record is in an exhibition's set only where consent lets it show there; a deleted one
    # while its entry is kept (withdrawn items keep theirs, flagged; erased ones lose them).
    return Q(Exists(entries)) & (Q(harvestable=False) | consent.visible_q("exhibition", at))


def set_q(set_spec: str | None, at: datetime) -> Q | None:
    """The filter for a set, or None when no such set exists."""
    if not set_spec or set_spec == "kind":
        return Q()
    family, _sep, value = set_spec.partition(":")
    if family == "kind" and value in KINDS:
        return Q(kind=value)
    if family == "exhibition" and not value:
        return _in_exhibitions(at, None)
    if family == "exhibition" and Exhibition.objects.filter(live_q(at), slug=value).exists():
        return _in_exhibitions(at, value)
    return None


def select(at: datetime, *, set_spec=None, start=None, end=None) -> QuerySet[Item] | None:
    found = set_q(set_spec, at)
    if found is None:
        return None
    qs = universe(at).filter(found)
    if start:
        qs = qs.filter(pk__in=changed_since(start, at), datestamp__gte=start)
    if end:
        qs = qs.filter(datestamp__lt=end)
    return qs.order_by("pk")


def headers(items: list[Item], at: datetime) -> list[Header]:
    """Headers for a page of items, their sets in one query."""
    exhibition_sets: dict = {}
    entries = ExhibitionEntry.objects.filter(
        item__in=[i.pk for i in items], exhibition__in=Exhibition.objects.filter(live_q(at)),
    ).values_list("item_id", "exhibition__slug").distinct()
    shown_in_exhibitions = set(
        Item.objects.filter(pk__in=[i.pk for i in items]).filter(consent.visible_q("exhibition", at))
        .values_list("pk", flat=True))
    for item_id, slug in entries:
        exhibition_sets.setdefault(item_id, set()).add(slug)
    out = []
    for item in items:
        slugs = exhibition_sets.get(item.pk, set())
        if item.harvestable and item.pk not in shown_in_exhibitions:
            slugs = set()
        out.append(Header(identifier(item.pk), item.datestamp, not item.harvestable,
                          [f"kind:{item.kind}", *(f"exhibition:{s}" for s in sorted(slugs))], item))
    return out


def earliest(at: datetime) -> datetime:
    found = universe(at).aggregate(first=Min("datestamp"))["first"]
    return found or at


def sets(at: datetime) -> list[tuple[str, str]]:
    """(setSpec, setName): the kinds, and the exhibitions the public can see now."""
    out = [("kind", "Kinds of item")]
    out += [(f"kind:{value}", str(label)) for value, label in Item.Kind.choices]
    out.append(("exhibition", "Exhibitions"))
    for exhibition in Exhibition.objects.filter(live_q(at)).order_by("slug"):
        out.append((f"exhibition:{exhibition.slug}", pick(exhibition.title, "en").text or exhibition.slug))
    return out

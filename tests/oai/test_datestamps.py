"""A record's datestamp moves when its exhibition sets change, so a real harvester (Sickle) that
harvests incrementally (`from=` its last responseDate) sees an item placed in or removed from a live
exhibition, an exhibition opening at its scheduled time, and an item whose consent narrows out of
exhibitions; a datestamp moving in the middle of a harvest neither repeats nor loses a record."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import requests
from django.utils import timezone
from sickle import Sickle
from sickle.oaiexceptions import NoRecordsMatch

from archive import services
from archive.models import ConsentVersion, Event, Item, ItemMedia, Subject
from exhibitions.models import Exhibition, MembershipChange
from exhibitions.oai import records
from exhibitions.oai.protocol import stamp
from exhibitions.services import builder
from media_pipeline import services as media
from media_pipeline.models import MediaAsset
from tests.factories import (
    EventFactory,
    ExhibitionEntryFactory,
    ExhibitionFactory,
    ItemFactory,
    SubjectFactory,
)
from tests.iiif.media import ready
from tests.media_pipeline import makers
from tests.oai.rules import NS, check

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


class CheckedSickle(Sickle):
    def _request(self, kwargs):
        response = super()._request(kwargs)
        check(response.content)
        return response


@pytest.fixture
def harvester(live_server, settings):
    settings.SITE_URL = live_server.url
    return CheckedSickle(live_server.url + "/oai/", max_retries=0)


def backdate() -> None:
    """Everything made so far happened an hour ago: only what changes from now on is new."""
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Item.objects.update(updated_at=an_hour_ago)
    ConsentVersion.objects.update(created_at=an_hour_ago)
    Exhibition.objects.update(members_changed_at=an_hour_ago)
    MembershipChange.objects.update(at=an_hour_ago)
    MediaAsset.objects.update(updated_at=an_hour_ago)


def response_date(harvester) -> str:
    """What a harvester keeps as the `from` of its next incremental harvest."""
    body = requests.get(harvester.endpoint + "?verb=Identify", timeout=10).content
    return check(body).findtext("o:responseDate", namespaces=NS)


def changed(harvester, since: str, **params) -> dict[str, tuple[bool, list[str]]]:
    try:
        found = harvester.ListIdentifiers(metadataPrefix="oai_dc", **{"from": since}, **params)
        return {h.identifier: (h.deleted, sorted(h.setSpecs)) for h in found}
    except NoRecordsMatch:
        return {}


def test_an_item_placed_in_a_live_exhibition_is_in_the_next_harvest(harvester):
    exhibition = ExhibitionFactory(slug="objects")
    placed, other = ItemFactory(), ItemFactory()
    ExhibitionEntryFactory(exhibition=exhibition, item=other)
    backdate()
    since = response_date(harvester)

    builder.add_entry(exhibition, placed, actor=None)

    spec = ["exhibition:objects", f"kind:{placed.kind}"]
    assert changed(harvester, since, set="exhibition:objects") == {records.identifier(placed.pk): (False, spec)}
    assert changed(harvester, since) == {records.identifier(placed.pk): (False, spec)}


def test_an_item_removed_is_in_the_next_harvest_with_its_sets_now(harvester):
    exhibition = ExhibitionFactory(slug="objects")
    entry = ExhibitionEntryFactory(exhibition=exhibition, item=ItemFactory())
    ExhibitionEntryFactory(exhibition=exhibition, item=ItemFactory())
    backdate()
    since = response_date(harvester)

    builder.remove_entry(entry, actor=None)

    assert changed(harvester, since) == {records.identifier(entry.item_id): (False, [f"kind:{entry.item.kind}"])}
    assert changed(harvester, since, set="exhibition:objects") == {}


def test_an_exhibition_opening_at_its_scheduled_time_dates_its_items_from_then(harvester):
    opens_at = (timezone.now() + timedelta(seconds=2)).replace(microsecond=0)
    exhibition = ExhibitionFactory(slug="day", publish_at=opens_at)
    entry = ExhibitionEntryFactory(exhibition=exhibition, item=ItemFactory())
    ExhibitionEntryFactory(exhibition=ExhibitionFactory(publish_at=opens_at + timedelta(hours=1)))
    expiring = ItemFactory(consent={"expires_at": opens_at})  # the policy's own time boundary, beside it
    backdate()
    since = response_date(harvester)
    assert changed(harvester, since) == {}

    time.sleep(max(0.0, (opens_at - timezone.now()).total_seconds()) + 0.2)  # no write: time passes

    found = list(harvester.ListIdentifiers(metadataPrefix="oai_dc", **{"from": since}))
    assert sorted((h.identifier, h.deleted, h.datestamp, sorted(h.setSpecs)) for h in found) == sorted([
        (records.identifier(entry.item_id), False, stamp(opens_at), ["exhibition:day", f"kind:{entry.item.kind}"]),
        (records.identifier(expiring.pk), True, stamp(opens_at), [f"kind:{expiring.kind}"])])
    assert changed(harvester, since, set="exhibition:day").keys() == {records.identifier(entry.item_id)}
    assert changed(harvester, stamp(opens_at + timedelta(seconds=1))) == {}


@pytest.mark.parametrize("change", ["status", "slug", "closing", "title"])
def test_an_exhibition_closed_or_renamed_dates_its_items_from_then(harvester, change):
    exhibition = ExhibitionFactory(slug="objects")
    entry = ExhibitionEntryFactory(exhibition=exhibition, item=ItemFactory())
    ExhibitionEntryFactory(exhibition=ExhibitionFactory(), item=ItemFactory())
    backdate()
    since = response_date(harvester)

    fields = {"status": {"status": Exhibition.Status.DRAFT}, "slug": {"slug": "remembered-objects"},
              "closing": {"unpublish_at": timezone.now()}, "title": {"title": {"en": "Kept objects"}}}[change]
    builder.update_exhibition(exhibition, actor=None, **fields)

    sets = {"slug": ["exhibition:remembered-objects"], "title": ["exhibition:objects"]}.get(change, [])
    assert changed(harvester, since) == {records.identifier(entry.item_id): (False, sorted([*sets, "kind:object_story"]))}


def test_consent_narrowed_out_of_exhibitions_is_in_the_next_harvest(harvester):
    entry = ExhibitionEntryFactory(exhibition=ExhibitionFactory(slug="objects"), item=ItemFactory())
    backdate()
    since = response_date(harvester)

    services.record_consent(entry.item, scopes=["web", "search", "iiif"], propagate=False, actor_label="test")

    assert changed(harvester, since) == {records.identifier(entry.item_id): (False, [f"kind:{entry.item.kind}"])}


def test_a_datestamp_moving_mid_harvest_neither_repeats_nor_loses_a_record(harvester, settings):
    settings.OAI_PAGE_SIZE = 1
    exhibition = ExhibitionFactory(slug="objects")
    items = sorted((ItemFactory() for _ in range(3)), key=lambda i: i.pk)
    backdate()
    until = stamp(timezone.now() - timedelta(minutes=1))
    first_harvest = harvester.ListIdentifiers(metadataPrefix="oai_dc", until=until)
    first = next(first_harvest)
    since = response_date(harvester)

    # Placed in an exhibition while the harvest runs: one record already sent, one still to come.
    builder.add_entry(exhibition, items[0], actor=None)
    builder.add_entry(exhibition, items[2], actor=None)
    rest = [h.identifier for h in first_harvest]

    # The one moved past `until` leaves this harvest; the next one (from this one's start) has both.
    assert [first.identifier, *rest] == [records.identifier(items[0].pk), records.identifier(items[1].pk)]
    assert sorted(changed(harvester, since)) == sorted(records.identifier(items[n].pk) for n in (0, 2))


def test_an_event_renamed_or_a_subject_relabelled_or_deleted_dates_the_items_that_carry_them(harvester):
    event, relabelled, deleted = EventFactory(), SubjectFactory(), SubjectFactory()
    with_event, with_relabelled, with_deleted = ItemFactory(event=event), ItemFactory(), ItemFactory()
    with_relabelled.subjects.add(relabelled)
    with_deleted.subjects.add(deleted)
    ItemFactory(event=EventFactory())
    backdate()
    since = response_date(harvester)
    Event.objects.get(pk=event.pk).save()  # saved unchanged: nothing moves
    assert changed(harvester, since) == {}

    event.name = {**event.name, "fr": "Un nom en français"}
    event.save()
    relabelled.label = {"en": "Relabelled"}
    relabelled.save()
    Subject.objects.get(pk=deleted.pk).delete()

    assert changed(harvester, since).keys() == {records.identifier(i.pk) for i in (with_event, with_relabelled,
                                                                                   with_deleted)}


def test_image_tiles_published_after_the_consent_date_the_record(harvester):
    item = ItemFactory(kind=Item.Kind.PHOTOGRAPH)
    asset = ready(makers.jpeg(300, 200), "square.jpg", publish=False)
    ItemMedia.objects.create(item=item, asset=asset, role=ItemMedia.Role.PHOTO)
    backdate()
    since = response_date(harvester)
    assert changed(harvester, since) == {}

    media.publish(asset)  # the propagation task, seconds after the consent version

    found = list(harvester.ListRecords(metadataPrefix="memories", **{"from": since}))
    assert [r.header.identifier for r in found] == [records.identifier(item.pk)]
    assert "imageService" in found[0].raw

"""A real OAI-PMH client (Sickle) harvests the archive over HTTP: everything in oai_dc through
resumption tokens, then, harvesting again from the last responseDate, a withdrawn item as a deleted
header. Every response Sickle receives is checked against the protocol's rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests
from django.utils import timezone
from sickle import Sickle

from archive.contributions import management
from archive.models import ConsentVersion, Contribution, Item
from exhibitions.oai import records
from tests.factories import ItemFactory
from tests.oai.rules import NS, check

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


class CheckedSickle(Sickle):
    """Sickle, with every raw response checked and the number of requests counted."""

    requests_made = 0

    def _request(self, kwargs):
        response = super()._request(kwargs)
        CheckedSickle.requests_made += 1
        check(response.content)
        return response


def test_sickle_harvests_everything_and_sees_a_withdrawal(live_server, settings):
    settings.SITE_URL = live_server.url
    settings.OAI_PAGE_SIZE = 2
    shared = [ItemFactory(contribution=Contribution.objects.create(token_hash=f"{n}" * 64)) for n in range(5)]
    ItemFactory(consent={"scopes": ["web"]})  # not shared with other archives
    # Made an hour ago: an incremental harvest from now on must see only what changes from now on.
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Item.objects.update(updated_at=an_hour_ago)
    ConsentVersion.objects.update(created_at=an_hour_ago)
    harvester = CheckedSickle(live_server.url + "/oai/", max_retries=0)

    records_seen = list(harvester.ListRecords(metadataPrefix="oai_dc"))
    assert CheckedSickle.requests_made == 3  # 2 + 2 + 1, through two resumption tokens
    assert sorted(r.header.identifier for r in records_seen) == sorted(records.identifier(i.pk) for i in shared)
    assert not any(r.deleted for r in records_seen)
    by_id = {r.header.identifier: r for r in records_seen}
    assert sorted(by_id[records.identifier(shared[0].pk)].metadata["title"]) == sorted(shared[0].title.values())

    identify = harvester.Identify()
    assert identify.deletedRecord == "persistent"
    last_harvest = check(requests.get(live_server.url + "/oai/?verb=Identify", timeout=10).content).findtext(
        "o:responseDate", namespaces=NS)

    management.withdraw(shared[1].contribution, actor_label="test")
    changed = list(harvester.ListIdentifiers(metadataPrefix="oai_dc", **{"from": last_harvest}))
    assert [(h.identifier, h.deleted) for h in changed] == [(records.identifier(shared[1].pk), True)]

    again = {h.identifier: h.deleted for h in harvester.ListIdentifiers(metadataPrefix="oai_dc")}
    assert again[records.identifier(shared[1].pk)] is True
    assert sum(again.values()) == 1 and len(again) == 5

"""The curator's lists read an index in order at any size (SQLite's plans, as the archive runs).

At 100,000 items the queue sorted every waiting item for each page and the audit filter's list of
people read every event (DISTINCT with the log's default ordering: 125 ms); these check the plan,
which does not depend on how many rows the test made."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from archive import audit
from archive.curator import selectors
from archive.models import AuditEvent, Item
from memorial import statistics
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def plan(sql: str, params=()) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " | ".join(row[-1] for row in cursor.fetchall())


def test_the_queue_reads_the_waiting_items_index_in_order():
    for status in (Item.Status.SUBMITTED, Item.Status.CHANGES_REQUESTED, *[Item.Status.PUBLISHED] * 30):
        ItemFactory(status=status, published_at=None, consent=False)
    statistics.refresh()  # as the sweep keeps them: the plan is chosen with statistics
    both = selectors.moderation_queue()
    assert {i.status for i in both} == {Item.Status.SUBMITTED, Item.Status.CHANGES_REQUESTED}
    steps = plan(*selectors.moderation_queue()[:51].query.sql_with_params())
    assert "item_queue_order" in steps and "TEMP B-TREE" not in steps, steps
    one = selectors.moderation_queue(Item.Status.SUBMITTED)
    assert [i.status for i in one] == [Item.Status.SUBMITTED]
    steps = plan(*selectors.moderation_queue(Item.Status.SUBMITTED)[:51].query.sql_with_params())
    assert "item_status_created_order" in steps and "TEMP B-TREE" not in steps, steps


def test_the_people_of_the_audit_filter_come_from_index_hops():
    user = get_user_model().objects.create_user("curator-one")
    audit.record("item.described", actor=user, target="t")
    for label in ("contributor", "system", "contributor"):
        AuditEvent.objects.create(action="item.submitted", actor_label=label)
    assert selectors.audit_people() == ["contributor", "curator-one", "system"]
    steps = plan('SELECT MIN(actor_label) FROM archive_auditevent WHERE actor_id IS NULL AND actor_label > %s',
                 ["contributor"])
    assert "auditevent_actor_label (actor_id=? AND actor_label>?)" in steps, steps

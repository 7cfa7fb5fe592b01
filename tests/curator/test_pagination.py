"""The queue and the audit log are keyset-paginated: following the pager reaches every row once,
forwards and back, ties in time included, and a stale or forged cursor is the first page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from archive import audit
from archive.models import AuditEvent, Item
from tests.factories import ItemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

LINK = re.compile(r'<a href="\?([^"]*)" rel="(next|prev)"')
REVIEW = re.compile(r'/curator/items/([0-9a-f-]{36})/"')
AUDIT_ROW = re.compile(r'<tr data-action="(test\.\d+)">')


def _walk(client, path: str, rows: re.Pattern, start: str = "", direction: str = "next"):
    """Every page from `start` following `direction`: the rows of each page, and the last query."""
    pages, query = [], start
    for _ in range(20):
        body = client.get(f"{path}?{query}").content.decode()
        pages.append(rows.findall(body))
        links = {rel: href.replace("&amp;", "&") for href, rel in LINK.findall(body)}
        if direction not in links:
            return pages, query
        query = links[direction]
    raise AssertionError("the pager never ends")


def test_following_the_queue_reaches_every_submission_once(moderator, as_user, settings):
    settings.CURATOR_PAGE_SIZE = 2
    items = [ItemFactory(status=Item.Status.SUBMITTED, consent=False) for _ in range(5)]
    ItemFactory(status=Item.Status.PUBLISHED, consent=False)  # not waiting: on no page
    moment = timezone.now() - timedelta(days=1)
    for n, item in enumerate(items):  # two share a moment: the id breaks the tie
        Item.objects.filter(pk=item.pk).update(created_at=moment + timedelta(minutes=min(n, 3)))
    client = as_user(moderator)
    forward, last = _walk(client, "/en/curator/queue/", REVIEW)
    assert [len(p) for p in forward] == [2, 2, 1]
    assert [i for p in forward for i in p] == [str(i.pk) for i in
                                               Item.objects.filter(pk__in=[x.pk for x in items]).order_by("created_at", "id")]
    backward, _ = _walk(client, "/en/curator/queue/", REVIEW, start=last, direction="prev")
    assert backward == forward[::-1]
    # The filter is kept across pages; a forged cursor shows the first page.
    assert "status=submitted" in _walk(client, "/en/curator/queue/", REVIEW, start="status=submitted")[1]
    assert REVIEW.findall(client.get("/en/curator/queue/?after=not-an-id").content.decode()) == forward[0]


def test_following_the_audit_log_reaches_every_event_once(archivist, as_user, settings):
    settings.CURATOR_PAGE_SIZE = 2
    for n in range(7):
        audit.record(f"test.{n}", actor_label="test")
    moment = timezone.now()
    AuditEvent.objects.filter(action__in=["test.2", "test.3", "test.4"]).update(at=moment)  # a tie
    client = as_user(archivist)
    forward, last = _walk(client, "/en/curator/audit/", AUDIT_ROW, start="person=test")
    assert [len(p) for p in forward] == [2, 2, 2, 1]
    seen = [a for p in forward for a in p]
    assert sorted(seen) == [f"test.{n}" for n in range(7)]
    assert seen == list(AuditEvent.objects.filter(action__startswith="test.").order_by("-at", "-id")
                        .values_list("action", flat=True))
    backward, _ = _walk(client, "/en/curator/audit/", AUDIT_ROW, start=last, direction="prev")
    assert backward == forward[::-1]
    assert AUDIT_ROW.findall(client.get("/en/curator/audit/?person=test&before=999999999").content.decode()) == forward[0]
    # The filter's list of actions: each distinct action once, in order (read off the index).
    audit.record("test.3", actor_label="test")
    actions = re.search(r'<select name="action".*?</select>', client.get("/en/curator/audit/").content.decode(), re.S)
    options = re.findall(r'<option value="([^"]+)"', actions.group(0))
    assert options == sorted(set(AuditEvent.objects.values_list("action", flat=True)))

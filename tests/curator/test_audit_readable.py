"""The audit log a person can read: titles and tombstones, filters from choices (person, action,
days), pages, and the filtered view exported as CSV and JSON (spreadsheet-formula safe)."""

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.utils import timezone

from archive import audit
from archive.models import AuditEvent, Item
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def _at(event, days_ago):
    AuditEvent.objects.filter(pk=event.pk).update(at=timezone.now() - dt.timedelta(days=days_ago))


@pytest.fixture
def log(curator, moderator):
    kept = ItemFactory(title={"en": "A synthetic wristwatch", "fr": "Une montre (synthétique)"})
    erased = ItemFactory(title={"en": "Synthetic name that must vanish"})
    events = {
        "described": audit.record("item.described", actor=curator, item=kept, target="title"),
        "rejected": audit.record("item.rejected", actor=moderator, item=kept, target="=1+2"),
        "erased": audit.record("contribution.erased", actor_label="contributor", item=erased, target="@SUM(A1)"),
    }
    _at(events["described"], 10)
    _at(events["rejected"], 3)
    # What erasure leaves: a tombstone row whose title is gone (the log must not bring it back).
    Item.objects.filter(pk=erased.pk).update(status=Item.Status.ERASED)
    return {"kept": kept, "erased": erased, **events}


def test_titles_and_a_tombstone_instead_of_ids(archivist, as_user, log):
    text = as_user(archivist).get("/en/curator/audit/").text
    assert f'<a href="/en/curator/items/{log["kept"].pk}/">A synthetic wristwatch</a>' in text
    assert "An erased item (tombstone)" in text
    assert "Synthetic name that must vanish" not in text
    assert "Approved and published" not in text and "Description changed" in text
    # In French, the French title.
    assert "Une montre (synthétique)" in as_user(archivist).get("/fr/curator/audit/").text


@pytest.mark.postgres
def test_filters_from_choices(archivist, as_user, log):
    client = as_user(archivist)
    page = client.get("/en/curator/audit/").text
    assert '<select name="person"' in page and '<option value="test-moderator">' in page
    assert '<option value="contributor">' in page
    assert '<select name="action"' in page and '<option value="item.rejected">Rejected</option>' in page

    def shown(**query):
        text = client.get("/en/curator/audit/", query).text
        return {k for k in ("described", "rejected", "erased") if f'data-action="{log[k].action}"' in text}

    assert shown(person="test-moderator") == {"rejected"}
    assert shown(person="contributor") == {"erased"}
    assert shown(action="item.described") == {"described"}
    today = timezone.localdate()
    assert shown(since=str(today - dt.timedelta(days=5))) == {"rejected", "erased"}
    assert shown(until=str(today - dt.timedelta(days=5))) == {"described"}
    assert shown(since=str(today - dt.timedelta(days=3)), until=str(today - dt.timedelta(days=3))) == {"rejected"}
    backwards = client.get("/en/curator/audit/", {"since": str(today), "until": str(today - dt.timedelta(days=1))})
    assert "The last day cannot be before the first day." in backwards.text
    # Not a choice: a clear error, and nothing filtered on it.
    unknown = client.get("/en/curator/audit/", {"action": "no.such.action"})
    assert "Select a valid choice." in unknown.text and "No entries match." in unknown.text


def test_exports_follow_the_filters_and_are_formula_safe(archivist, as_user, log):
    client = as_user(archivist)
    response = client.get("/en/curator/audit.csv", {"since": str(timezone.localdate() - dt.timedelta(days=5))})
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {r["action"] for r in rows} - {"consent.changed"} == {"item.rejected", "contribution.erased"}
    by_action = {r["action"]: r for r in rows}
    assert by_action["item.rejected"]["item_title"] == "A synthetic wristwatch"
    assert by_action["item.rejected"]["target"] == "'=1+2"
    assert by_action["contribution.erased"]["target"] == "'@SUM(A1)"
    assert by_action["contribution.erased"]["item_title"] == "An erased item (tombstone)"
    assert "Synthetic name that must vanish" not in json.dumps(rows)

    data = json.loads(b"".join(client.get("/en/curator/audit.json", {"person": "test-moderator"}).streaming_content))
    assert [(e["action"], e["actor"], e["item_title"], e["target"]) for e in data] == [
        ("item.rejected", "test-moderator", "A synthetic wristwatch", "=1+2")]
    # A filter that is not a choice exports nothing (never the whole log by mistake).
    refused = client.get("/en/curator/audit.json", {"person": "nobody-here"})
    assert refused.status_code == 400 and "nothing was exported" in refused.text
    assert client.get("/en/curator/audit.csv", {"since": "not a day"}).status_code == 400


def test_paginated_and_exports_need_the_permission(archivist, moderator, as_user, curator):
    item = ItemFactory(title={"en": "Synthetic busy item"})
    AuditEvent.objects.bulk_create([AuditEvent(actor=curator, actor_label="test-curator", action="item.described",
                                               item_id_ref=item.pk, target=f"t{n}") for n in range(120)])
    client = as_user(archivist)
    first = client.get("/en/curator/audit/", {"action": "item.described"})
    assert first.text.count("<tr data-action") == 50 and 'rel="prev"' not in first.text
    older = re.search(r'<a href="\?([^"]*)" rel="next">', first.text).group(1).replace("&amp;", "&")
    second = client.get(f"/en/curator/audit/?{older}")
    assert "action=item.described" in older and second.text.count("<tr data-action") == 50
    older = re.search(r'<a href="\?([^"]*)" rel="next">', second.text).group(1).replace("&amp;", "&")
    third = client.get(f"/en/curator/audit/?{older}")
    assert third.text.count("<tr data-action") == 20 and 'rel="next"' not in third.text
    data = json.loads(b"".join(client.get("/en/curator/audit.json", {"action": "item.described"}).streaming_content))
    assert len(data) == 120
    mod = as_user(moderator)
    assert mod.get("/en/curator/audit.json").status_code == 403
    assert mod.get("/en/curator/audit.csv").status_code == 403

"""A research-only submission (consent: research and no public place): the workspace says what
approving it means, on the review page, in the queue and in bulk, as consent.approval_outcome says."""

import pytest

from archive import consent
from archive.models import Item
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def submission(scopes, title="A synthetic submission"):
    return ItemFactory(status=Item.Status.SUBMITTED, published_at=None, title={"en": title},
                       consent={"scopes": scopes, "name_display": "anonymous"})


@pytest.mark.parametrize(("scopes", "outcome"), [
    (["web", "search"], consent.APPROVAL_PUBLIC),
    (["web", "research"], consent.APPROVAL_PUBLIC),
    (["research"], consent.APPROVAL_RESEARCH),
    (["research", "search"], ""),
    (["iiif"], ""),
])
def test_the_outcome_agrees_with_may_publish(scopes, outcome):
    version = submission(scopes).current_consent
    assert consent.approval_outcome(version) == outcome
    assert consent.may_publish(version) is bool(outcome)


def test_review_page_offers_approval_for_research_not_publication(curator, as_user):
    item = submission(["research"])
    page = as_user(curator).get(f"/en/curator/items/{item.pk}/").text
    assert "Approve for vetted research" in page and "Approve and publish" not in page
    assert "No web consent" not in page
    assert "For vetted research only: approving opens it to approved researchers" in page
    public = submission(["web"], title="Public one")
    assert "Approve and publish" in as_user(curator).get(f"/en/curator/items/{public.pk}/").text


def test_single_approval_says_research(curator, as_user):
    item = submission(["research"])
    client = as_user(curator)
    client.post(f"/en/curator/items/{item.pk}/decide/approve")
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED
    page = client.get("/en/curator/queue/").text
    assert "Approved for vetted research. It appears on no public page" in page
    assert "Published. The item is now where its consent allows." not in page


def test_bulk_approval_counts_the_research_only_items(curator, as_user):
    items = [submission(["research"], "R1"), submission(["research"], "R2"), submission(["web"], "W1")]
    client = as_user(curator)
    queue = client.get("/en/curator/queue/").text
    assert queue.count("For vetted research only") == 2
    response = client.post("/en/curator/queue/bulk", {"action": "approve", "items": [i.pk for i in items]},
                           follow=True)
    assert "3 submissions done: Approve (publish, or vetted research only)." in response.text
    assert "2 of them are for vetted research only: they appear on no public page." in response.text

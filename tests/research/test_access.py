"""Research access: applications, an archivist's decisions, the reading room, audit and caching."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from archive import consent, moderation
from archive import services as archive_services
from archive.models import AuditEvent, Item
from archive.research import selectors, services
from archive.research.models import AGREEMENT_VERSION, ResearchAccess, ResearchToken
from exhibitions.models import Activity
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


@pytest.mark.postgres  # the partial unique constraint, row locks
def test_an_application_keeps_the_agreement_version_and_needs_it_accepted(django_user_model):
    user = django_user_model.objects.create_user("someone", password="x-x-x-x-x")
    with pytest.raises(services.ResearchError, match="Accept the research agreement"):
        services.apply(user, institution="X", purpose="Y", agreement_accepted=False)
    access = services.apply(user, institution=" Institute ", purpose="A purpose", agreement_accepted=True)
    assert (access.status, access.institution, access.agreement_version) == ("pending", "Institute", AGREEMENT_VERSION)
    with pytest.raises(services.ResearchError, match="already have an application"):
        services.apply(user, institution="X", purpose="Y", agreement_accepted=True)
    assert selectors.active_access(user) is None
    assert AuditEvent.objects.filter(action="research.applied", actor=user).count() == 1


@pytest.mark.postgres
def test_approval_needs_a_future_expiry_and_nobody_decides_their_own(archivist, applicant):
    access = applicant.research_access.get()
    with pytest.raises(services.ResearchError, match="future"):
        services.approve(access, actor=archivist, expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(services.ResearchError, match="two years"):
        services.approve(access, actor=archivist, expires_at=timezone.now() + timedelta(days=800))
    with pytest.raises(services.ResearchError, match="own application"):
        services.approve(access, actor=applicant, expires_at=timezone.now() + timedelta(days=1))
    services.approve(access, actor=archivist, expires_at=timezone.now() + timedelta(days=1))
    assert selectors.active_access(applicant).pk == access.pk
    assert selectors.active_access(applicant, at=timezone.now() + timedelta(days=2)) is None  # expiry at read time
    event = AuditEvent.objects.get(action="research.approved")
    assert event.actor == archivist and event.after["status"] == "approved"


@pytest.mark.postgres
def test_revocation_ends_access_and_every_token_at_once(archivist, researcher):
    token, _ = services.issue_token(researcher, "https://viewer.example.org")
    assert services.user_for_token(token) == researcher
    with pytest.raises(services.ResearchError, match="reason"):
        services.revoke(researcher.research_access.get(), actor=archivist, note=" ")
    services.revoke(researcher.research_access.get(), actor=archivist, note="Agreement broken")
    assert selectors.active_access(researcher) is None
    assert services.user_for_token(token) is None and not ResearchToken.objects.exists()


def test_only_an_archivist_decides_through_the_workspace(client, archivist, applicant, django_user_model):
    access = applicant.research_access.get()
    curator = django_user_model.objects.create_user("a-curator", password="x", is_staff=True)
    client.force_login(curator)
    assert client.get(reverse("research:applications")).status_code == 403
    client.force_login(archivist)
    page = client.get(reverse("research:applications"))
    assert page.status_code == 200 and b"Institute of Synthetic Studies" in page.content
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    day = (timezone.localdate() + timedelta(days=10)).isoformat()
    client.post(reverse("research:decide", args=[access.pk, "approve"]), {"expires_on": day})
    access.refresh_from_db()
    assert access.status == "approved" and access.decided_by == archivist
    assert timezone.localtime(access.expires_at).date().isoformat() == day


def test_the_application_form_reports_a_missing_agreement(client, django_user_model):
    user = django_user_model.objects.create_user("new-researcher", password="x")
    client.force_login(user)
    page = client.post(reverse("research:apply"), {"institution": "Uni", "purpose": "Study"})
    assert page.status_code == 200 and b"Accept the research agreement to apply." in page.content
    assert not ResearchAccess.objects.exists()
    client.post(reverse("research:apply"), {"institution": "Uni", "purpose": "Study", "agreement": "on"})
    assert ResearchAccess.objects.get().status == "pending"


def test_the_reading_room_shows_research_items_to_approved_researchers_only(client, researcher, applicant):
    shared = ItemFactory(consent={"scopes": ["research"]}, title={"en": "Kept for research only"})
    ItemFactory(consent={"scopes": ["web", "search", "iiif"]}, title={"en": "Public, not for research"})
    assert client.get(reverse("research:room")).status_code == 302  # anonymous: sign in
    client.force_login(applicant)
    page = client.get(reverse("research:room"))
    assert b"Kept for research only" not in page.content and b"no approved research access" in page.content
    assert client.get(reverse("research:item", args=[shared.pk])).status_code == 302
    client.force_login(researcher)
    page = client.get(reverse("research:room"))
    assert b"Kept for research only" in page.content and b"Public, not for research" not in page.content
    page = client.get(reverse("research:item", args=[shared.pk]))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    event = AuditEvent.objects.get(action="research.viewed")
    assert (event.actor, event.item_id_ref, event.target) == (researcher, shared.pk, "item page")


def test_withdrawing_research_closes_the_item_page_at_once(client, researcher):
    item = ItemFactory(consent={"scopes": ["research", "web"]})
    client.force_login(researcher)
    assert client.get(reverse("research:item", args=[item.pk])).status_code == 200
    archive_services.record_consent(item, scopes=["web"], actor_label="contributor", propagate=False)
    assert client.get(reverse("research:item", args=[item.pk])).status_code == 404


def test_an_expired_researcher_is_sent_back_to_the_room(client, researcher):
    item = ItemFactory(consent={"scopes": ["research"]})
    ResearchAccess.objects.filter(user=researcher).update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(researcher)
    assert client.get(reverse("research:item", args=[item.pk])).status_code == 302
    assert b"no approved research access" in client.get(reverse("research:room")).content


@pytest.mark.postgres
def test_a_research_only_submission_can_be_approved_and_appears_on_no_public_surface(client, archivist):
    item = ItemFactory(status=Item.Status.SUBMITTED, published_at=None, consent={"scopes": ["research"]},
                       title={"en": "Quincunx lantern, kept for research"})
    moderation.approve(item, actor=archivist)  # propagation runs (tasks are immediate in tests)
    assert item.status == Item.Status.PUBLISHED
    assert list(selectors.reading_room()) == [item]
    assert not any(consent.allows(item, surface) for surface in consent.PUBLIC_SURFACES)
    assert client.get("/api/search/", {"q": "Quincunx"}).json()["total"] == 0
    assert client.get(f"/en/items/{item.pk}/").status_code == 404
    assert client.get(f"/iiif/item/{item.pk}/manifest").status_code == 404
    assert str(item.pk) not in client.get("/iiif/collection/top").content.decode()
    assert str(item.pk) not in client.get("/iiif/collection/items").content.decode()
    assert not Activity.objects.filter(item_id_ref=item.pk).exists()  # nothing in the change stream


def test_the_reading_room_costs_the_same_queries_for_many_items(client, researcher, django_assert_max_num_queries):
    for _ in range(12):
        ItemFactory(consent={"scopes": ["research"]})
    client.force_login(researcher)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("research:room"))
    assert page.content.count(b'class="cw-queue-item"') == 12


def test_a_title_with_markup_stays_text_in_the_research_manifest(client, researcher):
    item = ItemFactory(consent={"scopes": ["research"]}, title={"en": "<img src=x onerror=alert(1)>"})
    client.force_login(researcher)
    body = client.get(reverse("iiif:research_manifest", args=[item.pk])).content
    assert b"<img" not in body and b"\\u003cimg" in body


@pytest.mark.parametrize("scopes", [["search", "research"], ["iiif", "exhibition", "research"]])
def test_research_never_lets_a_consent_without_the_web_onto_a_public_surface(scopes, archivist):
    item = ItemFactory(status=Item.Status.SUBMITTED, published_at=None, consent={"scopes": scopes})
    with pytest.raises(moderation.ModerationError, match="does not include the web"):
        moderation.approve(item, actor=archivist)
    item.refresh_from_db()
    assert item.status == Item.Status.SUBMITTED

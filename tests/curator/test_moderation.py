"""Moderation queue: who may do what, the consent rule at the door, previews from private storage."""

import io
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from PIL import Image

from archive.models import AuditEvent, Item, ItemMedia
from media_pipeline.models import MediaAsset
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def submission(**consent):
    options = {"scopes": ["web", "search", "exhibition", "iiif"], "name_display": "initials",
               "display_name": "Sam Placeholder"}
    options.update(consent)
    return ItemFactory(status=Item.Status.SUBMITTED, published_at=None,
                       title={"en": "A synthetic submission"}, consent=options)


def test_queue_needs_login_and_permission(client, archivist, as_user):
    submission()
    response = client.get("/en/curator/queue/")
    assert response.status_code == 302 and response["Location"].startswith("/en/account/sign-in/?next=")
    assert as_user(archivist).get("/en/curator/queue/").status_code == 403


def test_queue_lists_submissions_with_consent_summary(moderator, as_user):
    item = submission(scopes=["search"])
    ItemFactory(title={"en": "Already public"})
    response = as_user(moderator).get("/en/curator/queue/")
    assert response.status_code == 200
    text = response.text
    assert "A synthetic submission" in text and "Already public" not in text
    assert "No web consent: this item cannot be published." in text
    assert f"/en/curator/items/{item.pk}/" in text


def test_moderator_cannot_publish(moderator, as_user):
    item = submission()
    client = as_user(moderator)
    review = client.get(f"/en/curator/items/{item.pk}/")
    assert review.status_code == 200 and "Approve and publish" not in review.text
    response = client.post(f"/en/curator/items/{item.pk}/decide/approve")
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == Item.Status.SUBMITTED
    assert not AuditEvent.objects.filter(action="item.approved").exists()


def test_curator_publishes_and_the_action_is_audited(curator, as_user):
    item = submission()
    response = as_user(curator).post(f"/en/curator/items/{item.pk}/decide/approve")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED
    event = AuditEvent.objects.get(action="item.approved", item_id_ref=item.pk)
    assert event.actor.username == "test-curator"


@pytest.mark.parametrize("role", ["curator", "administrator"])
def test_nobody_can_publish_without_web_consent(role, request, as_user):
    user = request.getfixturevalue(role)
    item = submission(scopes=["search", "exhibition", "iiif", "memorial_wall", "research"])
    client = as_user(user)
    response = client.post(f"/en/curator/items/{item.pk}/decide/approve", follow=True)
    assert response.status_code == 200
    assert "does not include the web" in response.text
    item.refresh_from_db()
    assert item.status == Item.Status.SUBMITTED and item.published_at is None


def test_reject_needs_a_reason_that_reaches_the_receipt(moderator, as_user):
    item = submission()
    client = as_user(moderator)
    response = client.post(f"/en/curator/items/{item.pk}/decide/reject", {"reason": "  "}, follow=True)
    assert "Give the contributor a reason" in response.text
    item.refresh_from_db()
    assert item.status == Item.Status.SUBMITTED
    client.post(f"/en/curator/items/{item.pk}/decide/reject",
                {"reason": "The photo shows a bystander's face clearly."})
    item.refresh_from_db()
    assert item.status == Item.Status.REJECTED
    assert item.moderation_note == "The photo shows a bystander's face clearly."
    from archive import receipts
    from archive.models import Contribution

    item.contribution = Contribution.objects.create(token_hash="0" * 64)
    item.save()
    receipt = receipts.build_receipt(item.contribution)
    assert receipt["items"][0]["moderation_note"] == "The photo shows a bystander's face clearly."
    assert receipt["items"][0]["status"] == "rejected"


def test_request_changes(moderator, as_user):
    item = submission()
    as_user(moderator).post(f"/en/curator/items/{item.pk}/decide/request-changes",
                            {"reason": "Please add the year."})
    item.refresh_from_db()
    assert item.status == Item.Status.CHANGES_REQUESTED and item.moderation_note == "Please add the year."
    assert AuditEvent.objects.filter(action="item.changes_requested", actor__username="test-moderator").exists()


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_media_preview_streams_from_private_storage_to_staff_only(client, moderator, as_user, fresh_storage):
    item = submission()
    asset = MediaAsset.objects.create(kind="image", status="ready")
    key = storages["private"].save(f"derivatives/{asset.pk}/web.jpg", ContentFile(_jpeg()))
    asset.derivatives = {"web": key}
    asset.save()
    ItemMedia.objects.create(item=item, asset=asset, role="photo")
    item.content_warnings = ["injury"]
    item.save()
    url = f"/en/curator/media/{asset.pk}/web"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    staff = as_user(moderator)
    review = staff.get(f"/en/curator/items/{item.pk}/")
    # The preview sits behind the content warning (a closed <details>).
    assert "Content warning: Injury or wounds" in review.text and '<details class="cw-gate">' in review.text
    assert url in review.text
    response = staff.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == _jpeg()
    assert staff.get(f"/en/curator/media/{asset.pk}/missing").status_code == 404
    assert public_files() == []


def public_files() -> list[str]:
    root = storages["public"].location
    return [os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files]


@pytest.mark.postgres
def test_decisions_work_on_postgresql(curator, moderator, as_user):
    # Row locking differs on PostgreSQL (FOR UPDATE may not touch the nullable side of a join).
    published, changed = submission(), submission()
    assert as_user(curator).post(f"/en/curator/items/{published.pk}/decide/approve").status_code == 302
    assert as_user(moderator).post(f"/en/curator/items/{changed.pk}/decide/request-changes",
                                   {"reason": "Add the year."}).status_code == 302
    published.refresh_from_db()
    changed.refresh_from_db()
    assert published.status == Item.Status.PUBLISHED and changed.status == Item.Status.CHANGES_REQUESTED

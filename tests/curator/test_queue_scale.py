"""The moderation queue for a remembrance-day surge: filters from choices, the queue's age,
assignment, bulk decisions through the single-item services (all or nothing), and the review
page's single "Media" heading."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from archive.models import AuditEvent, Item, ItemMedia
from media_pipeline.models import MediaAsset
from tests.curator.test_moderation import _jpeg
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db

SCOPES = ["web", "search", "exhibition", "iiif", "memorial_wall"]


def submission(title, *, days=0, scopes=SCOPES, **fields):
    item = ItemFactory(status=Item.Status.SUBMITTED, published_at=None, title={"en": title},
                       consent={"scopes": scopes}, **fields)
    if days:
        Item.objects.filter(pk=item.pk).update(created_at=timezone.now() - dt.timedelta(days=days))
    return item


def titles(response) -> set[str]:
    return {t for t in ("Old photo", "New testimony", "Arabic story", "Mine") if f">{t}</a>" in response.text}


@pytest.mark.postgres
def test_filters_by_kind_language_age_and_assignment(moderator, curator, as_user):
    submission("Old photo", days=9, kind=Item.Kind.PHOTOGRAPH)
    submission("New testimony", kind=Item.Kind.TESTIMONY)
    submission("Arabic story", days=2, kind=Item.Kind.OBJECT_STORY, original_language="ar")
    submission("Mine", kind=Item.Kind.TESTIMONY, assigned_to=moderator)
    client = as_user(moderator)
    everything = client.get("/en/curator/queue/")
    assert titles(everything) == {"Old photo", "New testimony", "Arabic story", "Mine"}
    # The queue's age: the oldest submission has waited 9 days.
    assert "the oldest has waited 1\xa0week" in everything.text
    assert titles(client.get("/en/curator/queue/", {"kind": "photograph"})) == {"Old photo"}
    assert titles(client.get("/en/curator/queue/", {"language": "ar"})) == {"Arabic story"}
    assert titles(client.get("/en/curator/queue/", {"age": "1"})) == {"Old photo", "Arabic story"}
    assert titles(client.get("/en/curator/queue/", {"age": "7"})) == {"Old photo"}
    assert titles(client.get("/en/curator/queue/", {"assigned": "me"})) == {"Mine"}
    assert titles(client.get("/en/curator/queue/", {"assigned": "nobody"})) == {"Old photo", "New testimony",
                                                                              "Arabic story"}
    # Assigned to me, as the curator, is nothing: it is someone else's.
    assert titles(as_user(curator).get("/en/curator/queue/", {"assigned": "me"})) == set()
    # A value that is not one of the choices filters nothing rather than failing.
    assert titles(client.get("/en/curator/queue/", {"kind": "<script>"})) == titles(everything)


def test_scopes_in_words_and_filters_as_choices(moderator, as_user):
    submission("Old photo")
    text = as_user(moderator).get("/en/curator/queue/").text
    assert "memorial_wall" not in text.replace('value="memorial_wall"', "")
    assert "Memorial wall (name)" in text
    for name in ("kind", "language", "age", "assigned", "action", "assignee"):
        assert f'<select name="{name}"' in text, name


def test_assign_from_the_review_page_and_release(moderator, as_user):
    item = submission("Old photo")
    client = as_user(moderator)
    client.post(f"/en/curator/items/{item.pk}/assign", {"to": "me"})
    item.refresh_from_db()
    assert item.assigned_to == moderator
    assert "Assigned to test-moderator." in client.get(f"/en/curator/items/{item.pk}/").text
    client.post(f"/en/curator/items/{item.pk}/assign", {"to": ""})
    item.refresh_from_db()
    assert item.assigned_to is None
    events = AuditEvent.objects.filter(action="item.assigned", item_id_ref=item.pk).order_by("at", "id")
    assert [e.after["assigned_to"] for e in events] == ["test-moderator", ""]


def test_bulk_approve_goes_through_approve_for_each(curator, as_user):
    items = [submission(f"Story {n}") for n in range(3)]
    response = as_user(curator).post("/en/curator/queue/bulk", {"items": [str(i.pk) for i in items],
                                                                "action": "approve"}, follow=True)
    assert "3 submissions done: Approve (publish, or vetted research only)." in response.text
    for item in items:
        item.refresh_from_db()
        assert item.status == Item.Status.PUBLISHED
        # The single-item service's own audit event and propagation report, once per item.
        assert AuditEvent.objects.filter(action="item.approved", item_id_ref=item.pk).count() == 1
        assert item.removal_reports.filter(trigger="publication").count() == 1


def test_bulk_approve_by_a_moderator_changes_nothing(moderator, as_user):
    items = [submission(f"Story {n}") for n in range(3)]
    response = as_user(moderator).post("/en/curator/queue/bulk", {"items": [str(i.pk) for i in items],
                                                                  "action": "approve"})
    assert response.status_code == 403
    assert set(Item.objects.filter(pk__in=[i.pk for i in items]).values_list("status", flat=True)) == {"submitted"}
    assert not AuditEvent.objects.filter(action="item.approved").exists()


@pytest.mark.postgres
def test_one_refusal_undoes_the_whole_bulk_approval(curator, as_user):
    fine = [submission("Story A"), submission("Story B")]
    no_web = submission("No web consent", scopes=["search"])
    response = as_user(curator).post("/en/curator/queue/bulk", {
        "items": [str(fine[0].pk), str(no_web.pk), str(fine[1].pk)], "action": "approve"}, follow=True)
    assert "Nothing was changed: “No web consent”" in response.text
    assert set(Item.objects.values_list("status", flat=True)) == {"submitted"}
    assert not AuditEvent.objects.filter(action="item.approved").exists()
    assert not any(i.removal_reports.exists() for i in fine)


def test_bulk_reject_and_request_changes_need_a_reason(moderator, as_user):
    items = [submission(f"Story {n}") for n in range(2)]
    client = as_user(moderator)
    ids = [str(i.pk) for i in items]
    refused = client.post("/en/curator/queue/bulk", {"items": ids, "action": "reject", "reason": "  "}, follow=True)
    assert "Give the contributors a reason" in refused.text
    assert set(Item.objects.values_list("status", flat=True)) == {"submitted"}
    client.post("/en/curator/queue/bulk", {"items": ids, "action": "request-changes",
                                           "reason": "Please blur the plate (synthetic)."})
    for item in items:
        item.refresh_from_db()
        assert item.status == Item.Status.CHANGES_REQUESTED
        assert item.moderation_note == "Please blur the plate (synthetic)."
    assert AuditEvent.objects.filter(action="item.changes_requested").count() == 2


def test_bulk_assign_and_bad_selections(moderator, curator, as_user):
    items = [submission(f"Story {n}") for n in range(2)]
    client = as_user(curator)
    client.post("/en/curator/queue/bulk", {"items": [str(i.pk) for i in items], "action": "assign",
                                           "assignee": str(moderator.pk)})
    assert set(Item.objects.values_list("assigned_to", flat=True)) == {moderator.pk}
    nothing = client.post("/en/curator/queue/bulk", {"action": "approve"}, follow=True)
    assert "Select at least one submission." in nothing.text
    garbage = client.post("/en/curator/queue/bulk", {"items": ["not-an-id"], "action": "approve"}, follow=True)
    assert "not a submission" in garbage.text
    gone = client.post("/en/curator/queue/bulk", {"items": [str(items[0].pk), "9b1f5a52-0000-4000-8000-000000000000"],
                                                  "action": "approve"}, follow=True)
    assert "no longer exists" in gone.text
    assert set(Item.objects.values_list("status", flat=True)) == {"submitted"}


def _with_thumb(item):
    asset = MediaAsset.objects.create(kind="image", status="ready")
    key = storages["private"].save(f"derivatives/{asset.pk}/thumb.jpg", ContentFile(_jpeg()))
    asset.derivatives = {"thumb_jpeg": key, "web": key}
    asset.save()
    ItemMedia.objects.create(item=item, asset=asset, role="photo")
    return asset


def test_thumbnails_behind_the_content_warning(moderator, as_user, fresh_storage):
    warned = submission("Old photo", content_warnings=["injury"])
    plain = submission("New testimony")
    warned_asset, plain_asset = _with_thumb(warned), _with_thumb(plain)
    text = as_user(moderator).get("/en/curator/queue/").text
    rows = {t: text[text.index(f'data-item="{i.pk}"'):] for t, i in (("warned", warned), ("plain", plain))}
    # The warned thumbnail follows a closed veil (CSS keeps it blurred until the veil is opened).
    warned_row = rows["warned"][:rows["warned"].index("</li>")]
    assert '<details class="cw-veil"><summary>Content warning: Injury or wounds. Show</summary></details>' in warned_row
    assert f"/en/curator/media/{warned_asset.pk}/thumb_jpeg" in warned_row
    plain_row = rows["plain"][:rows["plain"].index("</li>")]
    assert "<details class=\"cw-veil\">" not in plain_row and f"/en/curator/media/{plain_asset.pk}/thumb_jpeg" in plain_row


def test_review_page_says_media_once(moderator, as_user, fresh_storage):
    item = submission("Old photo")
    _with_thumb(item)
    text = as_user(moderator).get(f"/en/curator/items/{item.pk}/").text
    assert text.count(">Media<") == 1 and "<img" in text

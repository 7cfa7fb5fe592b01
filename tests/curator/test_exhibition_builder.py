"""Exhibition builder: consent at the door, ordering without JavaScript, captions, preview, schedule."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from archive import services
from archive.models import AuditEvent
from exhibitions.models import Exhibition
from tests.factories import ExhibitionEntryFactory, ExhibitionFactory, ItemFactory

pytestmark = pytest.mark.django_db


def order(exhibition):
    return list(exhibition.entries.order_by("position").values_list("item__title__en", flat=True))


def test_only_items_whose_consent_allows_exhibitions_are_offered_or_accepted(curator, as_user):
    exhibition = ExhibitionFactory(status="draft")
    allowed = ItemFactory(title={"en": "Allowed object"})
    no_scope = ItemFactory(title={"en": "Web only object"}, consent={"scopes": ["web"]})
    withdrawn = ItemFactory(title={"en": "Withdrawn object"})
    services.record_consent(withdrawn, scopes=[], withdrawn=True, propagate=False)
    client = as_user(curator)
    page = client.get(f"/en/curator/exhibitions/{exhibition.pk}/")
    assert "Allowed object" in page.text
    assert "Web only object" not in page.text and "Withdrawn object" not in page.text
    refused = client.post(f"/en/curator/exhibitions/{exhibition.pk}/add", {"item": str(no_scope.pk)}, follow=True)
    assert "does not allow it in an exhibition" in refused.text
    assert not exhibition.entries.exists()
    client.post(f"/en/curator/exhibitions/{exhibition.pk}/add", {"item": str(allowed.pk)})
    assert order(exhibition) == ["Allowed object"]
    assert AuditEvent.objects.filter(action="exhibition.entry_added", item_id_ref=allowed.pk).exists()


def test_move_buttons_reorder_without_javascript_and_drag_posts_the_whole_order(curator, as_user):
    exhibition = ExhibitionFactory()
    entries = [ExhibitionEntryFactory(exhibition=exhibition, item=ItemFactory(title={"en": t}), position=i)
               for i, t in enumerate(["A", "B", "C"])]
    client = as_user(curator)
    response = client.post(f"/en/curator/exhibitions/{exhibition.pk}/entries/{entries[2].pk}/move/up")
    assert response.status_code == 302 and response["Location"].endswith(f"#entry-{entries[2].pk}")
    assert order(exhibition) == ["A", "C", "B"]
    client.post(f"/en/curator/exhibitions/{exhibition.pk}/entries/{entries[0].pk}/move/down")
    assert order(exhibition) == ["C", "A", "B"]
    # Moving the first entry up changes nothing.
    client.post(f"/en/curator/exhibitions/{exhibition.pk}/entries/{entries[2].pk}/move/up")
    assert order(exhibition) == ["C", "A", "B"]
    ids = [entries[1].pk, entries[2].pk, entries[0].pk]
    ok = client.post(f"/en/curator/exhibitions/{exhibition.pk}/reorder", json.dumps({"order": ids}),
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json()["order"] == ids
    assert order(exhibition) == ["B", "C", "A"]
    bad = client.post(f"/en/curator/exhibitions/{exhibition.pk}/reorder", json.dumps({"order": ids[:2]}),
                      content_type="application/json")
    assert bad.status_code == 400 and order(exhibition) == ["B", "C", "A"]
    assert AuditEvent.objects.filter(action="exhibition.reordered").count() == 1


def test_caption_per_entry_and_preview_as_the_public_sees_it(curator, as_user):
    opening = timezone.now() + timedelta(days=30)
    exhibition = ExhibitionFactory(status="unlisted", publish_at=opening)
    shown = ExhibitionEntryFactory(exhibition=exhibition, item=ItemFactory(title={"en": "Shown object"}))
    hidden = ExhibitionEntryFactory(exhibition=exhibition, item=ItemFactory(title={"en": "Later withdrawn"}))
    services.record_consent(hidden.item, scopes=[], withdrawn=True, propagate=False)
    client = as_user(curator)
    client.post(f"/en/curator/exhibitions/{exhibition.pk}/entries/{shown.pk}/caption",
                {"en": "Kept in a drawer for twenty years.", "ar": "احتفظ به في درج"})
    shown.refresh_from_db()
    assert shown.caption == {"en": "Kept in a drawer for twenty years.", "ar": "احتفظ به في درج"}
    preview = client.get(f"/en/curator/exhibitions/{exhibition.pk}/preview")
    assert preview.status_code == 200
    assert "Kept in a drawer for twenty years." in preview.text and "Shown object" in preview.text
    public_part = preview.text.split('<article class="exhibition"')[1]
    assert "Later withdrawn" not in public_part
    assert "1 entry is hidden from the public by consent." in preview.text
    assert f"/en/preview/exhibition/{exhibition.preview_token}/" in preview.text


def test_scheduling_and_texts(curator, moderator, as_user):
    exhibition = ExhibitionFactory(status="draft", title={"en": "Draft"})
    assert as_user(moderator).get(f"/en/curator/exhibitions/{exhibition.pk}/settings").status_code == 403
    client = as_user(curator)
    data = {"status": "published", "publish_at": "2031-08-21T09:00", "unpublish_at": "2031-09-21T09:00",
            "title_en": "Objects that remember", "title_ar": "أشياء تتذكر", "summary_en": "A synthetic exhibition."}
    assert client.post(f"/en/curator/exhibitions/{exhibition.pk}/settings", data).status_code == 302
    exhibition.refresh_from_db()
    assert exhibition.status == "published" and exhibition.publish_at.year == 2031
    assert exhibition.title == {"en": "Objects that remember", "ar": "أشياء تتذكر"}
    # Not live before its day, live after: evaluated at read time.
    from exhibitions.selectors import live_exhibitions

    assert not live_exhibitions().filter(pk=exhibition.pk).exists()
    assert live_exhibitions(exhibition.publish_at + timedelta(minutes=1)).filter(pk=exhibition.pk).exists()
    backwards = client.post(f"/en/curator/exhibitions/{exhibition.pk}/settings",
                            {**data, "unpublish_at": "2031-08-01T09:00"})
    assert "must close after it opens" in backwards.text


def test_create_exhibition_as_draft(curator, as_user):
    client = as_user(curator)
    response = client.post("/en/curator/exhibitions/", {"title": "New one", "slug": "new-one"})
    exhibition = Exhibition.objects.get(slug="new-one")
    assert response["Location"].endswith(f"/curator/exhibitions/{exhibition.pk}/")
    assert exhibition.status == "draft" and exhibition.title == {"en": "New one"}

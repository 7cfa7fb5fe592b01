"""Description side by side, the consent panel with paper consent, the audit log and its CSV."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.models import AuditEvent, ConsentVersion
from tests.factories import EventFactory, ItemFactory, SubjectFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def paper_form(**overrides):
    data = {"scopes": ["web", "exhibition"], "name_display": "initials", "display_name": "Noor Fictif",
            "given_by_name": "Noor Fictif", "evidence": SimpleUploadedFile("../../etc/signed form.pdf", PDF,
                                                                           content_type="application/pdf")}
    data.update(overrides)
    return data


def test_archivist_paper_consent_creates_a_new_version_with_evidence(archivist, as_user):
    item = ItemFactory(consent={"scopes": ["web"], "name_display": "anonymous"})
    client = as_user(archivist)
    page = client.get(f"/en/curator/items/{item.pk}/consent")
    assert page.status_code == 200 and "Record a consent given on paper" in page.text
    response = client.post(f"/en/curator/items/{item.pk}/consent", paper_form())
    assert response.status_code == 302
    item.refresh_from_db()
    version = item.current_consent
    assert version.number == 2 and version.scopes == ["web", "exhibition"]
    assert version.given_by == ConsentVersion.GivenBy.CURATOR_PAPER and version.method == "paper"
    assert version.recorded_by.username == "test-archivist"
    # Stored privately under a generated name, never the uploaded path.
    assert version.evidence.name.startswith("consent-evidence/") and "etc" not in version.evidence.name
    assert version.evidence.storage is not None and version.evidence.read() == PDF
    assert item.consent_versions.count() == 2  # the old version is kept (append-only)
    event = AuditEvent.objects.get(action="consent.changed", item_id_ref=item.pk, target="consent v2")
    assert event.actor.username == "test-archivist"
    evidence = client.get(f"/en/curator/consent/{version.pk}/evidence")
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content) == PDF


def test_paper_consent_refuses_a_file_that_is_not_a_scan(archivist, as_user):
    item = ItemFactory()
    bad = SimpleUploadedFile("form.pdf", b"<html><script>alert(1)</script>", content_type="application/pdf")
    response = as_user(archivist).post(f"/en/curator/items/{item.pk}/consent", paper_form(evidence=bad))
    assert response.status_code == 200
    assert "is not a PDF, JPEG or PNG scan" in response.text
    assert item.consent_versions.count() == 1


def test_consent_panel_is_read_only_for_curators(curator, moderator, as_user):
    item = ItemFactory()
    client = as_user(curator)
    page = client.get(f"/en/curator/items/{item.pk}/consent")
    assert page.status_code == 200 and "Record a consent given on paper" not in page.text
    assert "v1" in page.text
    assert client.post(f"/en/curator/items/{item.pk}/consent", paper_form()).status_code == 403
    assert item.consent_versions.count() == 1


def test_description_side_by_side_with_translation_status(curator, moderator, as_user):
    event, subject = EventFactory(country="XA"), SubjectFactory()
    item = ItemFactory(title={"en": "A watch", "ar": "ساعة"}, original_language="en")
    assert as_user(moderator).get(f"/en/curator/items/{item.pk}/describe").status_code == 403
    client = as_user(curator)
    page = client.get(f"/en/curator/items/{item.pk}/describe")
    assert page.status_code == 200
    assert 'name="title_ar"' in page.text and 'dir="rtl"' in page.text
    assert "cw-status-original" in page.text and "cw-status-translated" in page.text
    assert "cw-status-missing" in page.text
    data = {"original_language": "en", "title_en": "A wristwatch", "title_ar": "ساعة يد", "title_fr": "Une montre",
            "country": "XA", "event": event.pk, "subjects": [subject.pk], "content_warnings": ["grief"],
            "rights": "http://creativecommons.org/licenses/by-nc-nd/4.0/", "place": "Eastport"}
    assert client.post(f"/en/curator/items/{item.pk}/describe", data).status_code == 302
    item.refresh_from_db()
    assert item.title == {"en": "A wristwatch", "ar": "ساعة يد", "fr": "Une montre"}
    assert item.event == event and list(item.subjects.all()) == [subject] and item.content_warnings == ["grief"]
    event_row = AuditEvent.objects.get(action="item.described", item_id_ref=item.pk)
    assert "title" in event_row.target and event_row.before["title"]["en"] == "A watch"
    # Vocabularies are enforced: an unknown country or rights URI is refused.
    bad = client.post(f"/en/curator/items/{item.pk}/describe", {**data, "country": "ZZ", "rights": "http://x/"})
    assert bad.status_code == 200 and "Select a valid choice" in bad.text


def test_audit_log_filters_and_csv(curator, archivist, moderator, as_user):
    a, b = ItemFactory(), ItemFactory()
    from archive import audit

    audit.record("item.described", actor=curator, item=a, target="title")
    audit.record("exhibition.entry_added", actor=curator, item=b, target="exhibition:x")
    audit.record("item.rejected", actor=moderator, item=b, target="=HYPERLINK(\"http://evil\")")
    assert as_user(moderator).get("/en/curator/audit/").status_code == 403
    client = as_user(archivist)
    by_item = client.get("/en/curator/audit/", {"item": str(a.pk)})
    assert row("item.described") in by_item.text and row("exhibition.entry_added") not in by_item.text
    by_person = client.get("/en/curator/audit/", {"person": "test-moderator"})
    assert row("item.rejected") in by_person.text and row("item.described") not in by_person.text
    by_action = client.get("/en/curator/audit/", {"action": "exhibition.entry_added"})
    assert row("exhibition.entry_added") in by_action.text and row("item.rejected") not in by_action.text
    response = client.get("/en/curator/audit.csv", {"item": str(b.pk)})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["at", "actor", "action", "action_label", "item", "item_title", "target", "before", "after"]
    assert {r[2] for r in rows[1:]} == {"consent.changed", "exhibition.entry_added", "item.rejected"}
    # A formula in a cell is neutralised for spreadsheets.
    assert any(r[6].startswith("'=HYPERLINK") for r in rows[1:])


def row(action: str) -> str:
    # The log shows an action in words; the data-action attribute keeps its key.
    return f'data-action="{action}"'



def test_archivist_carries_out_an_erasure_request(archivist, curator, as_user):
    from archive.models import Contribution, Item

    item = ItemFactory(contribution=Contribution.objects.create(token_hash="1" * 64),
                       title={"en": "To be erased"})
    assert as_user(curator).post(f"/en/curator/items/{item.pk}/erase",
                                 {"reference": "letter 12", "confirm": "erase"}).status_code == 403
    client = as_user(archivist)
    unconfirmed = client.post(f"/en/curator/items/{item.pk}/erase", {"reference": "letter 12"}, follow=True)
    assert "tick the confirmation" in unconfirmed.text
    item.refresh_from_db()
    assert item.status != Item.Status.ERASED
    client.post(f"/en/curator/items/{item.pk}/erase", {"reference": "letter 12", "confirm": "erase"})
    item.refresh_from_db()
    assert item.status == Item.Status.ERASED and item.title == {}
    assert AuditEvent.objects.filter(action="erasure.requested", target="letter 12",
                                     actor__username="test-archivist").exists()


def test_fixity_page_for_archivists(archivist, moderator, as_user):
    import io

    from archive.models import ItemMedia
    from media_pipeline import services as pipeline
    from tests.curator.test_redaction import noisy_jpeg

    item = ItemFactory()
    asset = pipeline.intake(io.BytesIO(noisy_jpeg(200, 150)), "p.jpg")
    pipeline.process(asset)
    ItemMedia.objects.create(item=item, asset=asset, role="photo")
    assert as_user(moderator).get(f"/en/curator/items/{item.pk}/fixity").status_code == 403
    page = as_user(archivist).get(f"/en/curator/items/{item.pk}/fixity")
    assert page.status_code == 200 and "intact (sha256 matches)" in page.text

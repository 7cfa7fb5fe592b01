"""Contributions, token lookup, consent changes, withdrawal, erasure, moderation, receipts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from archive import consent, contributions, moderation, receipts, surfaces
from archive.contributions import ContributionError, InvalidToken
from archive.models import AuditEvent, ConsentVersion, Contribution, Contributor, Item, RemovalReport
from memorial.logging import redact

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.usefixtures("own_surfaces")]

FULL = {"scopes": ["web", "search", "exhibition", "iiif"], "name_display": "full", "display_name": "Sam Fictional"}


def submit(**overrides):
    options = dict(kind="object_story", title="A blue scarf", story="It was my sister's scarf, synthetic story.",
                   language="en", files=[], consent=dict(FULL), contact_email="sam@example.org",
                   contributor_name="Sam Fictional")
    options.update(overrides)
    return contributions.submit_contribution(**options)


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_user("curator-test", password="x")


def test_submission_creates_item_in_moderation_with_first_consent():
    sub = submit()
    item = sub.items[0]
    assert item.status == Item.Status.SUBMITTED
    assert item.title == {"en": "A blue scarf"}
    assert item.current_consent.number == 1
    assert item.current_consent.scopes == ["web", "search", "exhibition", "iiif"]
    # Only the hash is stored; the token opens the contribution.
    assert sub.token not in sub.contribution.token_hash
    assert len(sub.token) >= 40
    assert contributions.contribution_for_token(sub.token) == sub.contribution
    assert sub.manage_path == f"/en/manage/{sub.token}/"
    assert not consent.allows(item, "web")  # in moderation: nowhere public
    assert AuditEvent.objects.filter(action="contribution.submitted", item_id_ref=item.pk).exists()


@pytest.mark.parametrize("bad, message", [
    ({"scopes": ["web", "billboard"]}, "Unknown scopes"),
    ({"scopes": "web"}, "Scopes must be a list"),
    ({"scopes": ["web"], "name_display": "full"}, "Give the name to display"),
    ({"scopes": ["web"], "name_display": "nickname", "display_name": "x"}, "Name display must be"),
    ({"scopes": ["web"], "expires_at": "2001-01-01"}, "must be in the future"),
    ({"scopes": ["web"], "embargo_until": "2099-01-02", "expires_at": "2099-01-01"}, "after the embargo"),
    ({"scopes": ["web"], "embargo_until": "next tuesday"}, "not a date we understand"),
    ({"scope": ["web"]}, "Unknown consent fields"),
])
def test_bad_consent_is_refused_and_leaves_nothing(bad, message):
    with pytest.raises(ContributionError, match=message):
        submit(consent=bad)
    assert not Item.objects.exists()
    assert not Contribution.objects.exists()
    assert not Contributor.objects.exists()
    assert not ConsentVersion.objects.exists()


@pytest.mark.parametrize("overrides, message", [
    ({"kind": "poem"}, "Kind must be one of"),
    ({"title": "  "}, "Title is required"),
    ({"story": "", "files": []}, "Tell the story"),
    ({"contact_email": "not-an-address"}, "e-mail address"),
    ({"language": "../etc"}, "Language must be"),
    ({"relationship": "neighbour"}, "Relationship must be"),
])
def test_bad_submission_fields_are_refused(overrides, message):
    with pytest.raises(ContributionError, match=message):
        submit(**overrides)
    assert not Item.objects.exists() and not Contributor.objects.exists()


def test_errors_are_translated():
    from django.utils import translation

    with translation.override("fr"), pytest.raises(ContributionError) as caught:
        submit(consent={"scopes": ["nowhere"]})
    # The message goes through gettext; without a French catalogue it stays readable English.
    assert "nowhere" in str(caught.value)


def test_contact_details_are_encrypted_at_rest():
    sub = submit()
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_email, name FROM archive_contributor WHERE id = %s", [sub.contribution.contributor_id])
        email, name = cursor.fetchone()
    assert "sam@example.org" not in email and "Sam" not in name


def test_token_lookup_does_the_same_work_for_every_wrong_token():
    sub = submit()
    wrong_but_wellformed = contributions.new_token()
    garbage = "x"
    for token in (wrong_but_wellformed, garbage, "", "ü" * 300, sub.token[:-1]):
        with CaptureQueriesContext(connection) as queries, pytest.raises(InvalidToken):
            contributions.contribution_for_token(token)
        assert len(queries) == 1
        # Looked up by the hash, never by the token itself.
        assert contributions.hash_token(token) in queries[0]["sql"] or "%s" in queries[0]["sql"]
        assert token not in queries[0]["sql"] or token == ""
    with CaptureQueriesContext(connection) as queries:
        contributions.contribution_for_token(sub.token)
    assert len(queries) == 1
    assert sub.contribution.token_hash == contributions.hash_token(sub.token)


def test_tokens_are_redacted_from_log_lines():
    token = contributions.new_token()
    for path in (f"/en/manage/{token}/", f"/api/consent/{token}/", f"/api/consent/{token}/receipt",
                 f"/api/consent/{token}/withdraw", f"/en/receipt/{token}/"):
        assert token not in redact(f'"GET {path} HTTP/1.1" 404 58')


def test_change_consent_appends_a_version_and_keeps_the_rest():
    sub = submit()
    embargo = timezone.now() + timedelta(days=30)
    (v2,) = contributions.change_consent(sub.contribution, scopes=["web"], embargo_until=embargo)
    assert v2.number == 2 and v2.scopes == ["web"]
    assert v2.embargo_until == embargo
    assert v2.name_display == "full" and v2.display_name == "Sam Fictional"
    (v3,) = contributions.change_consent(sub.contribution, embargo_until=contributions.CLEAR)
    assert v3.number == 3 and v3.embargo_until is None and v3.scopes == ["web"]
    assert ConsentVersion.objects.filter(item=sub.items[0]).count() == 3  # append-only
    with pytest.raises(ContributionError, match="Nothing to change"):
        contributions.change_consent(sub.contribution)
    with pytest.raises(ContributionError, match="do not belong"):
        contributions.change_consent(sub.contribution, excluded_media=[999999])


def test_withdrawal_closes_at_once_and_reports(curator, django_capture_on_commit_callbacks):
    sub = submit()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(sub.items[0], actor=curator)
    item = Item.objects.get(pk=sub.items[0].pk)
    assert consent.allows(item, "web")
    with django_capture_on_commit_callbacks(execute=True):
        reports = contributions.withdraw(sub.contribution)
    item.refresh_from_db()
    assert not any(consent.surfaces_now(item).values())
    assert item.current_consent.withdrawn
    (report,) = reports
    report.refresh_from_db()
    assert report.trigger == "withdrawal"
    assert report.completed_at is not None
    assert {e["surface"] for e in report.surfaces} == {s.name for s in surfaces.registered()}
    assert all(e.get("cleared_at") for e in report.surfaces)
    # Withdrawing twice changes nothing.
    again = contributions.withdraw(sub.contribution)
    assert [r.pk for r in again] == [report.pk]
    with pytest.raises(ContributionError, match="withdrawn"):
        contributions.change_consent(sub.contribution, scopes=["web"])


def test_erasure_leaves_only_a_tombstone(curator, django_capture_on_commit_callbacks):
    sub = submit()
    item_id = sub.items[0].pk
    with django_capture_on_commit_callbacks(execute=True):
        result = contributions.erase(sub.contribution)
    assert result["items"] == [str(item_id)]
    item = Item.objects.get(pk=item_id)
    assert item.status == Item.Status.ERASED
    assert item.title == {} and item.story == {} and item.contributor is None
    assert not Contributor.objects.exists()
    assert not ConsentVersion.objects.filter(item=item).exclude(display_name="").exists()
    contribution = Contribution.objects.get(pk=sub.contribution.pk)
    assert contribution.erased_at is not None
    assert AuditEvent.objects.filter(action="contribution.erased", item_id_ref=item_id).exists()
    assert not any("Sam" in str(e.before) + str(e.after) for e in AuditEvent.objects.all())
    with pytest.raises(ContributionError, match="erased"):
        contributions.withdraw(contribution)
    assert contributions.erase(contribution)["erased_at"] == result["erased_at"]  # idempotent


def test_nobody_can_publish_an_item_whose_consent_lacks_web(curator):
    sub = submit(consent={"scopes": ["search", "iiif"]})
    with pytest.raises(moderation.ModerationError, match="does not include the web"):
        moderation.approve(sub.items[0], actor=curator)
    assert Item.objects.get(pk=sub.items[0].pk).status == Item.Status.SUBMITTED


def test_approve_reject_and_request_changes_are_audited(curator, django_capture_on_commit_callbacks):
    sub = submit()
    item = sub.items[0]
    with pytest.raises(moderation.ModerationError, match="reason"):
        moderation.reject(item, actor=curator, reason=" ")
    moderation.request_changes(item, actor=curator, reason="Please remove the street name.")
    assert item.status == Item.Status.CHANGES_REQUESTED
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(item, actor=curator)
    assert item.status == Item.Status.PUBLISHED and item.published_at is not None
    report = RemovalReport.objects.filter(item=item, trigger="publication").get()
    assert report.completed_at is not None
    with pytest.raises(moderation.ModerationError, match="already published"):
        moderation.approve(item, actor=curator)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.reject(item, actor=curator, reason="Identifies a third party.")
    assert not consent.allows(Item.objects.get(pk=item.pk), "web")
    assert RemovalReport.objects.filter(item=item, trigger="unpublication").exists()
    actions = list(AuditEvent.objects.filter(item_id_ref=item.pk).values_list("action", flat=True))
    for action in ("item.changes_requested", "item.approved", "item.rejected"):
        assert action in actions
    assert AuditEvent.objects.get(action="item.approved").actor == curator


def test_receipt_is_signed_and_says_what_was_consented(curator, django_capture_on_commit_callbacks):
    sub = submit()
    contributions.change_consent(sub.contribution, scopes=["web", "search"])
    receipt = receipts.build_receipt(sub.contribution, token=sub.token)
    (entry,) = receipt["items"]
    assert entry["id"] == str(sub.items[0].pk)
    assert entry["consent"]["scopes"] == ["web", "search"]
    assert [v["version"] for v in entry["history"]] == [1, 2]
    assert entry["consent"]["given_by"] == "self"
    assert receipt["how_to_change"]["manage_url"].endswith(sub.manage_path)
    assert receipts.verify(receipts.sign(receipt)) == receipt
    signed = receipts.sign(receipt)
    with pytest.raises(receipts.InvalidReceipt):
        receipts.verify(signed[:-2] + ("A" if signed[-2] != "A" else "B") + signed[-1])
    # Without the token (not stored) the receipt has no private links.
    assert "manage_url" not in receipts.build_receipt(sub.contribution)["how_to_change"]


def test_a_failing_surface_is_recorded_and_retried(curator, django_capture_on_commit_callbacks, monkeypatch):
    # Fault injection: a surface whose backend is down for its first two calls.
    calls = []

    def flaky(item):
        calls.append(item.pk)
        if len(calls) <= 2:
            raise ConnectionError("backend unreachable")
        return "cleared on retry"

    sub = submit()
    with surfaces.register_temporarily(_surface("flaky", flaky)), django_capture_on_commit_callbacks(execute=True):
        moderation.approve(sub.items[0], actor=curator)
    report = RemovalReport.objects.get(item=sub.items[0], trigger="publication")
    assert report.completed_at is not None
    assert report.attempts == 3
    entry = next(e for e in report.surfaces if e["surface"] == "flaky")
    assert entry["detail"] == "cleared on retry" and "error" not in entry
    failures = AuditEvent.objects.filter(action="consent.propagation_failed", item_id_ref=sub.items[0].pk)
    assert failures.count() == 2
    assert failures.first().after["failed"] == ["flaky"]


def test_a_surface_that_stays_down_leaves_the_report_incomplete_with_its_error(
        curator, django_capture_on_commit_callbacks, monkeypatch):
    def down(item):
        raise ConnectionError("still down")

    sub = submit()
    with surfaces.register_temporarily(_surface("down", down)), django_capture_on_commit_callbacks(execute=True):
        (report,) = contributions.withdraw(sub.contribution)
    report.refresh_from_db()
    assert report.completed_at is None
    entry = next(e for e in report.surfaces if e["surface"] == "down")
    assert "still down" in entry["error"]
    # The other surfaces were still cleared.
    assert all(e.get("cleared_at") for e in report.surfaces if e["surface"] != "down")
    summary = receipts.report_summary(report)
    assert any(s.get("error") for s in summary["surfaces"])


class _Locating(surfaces.Surface):
    name = "locating"
    propagates = False

    def locate(self, item):
        return [f"Exhibition for {item.kind}"]


def _surface(name, fn):
    """A test surface whose propagation is `fn`."""
    return type(f"Surface_{name}", (surfaces.Surface,), {"name": name, "label": name,
                                                          "propagate": lambda self, item: fn(item)})()


@pytest.fixture
def only_test_locator():
    with surfaces.register_temporarily(_Locating(), only=True):
        yield


def test_where_it_appears_uses_the_policy_and_registered_locators(curator, only_test_locator):
    sub = submit(consent={"scopes": ["web", "exhibition"]})
    (before,) = contributions.where_it_appears(sub.contribution)
    assert before["surfaces"]["web"] is False and before["exhibitions"] == []
    moderation.approve(sub.items[0], actor=curator)
    (after,) = contributions.where_it_appears(sub.contribution)
    assert after["surfaces"] == {"web": True, "search": False, "exhibition": True, "iiif": False,
                                 "memorial_wall": False, "research": False}
    assert after["exhibitions"] == ["Exhibition for object_story"]


def _files_under(root) -> list:
    import os

    return [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs]


def test_a_refused_file_leaves_nothing_behind(settings):
    from media_pipeline.models import MediaAsset
    from tests.consent.media import not_an_image, photo

    roots = [settings.STORAGES[alias]["OPTIONS"]["location"] for alias in ("private", "public")]
    before = {root: set(_files_under(root)) for root in roots}  # storage is shared by the process's tests
    with pytest.raises(ContributionError, match="holiday.jpg"):
        submit(files=[photo(), not_an_image()])
    assert not Item.objects.exists() and not MediaAsset.objects.exists() and not Contributor.objects.exists()
    for root in roots:
        assert set(_files_under(root)) == before[root]


def test_photo_is_published_on_approval_and_retracted_on_withdrawal(
        curator, client, django_capture_on_commit_callbacks, settings):
    from media_pipeline import services as media
    from tests.consent.media import photo

    with django_capture_on_commit_callbacks(execute=True):
        sub = submit(files=[photo()])
    use = sub.items[0].media.get()
    assert use.role == "photo"
    use.asset.refresh_from_db()
    assert use.asset.status == "ready", use.asset.failure_reason
    assert media.public_urls(use.asset) == {}
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(sub.items[0], actor=curator)
    use.asset.refresh_from_db()
    urls = media.public_urls(use.asset)
    assert urls
    local = {name: url.replace(settings.SITE_URL, "") for name, url in urls.items() if name != "iiif"}
    for url in local.values():
        assert client.get(url).status_code == 200
    assert client.get(urls["iiif"].replace(settings.SITE_URL, "") + "/info.json").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        contributions.withdraw(sub.contribution)
    use.asset.refresh_from_db()
    assert media.public_urls(use.asset) == {}
    for url in local.values():
        assert client.get(url).status_code == 404
    assert client.get(urls["iiif"].replace(settings.SITE_URL, "") + "/info.json").status_code == 404
    # Masters are kept private for the retention decision until erasure.
    assert use.asset.master_key
    with django_capture_on_commit_callbacks(execute=True):
        contributions.erase(sub.contribution)
    use.asset.refresh_from_db()
    assert use.asset.status == "erased" and not use.asset.master_key
    private_root = settings.STORAGES["private"]["OPTIONS"]["location"]
    assert [f for f in _files_under(private_root) if str(use.asset.pk) in f] == []

"""The REST API contract of issue 3: submission, consent management by token, curators, public items."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from archive import contributions, receipts, surfaces
from archive.models import Item
from tests.factories import ItemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

CONSENT = {"scopes": ["web", "search", "iiif", "exhibition"], "name_display": "initials", "display_name": "Rana Fictive"}


@pytest.fixture
def api():
    return APIClient()


def user_with(django_user_model, *codenames, name="staff"):
    user = django_user_model.objects.create_user(name, password="x")
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename, content_type__app_label="archive"))
    return user


def submit(api, **overrides):
    data = {"kind": "testimony", "title": "What I saw that morning", "story": "A synthetic testimony.",
            "language": "en", "consent": json.dumps(CONSENT), "contact_email": "rana@example.org"}
    data.update(overrides)
    return api.post("/api/contributions/", data, format="multipart")


def token_of(response) -> str:
    return response.json()["manage_url"].rstrip("/").rsplit("/", 1)[-1]


def test_submission_returns_private_links(api):
    response = submit(api)
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) >= {"id", "manage_url", "receipt_url"}
    token = token_of(response)
    assert len(token) >= 40
    assert body["manage_url"].startswith("http://testserver/en/manage/")
    item = Item.objects.get(contribution_id=body["id"])
    assert item.status == Item.Status.SUBMITTED
    assert item.current_consent.method == "api"


def test_bad_submission_is_a_clear_400_and_leaves_nothing(api):
    response = submit(api, consent=json.dumps({"scopes": ["web", "everywhere"]}))
    assert response.status_code == 400
    assert "Unknown scopes" in response.json()["detail"]
    response = submit(api, consent="{not json")
    assert response.status_code == 400
    assert "consent" in response.json()
    assert not Item.objects.exists()


@pytest.mark.parametrize("consent, message", [
    ({**CONSENT, "display_name": "Rana \udc00Fictive"}, "not valid text"),
    ({**CONSENT, "embargo_until": "9999-12-31T23:59:59-23:59"}, "out of range"),
])
def test_malformed_consent_values_are_a_400_not_a_crash(api, consent, message):
    # Sent as raw JSON: "\udc00" is a valid JSON escape that decodes to a lone surrogate.
    body = json.dumps({"kind": "testimony", "title": "t", "story": "s", "language": "en", "consent": consent})
    response = api.generic("POST", "/api/contributions/", body, content_type="application/json")
    assert response.status_code == 400 and message in response.json()["detail"]
    assert not Item.objects.exists()


def test_control_characters_never_reach_the_stored_display_name(api):
    response = submit(api, consent=json.dumps({**CONSENT, "name_display": "full", "display_name": "Rana\u0000 Fictive"}))
    assert response.status_code == 201, response.content
    item = Item.objects.get(contribution_id=response.json()["id"])
    assert item.current_consent.display_name == "Rana Fictive"


def test_consent_state_change_and_receipt(api):
    token = token_of(submit(api))
    state = api.get(f"/api/consent/{token}/").json()
    (entry,) = state["items"]
    assert entry["consent"]["scopes"] == ["web", "search", "exhibition", "iiif"]
    assert entry["appears_now"]["web"] is False  # still in moderation
    embargo = (timezone.now() + timedelta(days=10)).isoformat()
    response = api.patch(f"/api/consent/{token}/", {"scopes": ["web"], "embargo_until": embargo}, format="json")
    assert response.status_code == 200, response.content
    (entry,) = response.json()["items"]
    assert entry["consent"]["version"] == 2 and entry["consent"]["scopes"] == ["web"]
    assert [v["version"] for v in entry["history"]] == [1, 2]
    response = api.patch(f"/api/consent/{token}/", {"embargo_until": None}, format="json")
    assert response.json()["items"][0]["consent"]["embargo_until"] is None
    response = api.patch(f"/api/consent/{token}/", {"scopes": ["billboard"]}, format="json")
    assert response.status_code == 400
    document = api.get(f"/api/consent/{token}/receipt").json()
    assert receipts.verify(document["signature"]) == document["receipt"]
    assert document["receipt"]["items"][0]["consent"]["version"] == 3


def test_wrong_guessed_and_malformed_tokens_get_the_same_404(api):
    real = token_of(submit(api))
    candidates = [contributions.new_token(), real[:-1] + ("A" if real[-1] != "A" else "B"), "short", "%00..",
                  "a" * 500]
    answers = set()
    counts = set()
    for token in candidates:
        for method, suffix in (("get", "/"), ("patch", "/"), ("post", "/withdraw"), ("post", "/erase"),
                               ("get", "/receipt")):
            with CaptureQueriesContext(connection) as queries:
                response = getattr(api, method)(f"/api/consent/{token}{suffix}", {}, format="json")
            answers.add((response.status_code, response.content))
            counts.add(len(queries))
    assert len(answers) == 1
    status, body = answers.pop()
    assert status == 404 and b"not valid" in body
    assert counts == {1}  # one lookup by hash, whatever the token looks like


def test_withdraw_and_erase_through_the_token(api, django_user_model, django_capture_on_commit_callbacks):
    response = submit(api)
    token = token_of(response)
    curator = user_with(django_user_model, "publish_item", "moderate_item")
    api.force_authenticate(curator)
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(f"/api/curator/contributions/{response.json()['id']}/approve").status_code == 200
    api.force_authenticate(None)
    item_id = response.json()["items"][0]
    assert api.get(f"/api/items/{item_id}/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/consent/{token}/withdraw")
    assert response.status_code == 200
    (report,) = response.json()["removal_reports"]
    assert report["trigger"] == "withdrawal" and report["requested_at"]
    # Inside the test's transaction the task runs after the response: the receipt shows it done.
    assert api.get(f"/api/items/{item_id}/").status_code == 404
    receipt = api.get(f"/api/consent/{token}/receipt").json()["receipt"]
    done = receipt["items"][0]["removal_report"]
    assert done["trigger"] == "withdrawal" and done["completed_at"]
    assert {e["surface"] for e in done["surfaces"]} == {s.name for s in surfaces.registered()}
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/consent/{token}/erase")
    assert response.status_code == 200 and response.json()["items"] == [item_id]
    assert Item.objects.get(pk=item_id).status == Item.Status.ERASED


def test_curator_permissions(api, django_user_model):
    body = submit(api).json()
    api.force_authenticate(None)
    assert api.get("/api/curator/contributions/").status_code in (401, 403)
    moderator = user_with(django_user_model, "moderate_item", name="moderator")
    api.force_authenticate(moderator)
    queue = api.get("/api/curator/contributions/").json()
    assert [e["id"] for e in queue["results"]] == body["items"]
    assert queue["results"][0]["consent"]["scopes"] == ["web", "search", "exhibition", "iiif"]
    # A moderator cannot publish.
    assert api.post(f"/api/curator/contributions/{body['id']}/approve").status_code == 403
    response = api.post(f"/api/curator/contributions/{body['id']}/reject", {"reason": "Names a neighbour."})
    assert response.status_code == 200
    assert response.json()[0]["status"] == "rejected"
    assert api.post(f"/api/curator/contributions/{body['id']}/reject", {}).status_code == 400
    nobody = user_with(django_user_model, name="nobody")
    api.force_authenticate(nobody)
    assert api.get("/api/curator/contributions/").status_code == 403


def test_approval_refused_without_web_consent(api, django_user_model):
    body = submit(api, consent=json.dumps({"scopes": ["search"]})).json()
    api.force_authenticate(user_with(django_user_model, "publish_item"))
    response = api.post(f"/api/curator/contributions/{body['items'][0]}/approve")
    assert response.status_code == 400
    assert "does not include the web" in response.json()["detail"]
    assert Item.objects.get(pk=body["items"][0]).status == Item.Status.SUBMITTED


def test_public_items_show_only_what_consent_allows(api):
    shown = ItemFactory(consent={"scopes": ["web"], "name_display": "initials", "display_name": "Rana Fictive"})
    hidden = [
        ItemFactory(consent={"scopes": ["search", "iiif"]}),
        ItemFactory(consent={"scopes": ["web"], "embargo_until": timezone.now() + timedelta(days=1)}),
        ItemFactory(consent={"scopes": ["web"], "expires_at": timezone.now() - timedelta(seconds=1)}),
        ItemFactory(consent={"scopes": ["web"], "withdrawn": True}),
        ItemFactory(status=Item.Status.SUBMITTED, consent={"scopes": ["web"]}),
    ]
    listing = api.get("/api/items/").json()
    assert [row["id"] for row in listing["results"]] == [str(shown.pk)]
    detail = api.get(f"/api/items/{shown.pk}/").json()
    assert detail["name"] == "R. F."
    assert "Rana Fictive" not in json.dumps(listing) + json.dumps(detail)
    for item in hidden:
        assert api.get(f"/api/items/{item.pk}/").status_code == 404
        assert item.title["en"] not in json.dumps(listing)
    assert api.get("/api/items/not-a-uuid/").status_code == 404


def test_public_list_costs_a_fixed_number_of_queries(api):
    for _ in range(3):
        ItemFactory(consent={"scopes": ["web"]})
    with CaptureQueriesContext(connection) as few:
        api.get("/api/items/")
    for _ in range(6):
        ItemFactory(consent={"scopes": ["web"]})
    with CaptureQueriesContext(connection) as many:
        api.get("/api/items/")
    assert len(many) == len(few)


def test_schema_lists_the_contract(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = json.loads(response.content)["paths"] if response["Content-Type"].startswith("application/json") \
        else response.content.decode()
    for expected in ("/api/contributions/", "/api/consent/{token}/", "/api/consent/{token}/withdraw",
                     "/api/consent/{token}/erase", "/api/consent/{token}/receipt", "/api/curator/contributions/",
                     "/api/curator/contributions/{id}/approve", "/api/items/{id}/"):
        assert expected in paths


def test_tokens_never_reach_the_logs(api):
    import io
    import logging

    from memorial.logging import RedactTokensFilter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactTokensFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        real = token_of(submit(api))
        guessed = contributions.new_token()
        for token in (real, guessed):
            api.get(f"/api/consent/{token}/receipt")
            api.post(f"/api/consent/{token}/withdraw")
            api.patch(f"/api/consent/{token}/", {"scopes": ["nowhere"]}, format="json")  # 400 for the real one
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "/api/consent/[redacted]" in text  # the 4xx answers were logged...
    assert real not in text and guessed not in text  # ...without the tokens

"""IIIF Authorization Flow 2.0 on research items: probe, access, token and logout services, the
research manifest and image service (validated with the vendored Presentation 3 schema), the image
bytes from private storage."""

import io
import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from archive import services as archive_services
from archive.models import AuditEvent
from archive.research.models import ResearchAccess
from tests.iiif import schema
from tests.iiif.media import recorded_testimony

pytestmark = pytest.mark.django_db

ORIGIN = "https://viewer.example.org"


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def _manifest(client, item, **headers) -> dict:
    response = client.get(reverse("iiif:research_manifest", args=[item.pk]), **headers)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    doc = json.loads(response.content)
    assert schema.errors(doc) == []
    return doc


def _probe(client, doc, token=None) -> dict:
    body = doc["items"][0]["items"][0]["items"][0]["body"]
    [probe] = [s for s in body["service"] if s["type"] == "AuthProbeService2"]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    response = client.get(_path(probe["id"]), **headers)
    assert response.status_code == 200  # the probe's own status is always 200
    return json.loads(response.content)


def _token(client) -> str:
    page = client.get(reverse("iiif:research_token"), {"messageId": "m1", "origin": ORIGIN})
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert f"frame-ancestors {ORIGIN}" in page["Content-Security-Policy"]
    message = json.loads(re.search(rb'id="iiif-token-message" type="application/json">(.*?)</script>',
                                   page.content).group(1))
    target = json.loads(re.search(rb'id="iiif-token-target" type="application/json">(.*?)</script>',
                                  page.content).group(1))
    assert target == ORIGIN and message["messageId"] == "m1"
    return message


def test_anonymous_gets_401_and_the_access_services(client, shared):
    item, use = shared
    doc = _manifest(client, item)
    assert doc["label"]["en"] == ["Item for vetted research"]
    assert "metadata" not in doc and "summary" not in doc  # nothing of the contributor's words
    body = doc["items"][0]["items"][0]["items"][0]["body"]
    [probe] = [s for s in body["service"] if s["type"] == "AuthProbeService2"]
    [access] = probe["service"]
    assert access["type"] == "AuthAccessService2" and access["profile"] == "active" and access["label"]["en"]
    assert {s["type"] for s in access["service"]} == {"AuthAccessTokenService2", "AuthLogoutService2"}
    result = _probe(client, doc)
    assert result == {**result, "@context": "http://iiif.io/api/auth/2/context.json", "type": "AuthProbeResult2",
                      "status": 401}
    assert "location" not in result
    preflight = client.options(_path(probe["id"]))  # a viewer elsewhere sends the token in a header
    assert preflight.status_code == 204 and "Authorization" in preflight["Access-Control-Allow-Headers"]
    assert client.get(_path(body["id"])).status_code == 401
    message = _token(client)
    assert message["type"] == "AuthAccessTokenError2" and message["profile"] == "missingAspect"
    info = client.get(_path(body["service"][1]["id"]) + "/info.json")
    assert info.status_code == 200 and json.loads(info.content)["service"][0]["type"] == "AuthProbeService2"


def test_a_signed_in_researcher_gets_a_token_a_200_probe_and_the_image(client, shared, researcher, fresh_storage):
    item, use = shared
    client.force_login(researcher)
    message = _token(client)
    assert message["type"] == "AuthAccessToken2" and message["expiresIn"] > 0
    client.logout()  # the token alone answers the probe, as a viewer on another origin sends it
    doc = _manifest(client, item, HTTP_AUTHORIZATION=f"Bearer {message['accessToken']}")
    assert doc["label"]["en"] == [item.title["en"]] and doc["metadata"]
    assert _probe(client, doc, message["accessToken"])["status"] == 200
    assert _probe(client, doc, "not-a-token")["status"] == 401
    body = doc["items"][0]["items"][0]["items"][0]["body"]
    image = client.get(_path(body["id"]), HTTP_AUTHORIZATION=f"Bearer {message['accessToken']}")
    assert image.status_code == 200 and "no-store" in image["Cache-Control"]
    decoded = Image.open(io.BytesIO(b"".join(image.streaming_content)))
    decoded.load()
    assert decoded.size == (body["width"], body["height"])
    assert set(AuditEvent.objects.filter(action="research.viewed").values_list("target", flat=True)) == {
        "IIIF manifest", f"IIIF image {use.pk}"}
    assert not [p for p in fresh_storage["public"].rglob("*") if p.is_file()]  # served from private storage


def test_an_expired_researcher_gets_401(client, shared, researcher):
    item, _use = shared
    client.force_login(researcher)
    token = _token(client)["accessToken"]
    doc = _manifest(client, item)
    assert _probe(client, doc, token)["status"] == 200
    ResearchAccess.objects.filter(user=researcher).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _probe(client, doc, token)["status"] == 401
    assert _probe(client, doc)["status"] == 401  # the session alone neither
    message = _token(client)
    assert message["type"] == "AuthAccessTokenError2" and message["profile"] == "expiredAspect"


def test_withdrawing_research_gives_401_at_once(client, shared, researcher):
    item, _use = shared
    client.force_login(researcher)
    token = _token(client)["accessToken"]
    doc = _manifest(client, item)
    body = doc["items"][0]["items"][0]["items"][0]["body"]
    assert _probe(client, doc, token)["status"] == 200
    archive_services.record_consent(item, scopes=[], actor_label="contributor", propagate=False)
    assert _probe(client, doc, token)["status"] == 401
    assert client.get(_path(body["id"]), HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 404
    assert client.get(reverse("iiif:research_manifest", args=[item.pk])).status_code == 404


def test_logout_ends_the_session_and_every_token(client, shared, researcher):
    item, _use = shared
    client.force_login(researcher)
    token = _token(client)["accessToken"]
    doc = _manifest(client, item)
    assert client.get(reverse("iiif:research_logout")).status_code == 200
    assert _probe(client, doc, token)["status"] == 401
    assert not client.session.get("_auth_user_id")


def test_the_access_service_signs_in_then_closes_its_tab(client, researcher):
    url = reverse("iiif:research_access") + f"?origin={ORIGIN}"
    response = client.get(url)
    assert response.status_code == 302 and reverse("sign-in") in response["Location"]
    response = client.post(response["Location"], {"username": "test-researcher",
                                                  "password": "pw-for-tests-researcher", "next": url}, follow=True)
    assert response.status_code == 200 and b"window.close()" in response.content
    assert f'nonce="{response.wsgi_request.csp_nonce}"'.encode() in response.content


def test_a_bad_origin_never_receives_a_token(client, researcher):
    client.force_login(researcher)
    page = client.get(reverse("iiif:research_token"), {"messageId": "m1", "origin": "javascript:alert(1)"})
    assert b"accessToken" not in page.content and b"invalidOrigin" in page.content
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_a_recording_is_a_canvas_behind_the_same_probe(client, researcher):
    item, recording, _transcript = recorded_testimony(consent={"scopes": ["research"]})
    doc = _manifest(client, item)
    [canvas] = doc["items"]
    body = canvas["items"][0]["items"][0]["body"]
    assert body["type"] == "Sound" and canvas["duration"] > 0
    assert _probe(client, doc)["status"] == 401
    assert client.get(_path(body["id"])).status_code == 401
    client.force_login(researcher)
    token = _token(client)["accessToken"]
    assert _probe(client, doc, token)["status"] == 200
    audio = client.get(_path(body["id"]))
    assert audio.status_code == 200 and audio["Content-Type"] == "audio/mp4"
    assert b"ftyp" in b"".join(audio.streaming_content)[:64]

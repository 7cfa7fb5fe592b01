"""Vetted researchers read what contributors opened to vetted people only: where two factors are
asked of staff (OTP_REQUIRED_FOR_STAFF, the default in production), they are asked of approved
researchers too. A session signed in with a password alone reads nothing, in the reading room or
through IIIF Authorization Flow 2.0, and the IIIF services say so in their own terms."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from archive.models import Item
from tests.factories import ItemFactory
from tests.research.test_iiif_auth import ORIGIN, _manifest, _probe, _token
from tests.security.test_two_factor import _code

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-researcher"


@pytest.fixture
def required(settings):
    settings.OTP_REQUIRED_FOR_STAFF = True


def _sign_in(client, username="test-researcher"):
    response = client.post("/en/account/sign-in/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_an_approved_researcher_sets_up_two_factor_before_the_reading_room(client, researcher, required):
    _sign_in(client)
    room = reverse("research:room")
    response = client.get(room)
    assert response.status_code == 302 and response["Location"] == f"/account/two-factor/?next={room}"
    setup = client.get(response["Location"])
    assert setup.status_code == 200 and "<svg" in setup.text  # the QR code to set up the app
    device = TOTPDevice.objects.get(user=researcher, confirmed=False)
    done = client.post("/account/two-factor/", {"code": _code(device), "next": room})
    assert done.status_code == 200 and len(done.context["codes"]) == 10  # recovery codes, shown once
    page = client.get(room)
    assert page.status_code == 200
    assert b"/en/account/recovery-codes/" in page.content  # now they have codes to renew


def test_iiif_services_refuse_a_password_only_session_in_their_own_terms(client, researcher, required):
    item = ItemFactory(kind=Item.Kind.PHOTOGRAPH, consent={"scopes": ["research"]})
    _sign_in(client)
    # The token service answers the viewer's iframe with an error it understands, not a redirect.
    message = _token(client)
    assert message["type"] == "AuthAccessTokenError2" and message["profile"] == "missingAspect"
    doc = _manifest(client, item)  # the manifest answers 200, without the description
    assert doc["label"]["en"] == ["Item for vetted research"] and "metadata" not in doc
    # The access service's window is a page: it goes through the second factor, then on.
    access = reverse("iiif:research_access") + f"?origin={ORIGIN}"
    response = client.get(access)
    assert response.status_code == 302 and response["Location"].startswith("/account/two-factor/?next=")


def test_after_the_second_factor_the_token_and_probe_open(client, researcher, required):
    item = ItemFactory(kind=Item.Kind.PHOTOGRAPH, consent={"scopes": ["research"]})
    device = TOTPDevice.objects.create(user=researcher, name="phone", confirmed=True)
    _sign_in(client)
    verified = client.post("/account/two-factor/", {"code": _code(device), "next": reverse("research:room")})
    assert verified.status_code == 302
    message = _token(client)
    assert message["type"] == "AuthAccessToken2"
    doc = _manifest(client, item, HTTP_AUTHORIZATION=f"Bearer {message['accessToken']}")
    assert doc["label"]["en"] == [item.title["en"]] and doc["metadata"]


def test_a_probe_with_a_password_only_session_is_401(client, researcher, required, shared):
    item, _use = shared
    _sign_in(client)
    doc = _manifest(client, item)
    assert _probe(client, doc)["status"] == 401


def test_an_applicant_not_yet_approved_is_not_asked(client, applicant, required):
    _sign_in(client, "test-applicant")
    page = client.get(reverse("research:room"))
    assert page.status_code == 200  # the room says the application waits; nothing to read yet


def test_without_the_requirement_and_without_a_device_nothing_changes(client, researcher, settings):
    settings.OTP_REQUIRED_FOR_STAFF = False
    _sign_in(client)
    assert client.get(reverse("research:room")).status_code == 200
    message = _token(client)
    assert message["type"] == "AuthAccessToken2"

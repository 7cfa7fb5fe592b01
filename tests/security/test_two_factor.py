"""Two-factor sign-in (TOTP) for staff: available always, required when OTP_REQUIRED_FOR_STAFF is on."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("staff-2fa", password="a-long-synthetic-pass-7", is_staff=True)


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def test_staff_without_a_device_is_sent_to_set_up_then_verified(client, staff, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/account/two-factor/?next=/admin/"

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "<svg" in page.text  # QR code for the authenticator app, inline SVG (no script)
    device = TOTPDevice.objects.get(user=staff, confirmed=False)

    wrong = client.post("/account/two-factor/", {"code": "000000" if _code(device) != "000000" else "111111",
                                                 "next": "/admin/"})
    assert wrong.status_code == 200 and "not right" in wrong.text
    assert client.get("/admin/").status_code == 302  # still not verified

    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    ok = client.post("/account/two-factor/", {"code": _code(device), "next": "/admin/"})
    # Set-up ends on the recovery codes, shown once, with the way on to where the user was going.
    assert ok.status_code == 200 and "no-store" in ok["Cache-Control"]
    assert len(ok.context["codes"]) == 10 and 'href="/admin/"' in ok.text
    assert client.get("/admin/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_next_cannot_send_the_user_off_site(client, staff, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client.force_login(staff)
    response = client.post("/account/two-factor/", {"code": _code(device), "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_curator_group_members_need_it_too_and_the_api_says_so(client, db, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    user = get_user_model().objects.create_user("curator-2fa", password="a-long-synthetic-pass-8")
    user.groups.add(Group.objects.create(name="curators-test"))
    client.force_login(user)
    assert client.get("/en/curator/").status_code == 302
    response = client.get("/api/items/")
    assert response.status_code == 403
    assert "Two-factor" in response.json()["detail"]


def test_visitors_and_plain_users_are_untouched(client, db, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    assert client.get("/en/").status_code == 200
    user = get_user_model().objects.create_user("visitor", password="a-long-synthetic-pass-9")
    client.force_login(user)
    assert client.get("/en/").status_code == 200


def test_optional_in_development_but_enforced_once_set_up(client, staff, settings):
    settings.OTP_REQUIRED_FOR_STAFF = False
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 302

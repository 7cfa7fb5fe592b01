"""Staff accounts: the archive's own sign-in page, sign-out, recovery codes, session expiry, unlock."""

import time

import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from archive.models import AuditEvent
from memorial import recovery
from memorial.auth import STAFF_UNTIL, locked_for, register_failure
from memorial.models import RecoveryCode
from tests.security.test_two_factor import _code

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-synthetic-pass-9"


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("staff-acc", password=PASSWORD, is_staff=True)


@pytest.mark.parametrize(("lang", "heading"), [
    ("en", "Sign in to the workspace"), ("ar", "تسجيل الدخول إلى مساحة العمل"), ("fr", "Se connecter à l’espace de travail"),
])
def test_sign_in_page_is_the_archives_own_in_its_language(client, lang, heading):
    page = client.get(f"/{lang}/account/sign-in/?next=/{lang}/curator/")
    assert page.status_code == 200
    assert heading in page.text and "Django administration" not in page.text
    assert 'class="quick-exit"' in page.text and f'lang="{lang}"' in page.text
    admin = client.get("/admin/login/")  # the admin's sign-in is the same page
    assert admin.status_code == 200 and "Django administration" not in admin.text and "account-box" in admin.text


def test_sign_in_then_workspace_then_sign_out_by_post_only(client, staff, settings):
    settings.OTP_REQUIRED_FOR_STAFF = False
    staff.user_permissions.add(*_perms("view_exhibition"))
    response = client.post("/en/account/sign-in/?next=/en/curator/",
                           {"username": "staff-acc", "password": PASSWORD, "next": "/en/curator/"})
    assert response.status_code == 302 and response["Location"] == "/en/curator/"
    workspace = client.get("/en/curator/")
    assert workspace.status_code == 200 and 'action="/en/account/sign-out/"' in workspace.text
    assert client.get("/en/account/sign-out/").status_code == 405  # a link cannot sign anyone out
    out = client.post("/en/account/sign-out/", follow=True)
    assert "You have signed out." in out.text
    assert client.get("/en/curator/").status_code == 302


def test_wrong_password_says_so_and_counts_toward_lockout(client, staff):
    page = client.post("/en/account/sign-in/", {"username": "staff-acc", "password": "wrong"})
    assert page.status_code == 200 and 'role="alert"' in page.text
    for _ in range(4):
        client.post("/en/account/sign-in/", {"username": "staff-acc", "password": "wrong"})
    assert locked_for("staff-acc") > 0
    locked = client.post("/en/account/sign-in/", {"username": "staff-acc", "password": PASSWORD})
    assert locked.status_code == 429


def test_recovery_codes_are_hashed_work_once_and_can_be_made_again(client, staff, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    codes = recovery.generate(staff)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = " ".join(f"{r.salt} {r.digest}" for r in RecoveryCode.objects.filter(user=staff))
    assert not any(recovery.normalise(c) in stored.upper() for c in codes)  # never kept in clear

    client.force_login(staff)
    assert client.get("/admin/").status_code == 302  # not verified yet
    used = client.post("/account/two-factor/", {"recovery_code": codes[0].lower(), "next": "/admin/"})
    assert used.status_code == 302 and used["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert recovery.remaining(staff) == 9
    assert AuditEvent.objects.filter(action="account.recovery_code_used", target="user:staff-acc").count() == 1

    client.logout()
    client.force_login(staff)
    again = client.post("/account/two-factor/", {"recovery_code": codes[0], "next": "/admin/"})
    assert again.status_code == 400 and "used already" in again.text
    assert client.get("/admin/").status_code == 302

    # Regenerating (in a verified session) replaces every earlier code.
    client.post("/account/two-factor/", {"code": _code(device), "next": "/admin/"})
    page = client.post("/en/account/recovery-codes/")
    assert page.status_code == 200 and len(page.context["codes"]) == 10
    assert not recovery.use(staff, codes[1])
    assert recovery.use(staff, page.context["codes"][0])


def test_recovery_codes_cannot_be_made_without_the_second_factor(client, staff, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client.force_login(staff)
    response = client.post("/en/account/recovery-codes/")
    assert response.status_code == 302 and response["Location"].startswith("/account/two-factor/")
    assert not RecoveryCode.objects.filter(user=staff).exists()


def test_staff_session_ends_after_its_age(client, staff, settings):
    settings.OTP_REQUIRED_FOR_STAFF = False
    settings.STAFF_SESSION_AGE = 3600
    staff.user_permissions.add(*_perms("view_exhibition"))
    client.post("/en/account/sign-in/", {"username": "staff-acc", "password": PASSWORD})
    assert client.session.get_expiry_age() == 3600
    assert client.get("/en/curator/").status_code == 200
    session = client.session
    session[STAFF_UNTIL] = time.time() - 1
    session.save()
    ended = client.get("/en/curator/exhibitions/")
    assert ended.status_code == 302 and ended["Location"].startswith("/en/account/sign-in/?next=")
    assert "Your session ended after 1 hours" in client.get(ended["Location"]).text
    assert client.get("/en/curator/").status_code == 302  # signed out, not only redirected


def test_administrator_lifts_a_lockout_from_the_admin_audited(client, staff, settings):
    settings.OTP_REQUIRED_FOR_STAFF = False
    admin = get_user_model().objects.create_superuser("admin-acc", password=PASSWORD)
    for _ in range(5):
        register_failure("staff-acc")
    assert locked_for("staff-acc") > 0
    client.force_login(admin)
    listing = client.get("/admin/auth/user/")
    assert listing.status_code == 200 and "Lift the sign-in lockout" in listing.text
    done = client.post("/admin/auth/user/", {"action": "lift_lockout", "_selected_action": [staff.pk]}, follow=True)
    assert "Lockout lifted: staff-acc." in done.text
    assert locked_for("staff-acc") == 0
    event = AuditEvent.objects.get(action="account.unlocked", target="user:staff-acc")
    assert event.actor == admin and event.before["locked_seconds"] > 0


def _perms(*codenames):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(codename__in=codenames)

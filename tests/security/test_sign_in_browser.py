"""Browser (Playwright, Debian's Chromium): a curator signs in on the archive's own page with
two-factor (the TOTP computed here), signs out from the workspace, signs in with a recovery code
(which then works no more), and makes new codes; axe finds nothing serious on these pages.
Screenshots go to artifacts/screenshots (docs/screenshots with MEMORIES_DOC_SCREENSHOTS=1)."""

import os

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from archive.curator.roles import setup_roles
from memorial import recovery
from tests.browser.conftest import axe_violations
from tests.curator.test_builder_browser import shot
from tests.security.test_two_factor import _code

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-synthetic-pass-11"


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 860},
                                   bypass_csp=True, locale="en-GB")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def no_serious(page, name):
    violations = axe_violations(page)
    assert not violations, f"{name}: {violations}"


def sign_in(page, next_path="/en/curator/"):
    page.goto(next_path)
    page.wait_for_url("**/account/sign-in/**")
    page.fill("#id_username", "curator-2fa")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/account/two-factor/**")


def test_sign_in_with_two_factor_then_a_recovery_code_once_then_sign_out(page, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    setup_roles(demo_users=False)
    user = get_user_model().objects.create_user("curator-2fa", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="curator"))
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    codes = recovery.generate(user)

    page.goto("/en/account/sign-in/")
    assert page.locator("h1").inner_text() == "Sign in to the workspace"
    no_serious(page, "sign-in")
    shot(page, "curator-sign-in")
    page.goto("/ar/account/sign-in/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    no_serious(page, "sign-in (ar)")
    shot(page, "curator-sign-in-ar")

    # Password, then the code from the app (computed here), then the workspace.
    sign_in(page)
    no_serious(page, "two-factor")
    page.fill("#id_code", _code(device))
    page.click("form:has(#id_code) button")
    page.wait_for_url("**/en/curator/")
    assert page.locator(".cw-user").inner_text() == "curator-2fa"
    no_serious(page, "dashboard")
    shot(page, "curator-dashboard")

    # Sign out from the workspace's header (a POST form on every workspace page).
    page.click(".cw-sign-out button")
    page.wait_for_url("**/account/sign-in/")
    assert "You have signed out." in page.inner_text("main")
    page.goto("/en/curator/")
    page.wait_for_url("**/account/sign-in/**")

    # Lost phone: a recovery code works once.
    sign_in(page)
    page.click("summary:has-text('Use a recovery code')")
    page.fill("#id_recovery_code", codes[0])
    page.click("text=Sign in with a recovery code")
    page.wait_for_url("**/en/curator/")
    assert "9 left" in page.inner_text(".cw-messages")
    page.click(".cw-sign-out button")
    page.wait_for_url("**/account/sign-in/")
    sign_in(page)
    page.click("summary:has-text('Use a recovery code')")
    page.fill("#id_recovery_code", codes[0])
    page.click("text=Sign in with a recovery code")
    # The refused form comes back as a new page: wait for it, not for the old one's text.
    expect(page.locator("main")).to_contain_text("used already")
    assert "/account/two-factor/" in page.url
    no_serious(page, "two-factor (refused code)")
    shot(page, "curator-two-factor")

    # With a fresh code, then new codes from the account page (shown once).
    page.fill("#id_recovery_code", codes[1])
    page.click("text=Sign in with a recovery code")
    page.wait_for_url("**/en/curator/")
    page.click(".cw-user")
    page.wait_for_url("**/account/recovery-codes/")
    assert "8 unused recovery codes" in page.inner_text("main")
    no_serious(page, "recovery codes")
    page.click("text=Make new recovery codes")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    shown = page.locator("#recovery-codes li").all_inner_texts()
    assert len(shown) == 10 and codes[2] not in shown
    no_serious(page, "new recovery codes")
    shot(page, "curator-recovery-codes")
    assert recovery.remaining(user) == 10

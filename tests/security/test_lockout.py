"""Lockout after repeated failed sign-ins: the right password no longer works until the lock ends."""

import time

import pytest
from django.contrib.auth import authenticate, get_user_model

from memorial import auth as lockout

PASSWORD = "a-long-synthetic-pass-42"


@pytest.fixture
def curator(db, settings):
    settings.LOGIN_LOCKOUT = {"attempts": 5, "window": 900, "lockout": 900}
    settings.RATE_LIMITS = {}  # the per-address limit is tested elsewhere; isolate the lockout here
    return get_user_model().objects.create_user("curator-lock", password=PASSWORD, is_staff=True)


def _login(client, password, username="curator-lock"):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def test_five_failures_lock_the_account_even_for_the_right_password(client, curator):
    for _ in range(5):
        response = _login(client, "wrong-guess")
        assert response.status_code == 200  # the ordinary "wrong password" form
    response = _login(client, PASSWORD)
    assert response.status_code == 429
    assert "locked" in response.text and "try again" in response.text
    assert int(response["Retry-After"]) > 800
    assert "_auth_user_id" not in client.session
    # Every other path to authenticate() refuses too (API token views, custom forms).
    assert authenticate(username="curator-lock", password=PASSWORD) is None
    # Case and spaces do not give an attacker a fresh counter.
    assert lockout.locked_for("  Curator-Lock ") > 0


def test_lock_ends_after_the_lockout_period(client, curator, monkeypatch):
    for _ in range(5):
        _login(client, "wrong-guess")
    assert lockout.locked_for("curator-lock") > 0
    later = time.time() + 901
    monkeypatch.setattr(time, "time", lambda: later)  # the cache's expiry reads the same clock
    assert lockout.locked_for("curator-lock") == 0
    response = _login(client, PASSWORD)
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_success_before_the_limit_clears_the_count(client, curator):
    for _ in range(4):
        _login(client, "wrong-guess")
    assert _login(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, "wrong-guess")
    assert lockout.locked_for("curator-lock") == 0  # 4 + 4 with a success between: not locked


def test_other_accounts_are_not_locked(client, curator):
    get_user_model().objects.create_user("curator-other", password=PASSWORD, is_staff=True)
    for _ in range(6):
        _login(client, "wrong-guess")
    assert _login(client, PASSWORD, username="curator-other").status_code == 302

"""Staff API tokens: only with two-factor, expiring, listed and revocable in the admin."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return get_user_model().objects.create_superuser("root-api", "root@example.org", "a-long-synthetic-pass-7")


def _get(client, token):
    return client.get("/api/curator/contributions/", HTTP_AUTHORIZATION=f"Token {token.key}")


def test_staff_token_without_two_factor_is_refused(client, superuser):
    token = Token.objects.create(user=superuser)
    response = _get(client, token)
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]


def test_staff_token_with_a_confirmed_device_works(client, superuser):
    TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    assert _get(client, Token.objects.create(user=superuser)).status_code == 200


def test_an_unconfirmed_device_is_not_enough(client, superuser):
    TOTPDevice.objects.create(user=superuser, name="phone", confirmed=False)
    assert _get(client, Token.objects.create(user=superuser)).status_code == 403


def test_tokens_expire(client, superuser, settings):
    settings.API_TOKEN_MAX_AGE_DAYS = 30
    TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    token = Token.objects.create(user=superuser)
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(days=31))
    response = _get(client, token)
    # 403 rather than 401: session authentication comes first, so no WWW-Authenticate challenge.
    assert response.status_code in (401, 403) and "expired" in response.json()["detail"]


def test_administrators_list_and_revoke_tokens(client, superuser):
    other = get_user_model().objects.create_user("curator-api", password="a-long-synthetic-pass-8", is_staff=True)
    token = Token.objects.create(user=other)
    client.force_login(superuser)
    listing = client.get("/admin/authtoken/tokenproxy/")  # two-factor is optional in DEBUG without a device
    assert listing.status_code == 200
    assert "curator-api" in listing.text and "expires" in listing.text.lower()
    # DRF's token admin addresses a token by its user's id.
    revoke = client.post(f"/admin/authtoken/tokenproxy/{other.pk}/delete/", {"post": "yes"})
    assert revoke.status_code == 302
    assert not Token.objects.filter(pk=token.pk).exists()

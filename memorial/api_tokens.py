"""Staff API tokens (DRF's authtoken): only for accounts with two-factor, and they expire.

A browser session of a privileged user is held at the two-factor page until verified
(memorial.auth.StaffTwoFactorMiddleware); a token must not be the way around that. So a token of a
privileged user (staff, superuser, any role group) works only while that account has a confirmed
TOTP device: otherwise 403, saying what to do. Every token expires API_TOKEN_MAX_AGE_DAYS after it
was made (default 30): 401, make a new one. Administrators list and revoke tokens in the admin
("Tokens": user, made, expires, two-factor); `manage.py drf_create_token -r USER` replaces one.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from memorial.auth import TWO_FACTOR_URL, has_device, needs_two_factor


def expires_at(created: datetime) -> datetime:
    return created + timedelta(days=getattr(settings, "API_TOKEN_MAX_AGE_DAYS", 30))


class StaffTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if expires_at(token.created) <= timezone.now():
            raise exceptions.AuthenticationFailed(gettext(
                "This API token has expired. Ask an administrator for a new one."))
        if needs_two_factor(user) and not has_device(user):
            raise exceptions.PermissionDenied(gettext(
                "API tokens of staff accounts need two-factor authentication: set it up at %(url)s.")
                % {"url": TWO_FACTOR_URL})
        return user, token

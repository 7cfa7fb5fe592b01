"""Sign-in hardening: lockout after repeated failures, and two-factor authentication (TOTP) for staff.

Lockout
    Every failed sign-in (Django's ``user_login_failed`` signal, sent by every login form and by
    ``authenticate()``) counts against the username in the cache. After
    ``LOGIN_LOCKOUT["attempts"]`` failures within ``["window"]`` seconds the account is locked for
    ``["lockout"]`` seconds: ``LockoutModelBackend`` refuses it even with the right password, and
    ``LoginLockoutMiddleware`` answers sign-in posts for it with a translated 429 page. A success
    clears the count. (Per-address limits come from memorial.ratelimit's "login" rule.)

Two-factor
    django-otp's TOTP devices. ``StaffTwoFactorMiddleware`` sends a privileged user (staff,
    superuser, member of any group such as curators, or a researcher with approved access) whose
    session is not OTP-verified to ``/account/two-factor/``, which sets up a device (QR code) or
    asks for the current code. It is required for every privileged user when ``OTP_REQUIRED_FOR_STAFF`` is on (the default when
    DEBUG is off), and for anyone who has set up a device otherwise.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from archive.research import selectors as research_selectors
from memorial.ratelimit import client_ip, too_many_requests

logger = logging.getLogger(__name__)

DEFAULT_LOCKOUT = {"attempts": 5, "window": 15 * 60, "lockout": 15 * 60}
TWO_FACTOR_URL = "/account/two-factor/"
STAFF_UNTIL = "memorial.staff_until"
# Sign-in and sign-out in any language (memorial/accounts.py): reachable before the second factor.
ACCOUNT_PAGES = re.compile(r"^/[\w-]+/account/sign-(?:in|out)/")
SIGN_IN_PAGE = re.compile(r"^/[\w-]+/account/sign-in/")


def staff_session_age() -> int:
    return int(getattr(settings, "STAFF_SESSION_AGE", 8 * 3600))


class LockedOut(PermissionDenied):
    """The account is locked after repeated failed sign-ins."""


# --- Lockout ------------------------------------------------------------------------------------

def _config() -> dict:
    return {**DEFAULT_LOCKOUT, **getattr(settings, "LOGIN_LOCKOUT", {})}


def _cache():
    return caches[getattr(settings, "RATE_LIMIT_CACHE", "default")]


def _key(kind: str, username: str) -> str:
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return f"lockout:{kind}:{digest}"


def locked_for(username: str | None) -> int:
    """Seconds left on this username's lockout (0 when it may sign in)."""
    if not username:
        return 0
    until = _cache().get(_key("until", username))
    return max(0, int(until - time.time())) if until else 0


def register_failure(username: str | None, request: HttpRequest | None = None) -> int:
    """Count one failed sign-in; return the number of failures in the current window."""
    if not username:
        return 0
    cfg, cache = _config(), _cache()
    key = _key("fail", username)
    if cache.add(key, 1, timeout=cfg["window"]):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:
            cache.add(key, 1, timeout=cfg["window"])
            count = 1
    if count >= cfg["attempts"]:
        cache.set(_key("until", username), time.time() + cfg["lockout"], timeout=cfg["lockout"])
        # The username is hashed in the log: it may be someone's e-mail address.
        logger.warning("Sign-in locked after %d failures (user %s, address %s)", count,
                       _key("u", username).rsplit(":", 1)[1][:12], client_ip(request) if request else "-")
    return count


def clear_failures(username: str) -> None:
    _cache().delete_many([_key("fail", username), _key("until", username)])


def _on_login_failed(sender, credentials, request=None, **kwargs):
    register_failure(credentials.get("username"), request)


def _on_logged_in(sender, request, user, **kwargs):
    clear_failures(user.get_username())
    if request is not None and hasattr(request, "session") and needs_two_factor(user):
        # Staff sessions end after STAFF_SESSION_AGE however active they are: a workspace left
        # open on a shared computer must not stay signed in for the default two weeks.
        age = staff_session_age()
        request.session.set_expiry(age)
        request.session[STAFF_UNTIL] = time.time() + age


# Connected when this module is imported, which happens at start-up because its middleware is
# in settings.MIDDLEWARE (and its backend in AUTHENTICATION_BACKENDS).
user_login_failed.connect(_on_login_failed, dispatch_uid="memorial.auth.login_failed")
user_logged_in.connect(_on_logged_in, dispatch_uid="memorial.auth.logged_in")


class LockoutModelBackend(ModelBackend):
    """ModelBackend that refuses a locked username, even with the right password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field())
        if locked_for(username):
            # PermissionDenied stops Django trying other backends and still sends user_login_failed.
            raise LockedOut(gettext("This account is locked after repeated failed sign-ins."))
        return super().authenticate(request, username=username, password=password, **kwargs)

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD


class LoginLockoutMiddleware:
    """Answers a sign-in post for a locked account with 429 and a clear message, before any view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and _is_login_path(request.path_info):
            wait = locked_for(request.POST.get("username"))
            if wait:
                return too_many_requests(request, wait, gettext(
                    "This account is locked for a while after repeated failed sign-ins."))
        return self.get_response(request)


def _is_login_path(path_info: str) -> bool:
    from memorial.ratelimit import rules

    for rule in rules():
        if rule.name == "login" and rule.match(path_info):
            return True
    return path_info.startswith("/admin/login/") or bool(SIGN_IN_PAGE.match(path_info))


# --- Two-factor ---------------------------------------------------------------------------------

def needs_two_factor(user) -> bool:
    """Privileged users: staff, superusers, anyone in a role group (curator, moderator...), and vetted
    researchers, who read what contributors opened to vetted people only."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser or user.groups.exists()
                or research_selectors.vetted(user) is not None)


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# Paths an unverified privileged user may still reach: sign-in/out, the 2FA pages themselves,
# static and public media files, language switching.
def _exempt_prefixes() -> tuple[str, ...]:
    return (
        TWO_FACTOR_URL, "/admin/login/", "/admin/logout/", settings.STATIC_URL,
        getattr(settings, "MEDIA_PUBLIC_URL", "/media/"), "/i18n/",
        # Research IIIF services answer in their protocol's terms (401, a probe's status, a token
        # error) to a session without its second factor; only the access service's window (a page)
        # is sent to verify.
        "/iiif/research/item/", "/iiif/research/auth/token", "/iiif/research/auth/logout",
        *getattr(settings, "OTP_EXEMPT_PREFIXES", ()),
    )


class StaffTwoFactorMiddleware:
    """Sends privileged users without an OTP-verified session to set-up or verification.

    Must come after django_otp.middleware.OTPMiddleware (which gives ``user.is_verified()``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and _staff_session_over(request):
            return _end_staff_session(request)
        if (
            user is not None
            and needs_two_factor(user)
            and not user.is_verified()
            and not request.path_info.startswith(_exempt_prefixes())
            and not ACCOUNT_PAGES.match(request.path_info)
            and (getattr(settings, "OTP_REQUIRED_FOR_STAFF", not settings.DEBUG) or has_device(user))
        ):
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": gettext(
                    "Two-factor verification is required for staff. Verify at %(url)s.") % {"url": TWO_FACTOR_URL}},
                    status=403)
            target = request.get_full_path()
            return HttpResponseRedirect(f"{TWO_FACTOR_URL}?next={_quote(target)}")
        return self.get_response(request)


def _staff_session_over(request: HttpRequest) -> bool:
    until = request.session.get(STAFF_UNTIL)
    return bool(until) and time.time() >= until


def _end_staff_session(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth import logout
    from django.shortcuts import resolve_url

    logout(request)
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": gettext("Your session has ended. Sign in again.")}, status=401)
    # (Runs before the messages middleware: the sign-in page says it from the query instead.)
    return HttpResponseRedirect(
        f"{resolve_url(settings.LOGIN_URL)}?next={_quote(request.get_full_path())}&ended=1")


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="/")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from your authenticator app"), min_length=6, max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "pattern": "[0-9]*", "autofocus": True}),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit():
            raise forms.ValidationError(_("Enter the digits shown in your authenticator app."))
        return code


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/admin/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return "/admin/"


@never_cache
@csrf_protect
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up a TOTP device (first time) or verify the current code (every sign-in)."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name=gettext("Authenticator app"), confirmed=False)
    if request.method == "POST" and "recovery_code" in request.POST and not setting_up:
        return _recovery_sign_in(request, device)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait_ok, _data = device.verify_is_allowed()
        if not wait_ok:
            form.add_error("code", _("Too many wrong codes. Wait a minute and try again."))
        elif device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                # The recovery codes come with the device, shown once, before going on.
                return _show_new_codes(request, _next_url(request))
            return HttpResponseRedirect(_next_url(request))
        else:
            form.add_error("code", _("That code is not right. Check the time on your phone and try again."))
    context = {"form": form, "setting_up": setting_up, "next": _next_url(request),
               "recovery_form": RecoveryForm()}
    if setting_up:
        uri = device.config_url
        context["qr_svg"] = mark_safe(segno.make(uri, error="m").svg_inline(scale=4, dark="#111"))  # noqa: S308
        context["secret"] = _b32(device)
    return render(request, "security/two_factor.html", context)


class RecoveryForm(forms.Form):
    recovery_code = forms.CharField(
        label=_("Recovery code"), max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


def _recovery_sign_in(request: HttpRequest, device: TOTPDevice) -> HttpResponse:
    """A recovery code instead of the app's code: each one works once (memorial/recovery.py)."""
    from memorial import recovery

    form = RecoveryForm(request.POST)
    if form.is_valid() and recovery.use(request.user, form.cleaned_data["recovery_code"]):
        otp_login(request, device)
        left = recovery.remaining(request.user)
        from django.contrib import messages

        messages.warning(request, gettext(
            "You signed in with a recovery code; %(n)d left. Make new ones from your account page if that is few.")
            % {"n": left})
        return HttpResponseRedirect(_next_url(request))
    if form.is_valid():
        register_failure(request.user.get_username(), request)
        form.add_error("recovery_code", _("That recovery code is not right, or it has been used already."))
    code_form = CodeForm()
    code_form.fields["code"].widget.attrs.pop("autofocus", None)  # the person is typing a recovery code
    form.fields["recovery_code"].widget.attrs["autofocus"] = True
    context = {"form": code_form, "setting_up": False, "next": _next_url(request), "recovery_form": form,
               "recovery_open": True}
    return render(request, "security/two_factor.html", context, status=400)


def _show_new_codes(request: HttpRequest, next_url: str) -> HttpResponse:
    from memorial import recovery

    codes = recovery.generate(request.user)
    response = render(request, "security/recovery_codes.html",
                      {"codes": codes, "next": next_url, "remaining": len(codes)})
    response["Cache-Control"] = "no-store"
    return response


def _b32(device: TOTPDevice) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


app_name = "two_factor"
urlpatterns = [path("", two_factor, name="two_factor")]

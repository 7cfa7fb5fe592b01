"""Staff and researcher accounts in the archive's own design and language: sign in, sign out, recovery codes.

Under the language prefix (/en/account/sign-in/ ...), so the page speaks the curator's language
and its language switcher works. Django's admin uses the same sign-in template
(admin.site.login_template), so there is one sign-in look. Lockout, rate limits and the second
factor (memorial/auth.py) apply to both: they look at every sign-in, not at this view.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from memorial import recovery
from memorial.auth import TWO_FACTOR_URL, has_device


class SignInView(LoginView):
    template_name = "account/sign_in.html"
    redirect_authenticated_user = False

    def get_default_redirect_url(self):
        # Researchers are not staff: the workspace would refuse them; their place is the reading room.
        return reverse("curator:dashboard" if self.request.user.is_staff else "research:room")

    def get_context_data(self, **kwargs):
        from django.conf import settings

        hours = round(getattr(settings, "STAFF_SESSION_AGE", 8 * 3600) / 3600, 1)
        return {**super().get_context_data(**kwargs), "ended": "ended" in self.request.GET,
                "session_hours": f"{hours:g}"}


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """POST only (a link could be followed by a prefetcher or a hostile page)."""
    logout(request)
    messages.success(request, _("You have signed out."))
    return redirect("sign-in")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """How many codes are left, and a new set (shown once) on request. Only in a verified session:
    whoever holds only the password must not be able to mint codes that skip the second factor."""
    user = request.user
    if not has_device(user) or not user.is_verified():  # set up, or verify, the second factor first
        return HttpResponseRedirect(f"{TWO_FACTOR_URL}?next={request.path}")
    if request.method == "POST":
        codes = recovery.generate(user)
        response = render(request, "security/recovery_codes.html",
                          {"codes": codes, "next": reverse("curator:dashboard"), "remaining": len(codes)})
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "account/recovery.html", {"remaining": recovery.remaining(user)})


urlpatterns = [
    path("sign-in/", never_cache(SignInView.as_view()), name="sign-in"),
    path("sign-out/", sign_out, name="sign-out"),
    path("recovery-codes/", recovery_codes, name="recovery-codes"),
]

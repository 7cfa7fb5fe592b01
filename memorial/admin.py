"""Administrators see every API token with its expiry and its account's two-factor state, and
revoke one by deleting it (memorial/api_tokens.py); they see which accounts are locked out and lift
a lockout with an admin action (audited), as `manage.py unlock` does from a shell."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from archive import audit
from memorial.api_tokens import expires_at
from memorial.auth import clear_failures, has_device, locked_for

admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class ExpiringTokenAdmin(TokenAdmin):
    list_display = ("user", "created", "expires", "two_factor")
    list_filter = ("created",)
    search_fields = ("user__username",)

    @admin.display(description="expires")
    def expires(self, obj):
        return expires_at(obj.created)

    @admin.display(boolean=True, description="two-factor")
    def two_factor(self, obj):
        return has_device(obj.user)


# --- Accounts: the archive's own sign-in page, and lifting a lockout without a shell ---------------

admin.site.login_template = "account/sign_in.html"  # one sign-in look (memorial/accounts.py)

User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    list_display = (*UserAdmin.list_display, "locked", "two_factor")
    actions = ["lift_lockout"]

    @admin.display(description=_("locked (seconds left)"))
    def locked(self, obj):
        return locked_for(obj.get_username()) or "—"

    @admin.display(boolean=True, description=_("two-factor"))
    def two_factor(self, obj):
        return has_device(obj)

    @admin.action(description=_("Lift the sign-in lockout of the selected accounts"))
    def lift_lockout(self, request, queryset):
        lifted = []
        for user in queryset:
            wait = locked_for(user.get_username())
            clear_failures(user.get_username())
            audit.record("account.unlocked", actor=request.user, target=f"user:{user.get_username()}",
                         before={"locked_seconds": wait})
            if wait:
                lifted.append(user.get_username())
        if lifted:
            self.message_user(request, _("Lockout lifted: %(names)s.") % {"names": ", ".join(lifted)},
                              messages.SUCCESS)
        else:
            self.message_user(request, _("None of the selected accounts was locked; their failed attempts "
                                         "are forgotten."), messages.INFO)

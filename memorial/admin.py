"""Administrators see every API token with its expiry and its account's two-factor state, and
revoke one by deleting it (memorial/api_tokens.py)."""

from django.contrib import admin
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from memorial.api_tokens import expires_at
from memorial.auth import has_device

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

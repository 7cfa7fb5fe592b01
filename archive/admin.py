"""Admin for the record: mostly read-only. Decisions (publish, reject), consent and redactions go
through the curator workspace (/<lang>/curator/), where the consent rule and the audit log apply;
the admin cannot publish an item or edit a consent version."""

from django.contrib import admin

from archive.models import AuditEvent, ConsentVersion, Contributor, Event, Item, RemovalReport, Subject


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("slug", "date", "place", "country")
    search_fields = ("slug", "place")


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ("slug",)
    search_fields = ("slug",)


class ConsentInline(admin.TabularInline):
    model = ConsentVersion
    fields = ("number", "scopes_display", "name_display", "embargo_until", "expires_at", "withdrawn",
              "given_by", "method", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-number",)

    @admin.display(description="scopes")
    def scopes_display(self, obj):
        return ", ".join(obj.scopes) or "—"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "status", "created_at", "published_at")
    list_filter = ("status", "kind", "event")
    search_fields = ("id", "place")
    date_hierarchy = "created_at"
    # Status changes only through archive.moderation (the consent rule lives there).
    readonly_fields = ("id", "status", "current_consent", "contributor", "contribution", "moderation_note",
                       "created_at", "updated_at", "published_at")
    fields = ("id", "kind", "status", "title", "summary", "story", "original_language", "date_text",
              "date_start", "date_end", "date_approximate", "place", "country", "event", "subjects",
              "content_warnings", "rights", "moderation_note", "current_consent", "contributor", "contribution",
              "created_at", "updated_at", "published_at")
    filter_horizontal = ("subjects",)
    inlines = [ConsentInline]

    def has_add_permission(self, request):
        return False  # items come in through the contribution journey or `manage.py ingest`


@admin.register(Contributor)
class ContributorAdmin(ReadOnlyAdmin):
    # Names and contact details are encrypted personal data: never listed here.
    list_display = ("__str__", "relationship", "preferred_language", "created_at")
    fields = ("relationship", "preferred_language", "created_at")
    list_filter = ("relationship",)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_label", "action", "item_id_ref", "target")
    list_filter = ("action",)
    search_fields = ("action", "actor_label", "item_id_ref", "target")
    date_hierarchy = "at"


@admin.register(RemovalReport)
class RemovalReportAdmin(ReadOnlyAdmin):
    list_display = ("item", "consent_version", "trigger", "requested_at", "completed_at")
    list_filter = ("trigger",)

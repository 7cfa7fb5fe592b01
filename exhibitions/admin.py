"""Admin for exhibitions. Entries are placed in the exhibition builder (/<lang>/curator/exhibitions/),
which asks the consent policy first; here they are read-only, with the consent flag visible."""

from django.contrib import admin

from archive.admin import ReadOnlyAdmin
from exhibitions.models import Activity, Exhibition, ExhibitionEntry, ExhibitionSection, RemembranceDay


class EntryInline(admin.TabularInline):
    model = ExhibitionEntry
    fields = ("position", "item", "media", "caption", "unavailable_since", "unavailable_reason")
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SectionInline(admin.StackedInline):
    model = ExhibitionSection
    extra = 0


@admin.register(Exhibition)
class ExhibitionAdmin(admin.ModelAdmin):
    list_display = ("slug", "status", "publish_at", "unpublish_at", "featured", "remembrance_day")
    list_filter = ("status", "featured", "remembrance_day")
    search_fields = ("slug",)
    readonly_fields = ("preview_token", "created_at", "updated_at")
    inlines = [SectionInline, EntryInline]


@admin.register(RemembranceDay)
class RemembranceDayAdmin(admin.ModelAdmin):
    list_display = ("slug", "month", "day")


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ("end_time", "type", "object_type", "object_path")
    list_filter = ("type",)

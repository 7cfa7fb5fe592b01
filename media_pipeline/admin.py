"""Admin for media assets: read-only (processing state and failures for curators to read)."""

from django.contrib import admin

from media_pipeline.models import MediaAsset


@admin.register(MediaAsset)
class MediaAssetAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "status", "detected_format", "width", "height", "duration", "is_published")
    list_filter = ("kind", "status", "is_published")
    search_fields = ("id",)
    exclude = ("original_name",)  # the contributor's file name can carry a name or a place

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

"""The exhibition builder, under /<lang>/curator/exhibitions/ (part of the curator workspace)."""

from django.urls import path

from exhibitions import curator_text_views as text_views
from exhibitions import curator_views as views
from exhibitions.kit import curator_views as kit_views

app_name = "curator_exhibitions"

urlpatterns = [
    path("", views.exhibition_list, name="list"),
    path("<int:pk>/", views.builder_view, name="builder"),
    path("<int:pk>/settings", views.settings_view, name="settings"),
    path("<int:pk>/preview", views.preview, name="preview"),
    path("<int:pk>/catalogue.pdf", kit_views.catalogue_pdf, name="catalogue"),
    path("<int:pk>/kiosk", kit_views.kiosk_limit, name="kiosk-limit"),
    path("<int:pk>/add", views.add_entry, name="add"),
    path("<int:pk>/add-many", views.add_entries, name="add_many"),
    path("<int:pk>/cover", views.cover, name="cover"),
    path("<int:pk>/sections/new", views.save_section, name="section_new"),
    path("<int:pk>/sections/<int:section_id>", views.save_section, name="section"),
    path("<int:pk>/sections/reorder", views.reorder_sections, name="section_reorder"),
    path("<int:pk>/sections/<int:section_id>/move/<str:direction>", views.move_section, name="section_move"),
    path("<int:pk>/sections/<int:section_id>/delete", views.delete_section, name="section_delete"),
    path("<int:pk>/text/new", text_views.add_text, name="text_new"),
    path("<int:pk>/text/<int:section_id>", text_views.edit_text, name="text"),
    path("<int:pk>/text/<int:section_id>/remove", text_views.remove_text, name="text_remove"),
    path("<int:pk>/entries/<int:entry_id>/section", views.place_entry, name="place"),
    path("<int:pk>/reorder", views.reorder, name="reorder"),
    path("<int:pk>/entries/<int:entry_id>/move/<str:direction>", views.move_entry, name="move"),
    path("<int:pk>/entries/<int:entry_id>/caption", views.caption, name="caption"),
    path("<int:pk>/entries/<int:entry_id>/remove", views.remove_entry, name="remove"),
]

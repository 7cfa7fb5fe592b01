"""/iiif/: Presentation 3 manifests and collections, Content Search 2, Change Discovery 1."""

from django.urls import path

from exhibitions.iiif import research_views as research
from exhibitions.iiif import views

app_name = "iiif"

urlpatterns = [
    path("collection/top", views.top_collection, name="top_collection"),
    path("collection/items", views.items_collection, name="items_collection"),
    path("collection/items/<int:page>", views.items_page, name="items_page"),
    path("collection/exhibition/<slug:slug>", views.exhibition_collection, name="exhibition_collection"),
    path("item/<str:item_id>/manifest", views.manifest, name="manifest"),
    path("item/<str:item_id>/search", views.content_search, name="content_search"),
    path("activity/all-changes", views.activity_collection, name="activity_collection"),
    path("activity/page", views.activity_page, name="activity_page"),
    path("activity/page/last", views.activity_last, name="activity_last"),
    # Vetted research (IIIF Authorization Flow 2.0): listed by no public collection.
    path("research/item/<uuid:item_id>/manifest", research.manifest, name="research_manifest"),
    path("research/item/<uuid:item_id>/image/<int:media_id>", research.image_base, name="research_image_base"),
    path("research/item/<uuid:item_id>/image/<int:media_id>/info.json", research.info, name="research_info"),
    path("research/item/<uuid:item_id>/image/<int:media_id>/probe", research.probe, name="research_probe"),
    path("research/item/<uuid:item_id>/image/<int:media_id>/full/<str:size>/0/default.jpg", research.image,
         name="research_image"),
    path("research/item/<uuid:item_id>/recording/<int:media_id>", research.recording, name="research_recording"),
    path("research/auth/access", research.access, name="research_access"),
    path("research/auth/token", research.token, name="research_token"),
    path("research/auth/logout", research.logout_service, name="research_logout"),
]

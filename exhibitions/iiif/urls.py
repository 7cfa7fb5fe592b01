"""/iiif/: Presentation 3 manifests and collections, Content Search 2, Change Discovery 1."""

from django.urls import path

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
    path("activity/page/<int:page>", views.activity_page, name="activity_page"),
]

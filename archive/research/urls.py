"""The reading room and research applications, under /<lang>/curator/research/."""

from django.urls import path
from django.views.generic import RedirectView

from archive.research import views

app_name = "research"

urlpatterns = [
    path("", views.room, name="room"),
    # One sign-in page for staff and researchers (memorial/accounts.py); old links and bookmarks follow.
    path("sign-in/", RedirectView.as_view(pattern_name="sign-in", query_string=True, permanent=True), name="sign-in"),
    path("apply/", views.apply, name="apply"),
    path("items/<uuid:item_id>/", views.item, name="item"),
    path("items/<uuid:item_id>/media/<int:media_id>/<str:name>", views.media, name="media"),
    path("applications/", views.applications, name="applications"),
    path("applications/<int:pk>/<slug:decision>", views.decide, name="decide"),
]

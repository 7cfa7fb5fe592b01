"""The kiosk, under the language prefix: /<lang>/kiosk/<exhibition>/."""

from django.urls import path

from exhibitions.kit import views

urlpatterns = [
    path("kiosk/sw.js", views.kiosk_worker, name="kiosk-worker"),
    path("kiosk/<slug:slug>/", views.kiosk_page, name="kiosk"),
    path("kiosk/<slug:slug>/sync", views.kiosk_sync, name="kiosk-sync"),
]

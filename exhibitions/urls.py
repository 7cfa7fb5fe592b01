from django.urls import path

from exhibitions import views

urlpatterns = [
    path("", views.home, name="home"),
    path("exhibitions/", views.exhibition_list, name="exhibition-list"),
    path("exhibitions/<slug:slug>/", views.exhibition_detail, name="exhibition-detail"),
    path("exhibitions/<slug:slug>/<int:number>/", views.exhibition_sequence, name="exhibition-sequence"),
    path("preview/exhibition/<str:token>/", views.exhibition_preview, name="exhibition-preview"),
    path("viewer/", views.iiif_viewer, name="iiif-viewer"),
    path("remembrance/", views.remembrance_days, name="remembrance-days"),
    path("remembrance/<slug:slug>/", views.remembrance_day, name="remembrance-day"),
]

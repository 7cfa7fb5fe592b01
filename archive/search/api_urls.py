from django.urls import path

from archive.search import views

urlpatterns = [
    path("", views.search_api, name="api-search"),
]

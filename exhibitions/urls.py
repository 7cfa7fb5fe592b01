from django.urls import path

from exhibitions import views

urlpatterns = [
    path("", views.home, name="home"),
]

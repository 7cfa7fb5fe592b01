"""/oai/: the OAI-PMH endpoint and the schema of this archive's own metadata format."""

from django.urls import path

from exhibitions.oai import views

app_name = "oai"

urlpatterns = [
    path("", views.endpoint, name="endpoint"),
    path("schemas/<str:name>", views.schema, name="schema"),
]

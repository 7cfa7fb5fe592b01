"""The curator workspace under /<lang>/curator/ (exhibition building: exhibitions/curator_urls.py)."""

from django.urls import path

from archive.curator import views

app_name = "curator"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("queue/", views.queue, name="queue"),
    path("items/<uuid:item_id>/", views.review, name="review"),
    path("items/<uuid:item_id>/decide/<slug:decision>", views.decide, name="decide"),
    path("items/<uuid:item_id>/describe", views.describe, name="describe"),
    path("items/<uuid:item_id>/consent", views.consent_panel, name="consent"),
    path("items/<uuid:item_id>/redact", views.redact, name="redact"),
    path("items/<uuid:item_id>/media/<int:media_id>/redactions/<str:redaction_id>/reverse",
         views.reverse_redaction, name="reverse-redaction"),
    path("items/<uuid:item_id>/erase", views.erase, name="erase"),
    path("items/<uuid:item_id>/fixity", views.fixity, name="fixity"),
    path("consent/<int:version_id>/evidence", views.consent_evidence, name="consent-evidence"),
    path("media/<uuid:asset_id>/<str:name>", views.media_preview, name="media-preview"),
    path("audit/", views.audit_log, name="audit"),
    path("audit.csv", views.audit_csv, name="audit-csv"),
]

"""The curator workspace under /<lang>/curator/ (exhibition building: exhibitions/curator_urls.py)."""

from django.urls import path

from archive.curator import views, views_audit, views_moderation, views_redaction

app_name = "curator"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("queue/", views_moderation.queue, name="queue"),
    path("queue/bulk", views_moderation.bulk, name="bulk"),
    path("items/<uuid:item_id>/", views_moderation.review, name="review"),
    path("items/<uuid:item_id>/decide/<slug:decision>", views_moderation.decide, name="decide"),
    path("items/<uuid:item_id>/assign", views_moderation.assign, name="assign"),
    path("items/<uuid:item_id>/describe", views.describe, name="describe"),
    path("items/<uuid:item_id>/consent", views.consent_panel, name="consent"),
    path("items/<uuid:item_id>/redact", views_redaction.redact, name="redact"),
    path("items/<uuid:item_id>/media/<int:media_id>/waveform", views_redaction.waveform, name="waveform"),
    path("items/<uuid:item_id>/media/<int:media_id>/redactions/<str:redaction_id>/reverse",
         views_redaction.reverse_redaction, name="reverse-redaction"),
    path("items/<uuid:item_id>/erase", views.erase, name="erase"),
    path("items/<uuid:item_id>/fixity", views.fixity, name="fixity"),
    path("consent/<int:version_id>/evidence", views.consent_evidence, name="consent-evidence"),
    path("media/<uuid:asset_id>/<str:name>", views_moderation.media_preview, name="media-preview"),
    path("audit/", views_audit.audit_log, name="audit"),
    path("audit.csv", views_audit.audit_csv, name="audit-csv"),
    path("audit.json", views_audit.audit_json, name="audit-json"),
]

"""Research access: an application an archivist decides, and the IIIF access tokens it allows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The research agreement researchers accept; a new text gets a new version (the application keeps it).
AGREEMENT_VERSION = "2026-1"


class ResearchAccess(models.Model):
    """One researcher's application and its decision. Access holds while approved and unexpired."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        REVOKED = "revoked", _("Revoked")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="research_access")
    institution = models.CharField(max_length=200)
    purpose = models.TextField(max_length=4000)
    agreement_version = models.CharField(max_length=20)
    agreement_accepted_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    applied_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-applied_at", "-id"]
        permissions = [("approve_research", "Can approve, refuse and revoke research access")]
        constraints = [
            # One open application (waiting or approved) per person at a time.
            models.UniqueConstraint(fields=["user"], condition=Q(status__in=["pending", "approved"]),
                                    name="research_access_one_open_per_user"),
        ]

    def __str__(self) -> str:
        return f"Research access {self.pk} ({self.status})"


class ResearchToken(models.Model):
    """An IIIF access token (Authorization Flow 2.0), stored only as its hash."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    origin = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Research token {self.pk}"  # never the token

"""Media assets: the files, their derivatives and their processing state.

The pipeline knows nothing of items or consent (see DESIGN.md, floors). Upstairs decides *whether*
an asset's derivatives may be public; the pipeline only knows *how* to publish or retract them.
"""

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


def _public_token() -> str:
    return secrets.token_urlsafe(12)


class MediaAsset(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        AUDIO = "audio", _("Audio")
        VIDEO = "video", _("Video")
        TRANSCRIPT = "transcript", _("Transcript")

    class Status(models.TextChoices):
        QUARANTINED = "quarantined", _("Quarantined")
        PROCESSING = "processing", _("Processing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        ERASED = "erased", _("Erased")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUARANTINED, db_index=True)
    failure_reason = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)

    # What the contributor called the file, cleaned for display only; never used as a path.
    original_name = models.CharField(max_length=255, blank=True)
    detected_format = models.CharField(max_length=32, blank=True)
    size_bytes = models.BigIntegerField(default=0)

    # Private storage keys (generated, never from the client).
    original_key = models.CharField(max_length=255, blank=True)
    master_key = models.CharField(max_length=255, blank=True)
    original_sha256 = models.CharField(max_length=64, blank=True)
    master_sha256 = models.CharField(max_length=64, blank=True)

    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration = models.FloatField(null=True, blank=True)
    capture_date = models.DateTimeField(null=True, blank=True)

    # Derivatives live in public storage under public/<public_token>/...; a new token on every
    # publication makes a retracted URL dead for good, even in caches that ignored the purge.
    public_token = models.CharField(max_length=32, default=_public_token, db_index=True)
    derivatives = models.JSONField(default=dict, blank=True)  # name -> storage key (private until published)
    is_published = models.BooleanField(default=False)
    # The IIIF image service (info.json and level-0 tiles) is public too: only while consent opens
    # the item to IIIF (the caller decides; see publish(tiles=...)).
    tiles_public = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    # After this moment the public files answer 404 (the caller sets it from its own rules, e.g. a
    # consent's expiry), read on every file request so that no scheduler has to run first.
    public_until = models.DateTimeField(null=True, blank=True)
    # Timed cues for transcripts: [{"start": s, "end": s, "text": str}]
    cues = models.JSONField(default=list, blank=True)
    # Redactions applied to derivatives: [{"type": "blur", "box": [x, y, w, h]}, ...]
    redactions = models.JSONField(default=list, blank=True)

    # Processing bookkeeping: finished steps (name -> ISO time) make process() resumable; technical
    # facts from the probe (codecs, frames); the master's format.
    steps = models.JSONField(default=dict, blank=True)
    technical = models.JSONField(default=dict, blank=True)
    master_format = models.CharField(max_length=16, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Public tokens whose files still have to be deleted (a retraction interrupted by storage trouble).
    stale_tokens = models.JSONField(default=list, blank=True)
    # Who is processing it now ("host:pid:thread") and until when: two workers never process one asset.
    lease_owner = models.CharField(max_length=100, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    fixity_checked_at = models.DateTimeField(null=True, blank=True)
    fixity_ok = models.BooleanField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["original_sha256"], name="mediaasset_original_sha"),
            # "What changed since": OAI-PMH's incremental harvests (exhibitions/oai/records.py).
            models.Index(fields=["updated_at"], name="mediaasset_updated_at"),
            models.Index(fields=["published_at"], name="mediaasset_published_at"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"

"""Exhibitions, their ordered entries, and remembrance days."""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _preview_token() -> str:
    return secrets.token_urlsafe(24)


class RemembranceDay(models.Model):
    """A day of remembrance, recurring every year on month/day (e.g. 21 August)."""

    slug = models.SlugField(unique=True)
    name = models.JSONField(default=dict)
    description = models.JSONField(default=dict, blank=True)
    month = models.PositiveSmallIntegerField()
    day = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["month", "day"]

    def __str__(self) -> str:
        return self.name.get("en") or self.slug


class Exhibition(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        UNLISTED = "unlisted", _("Unlisted (preview link)")
        PUBLISHED = "published", _("Published")

    slug = models.SlugField(unique=True)
    title = models.JSONField(default=dict)
    summary = models.JSONField(default=dict, blank=True)
    introduction = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    publish_at = models.DateTimeField(null=True, blank=True)
    unpublish_at = models.DateTimeField(null=True, blank=True)
    featured = models.BooleanField(default=False)
    remembrance_day = models.ForeignKey(
        RemembranceDay, null=True, blank=True, on_delete=models.SET_NULL, related_name="exhibitions"
    )
    cover = models.ForeignKey(
        "archive.ItemMedia", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    preview_token = models.CharField(max_length=64, default=_preview_token, unique=True)
    # How long a kiosk may keep showing an entry whose consent it last confirmed this long ago
    # (offline at a venue); past it the kiosk hides the entry until it can synchronise again.
    kiosk_confirm_seconds = models.PositiveIntegerField(default=24 * 3600)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The last write that changed what a harvester sees of every item in it (whether it is live,
    # its set's name, its titles in the items' records): an OAI-PMH datestamp moves with it
    # (exhibitions/oai/records.py). Set by signals.exhibition_saving; entry edits leave it alone.
    members_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-featured", "-publish_at", "slug"]

    def __str__(self) -> str:
        return self.title.get("en") or self.slug


class ExhibitionSection(models.Model):
    """A narrative section of an exhibition; entries belong to one."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(default=0)
    title = models.JSONField(default=dict)
    text = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title.get("en") or f"Section {self.position}"


class ExhibitionEntry(models.Model):
    """An item (or one of its media) placed in an exhibition, with a curator's caption."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="entries")
    section = models.ForeignKey(
        ExhibitionSection, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )
    item = models.ForeignKey("archive.Item", on_delete=models.CASCADE, related_name="exhibition_entries")
    media = models.ForeignKey("archive.ItemMedia", null=True, blank=True, on_delete=models.SET_NULL)
    position = models.PositiveIntegerField(default=0)
    caption = models.JSONField(default=dict, blank=True)
    # Set by the exhibition surface when the item's consent no longer allows it here (withdrawn,
    # narrowed, expired); cleared when it does again. The public never sees the entry meanwhile
    # (selectors filter through the consent policy); curators see the flag in the admin.
    unavailable_since = models.DateTimeField(null=True, blank=True)
    unavailable_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "exhibition entries"

    def __str__(self) -> str:
        return f"{self.exhibition_id}#{self.position}: {self.item_id}"


class MembershipChange(models.Model):
    """An item entered or left an exhibition (an entry added or deleted, the exhibition deleted).

    Append-only, for OAI-PMH datestamps: a deleted entry leaves no row to date the removal by. The
    item's random UUID and a moment only, no foreign key: it outlives the entry, the exhibition and
    even the item's erasure without naming anything.
    """

    item_ref = models.UUIDField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["item_ref", "at"], name="membership_change_item_at"),
                   models.Index(fields=["at"], name="membership_change_at")]

    def __str__(self) -> str:
        return f"{self.item_ref} at {self.at:%Y-%m-%dT%H:%M:%SZ}"


class Activity(models.Model):
    """One IIIF Change Discovery 1.0 activity: a public IIIF resource was created, updated or deleted.

    Append-only. `digest` is a hash of the public document when it was emitted, so that
    propagation running twice for the same state emits nothing the second time.
    """

    class Type(models.TextChoices):
        CREATE = "Create", "Create"
        UPDATE = "Update", "Update"
        DELETE = "Delete", "Delete"

    type = models.CharField(max_length=8, choices=Type.choices)
    # Path of the object under the site, e.g. /iiif/item/<uuid>/manifest (made absolute when served).
    object_path = models.CharField(max_length=255, db_index=True)
    object_type = models.CharField(max_length=20, default="Manifest")
    item_id_ref = models.UUIDField(null=True, blank=True, db_index=True)
    digest = models.CharField(max_length=64, blank=True)
    end_time = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return f"{self.type} {self.object_path}"


class KioskSync(models.Model):
    """A kiosk's last synchronisation with the exhibition's signed manifest (exhibitions/kit/kiosk.py),
    shown to curators. The kiosk id is random, made by the kiosk's browser: no person behind it."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="kiosk_syncs")
    kiosk_id = models.CharField(max_length=64)
    language = models.CharField(max_length=10, blank=True)
    synced_at = models.DateTimeField()
    entries = models.PositiveIntegerField(default=0)
    # What the kiosk held before this sync, from the signed manifest it sent back (None: a first sync).
    held_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-synced_at"]
        constraints = [models.UniqueConstraint(fields=["exhibition", "kiosk_id"], name="one_row_per_kiosk")]

    def __str__(self) -> str:
        return f"kiosk {self.kiosk_id[:8]} of {self.exhibition_id}"

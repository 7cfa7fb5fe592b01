"""Exhibitions, their ordered entries, and remembrance days."""

import secrets

from django.db import models
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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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

    class Meta:
        ordering = ["position", "id"]

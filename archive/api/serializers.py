"""Serializers of the REST API. Public item fields come from archive.projection only."""

from __future__ import annotations

import json

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from archive.models import SURFACES, ConsentVersion, Contributor, Item
from archive.projection import PublicItem


class ContributionIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Item.Kind.choices)
    title = serializers.CharField(max_length=300)
    story = serializers.CharField(required=False, allow_blank=True, default="", max_length=100_000,
                                  trim_whitespace=True)
    language = serializers.CharField(max_length=16)
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)
    consent = serializers.JSONField(help_text=_(
        "JSON: scopes (required: a list of places, [] keeps the story private to the archive's team; "
        "never defaulted), name_display, display_name, embargo_until, expires_at"))
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    contributor_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    relationship = serializers.ChoiceField(choices=Contributor.Relationship.choices, required=False,
                                           default=Contributor.Relationship.SURVIVOR)

    def validate_consent(self, value):
        # Multipart forms carry the consent as a JSON string.
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError as exc:
                raise serializers.ValidationError(_("Consent must be a JSON object.")) from exc
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("Consent must be a JSON object."))
        return value


class ContributionCreated(serializers.Serializer):
    id = serializers.UUIDField()
    items = serializers.ListField(child=serializers.UUIDField())
    manage_url = serializers.CharField()
    receipt_url = serializers.CharField()
    receipt_json_url = serializers.CharField()


class ConsentChangeIn(serializers.Serializer):
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=SURFACES), required=False)
    name_display = serializers.ChoiceField(choices=ConsentVersion.NameDisplay.choices, required=False)
    display_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    embargo_until = serializers.DateTimeField(required=False, allow_null=True,
                                              help_text=_("null removes the embargo"))
    expires_at = serializers.DateTimeField(required=False, allow_null=True, help_text=_("null removes the expiry"))
    excluded_media = serializers.ListField(child=serializers.IntegerField(), required=False)


class ReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ConsentStateOut(serializers.Serializer):
    contribution = serializers.UUIDField()
    erased_at = serializers.DateTimeField(allow_null=True)
    items = serializers.ListField(child=serializers.DictField())
    receipt = serializers.DictField(help_text=_("The signed receipt for the consent as it stands now"))


class SignedReceiptOut(serializers.Serializer):
    receipt = serializers.DictField()
    signature = serializers.CharField()
    signature_method = serializers.CharField()


class WithdrawalOut(serializers.Serializer):
    removal_reports = serializers.ListField(child=serializers.DictField())
    receipt = serializers.DictField()


class ErasureOut(serializers.Serializer):
    contribution = serializers.UUIDField()
    erased_at = serializers.DateTimeField()
    items = serializers.ListField(child=serializers.UUIDField())
    media_erased = serializers.IntegerField(required=False)


class QueueEntryOut(serializers.Serializer):
    id = serializers.UUIDField()
    contribution = serializers.UUIDField(allow_null=True)
    kind = serializers.CharField()
    status = serializers.CharField()
    title = serializers.DictField()
    story = serializers.DictField()
    created_at = serializers.DateTimeField()
    moderation_note = serializers.CharField()
    consent = serializers.DictField(allow_null=True)
    media = serializers.ListField(child=serializers.DictField())


class PublicMediaOut(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.CharField()
    kind = serializers.CharField()
    alt_text = serializers.DictField()
    caption = serializers.DictField()
    language = serializers.CharField()
    duration = serializers.FloatField(allow_null=True)
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    urls = serializers.DictField(child=serializers.CharField())


class ImageServiceLinkOut(serializers.Serializer):
    media = serializers.IntegerField(help_text=_("The media's id in this item's media list"))
    id = serializers.URLField(help_text=_("The IIIF Image API 3 service (its description is at this address followed by /info.json)"))
    type = serializers.CharField()
    profile = serializers.CharField()


class ExhibitionLinkOut(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.DictField(child=serializers.CharField())
    url = serializers.URLField(help_text=_("The exhibition's page"))
    collection = serializers.URLField(allow_null=True, help_text=_("The exhibition's IIIF collection"))


class ItemLinksOut(serializers.Serializer):
    pages = serializers.DictField(child=serializers.URLField(),
                                  help_text=_("The item's page in each of the site's languages"))
    manifest = serializers.URLField(allow_null=True, help_text=_(
        "The item's IIIF Presentation 3 manifest; null where the contributor's consent does not share it over IIIF"))
    image_services = ImageServiceLinkOut(many=True, help_text=_(
        "IIIF image services of its photographs, where consent shares them over IIIF"))
    exhibitions = ExhibitionLinkOut(many=True, help_text=_(
        "Exhibitions open now that show the item, where consent allows it in exhibitions"))


class PublicItemOut(serializers.Serializer):
    id = serializers.UUIDField()
    url = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.DictField()
    summary = serializers.DictField()
    story = serializers.DictField()
    original_language = serializers.CharField()
    date_text = serializers.CharField()
    date_start = serializers.DateField(allow_null=True)
    date_end = serializers.DateField(allow_null=True)
    place = serializers.CharField()
    country = serializers.CharField()
    event = serializers.DictField(allow_null=True)
    subjects = serializers.ListField(child=serializers.DictField())
    content_warnings = serializers.ListField(child=serializers.CharField())
    rights = serializers.CharField()
    name = serializers.CharField(help_text=_("As the contributor's consent says to display it; empty when anonymous"))
    relationship = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    media = PublicMediaOut(many=True)
    links = ItemLinksOut()


def public_item_data(public: PublicItem, *, url: str, media_urls, links: dict) -> dict:
    """Plain data for one item from its projection; `media_urls(asset) -> dict` gives file URLs,
    `links` the item's links (archive.api.links)."""
    return {
        "links": links,
        "id": public.id, "url": url, "kind": public.kind, "title": public.title, "summary": public.summary,
        "story": public.story, "original_language": public.original_language, "date_text": public.date_text,
        "date_start": public.date_start, "date_end": public.date_end, "place": public.place,
        "country": public.country, "event": public.event, "subjects": public.subjects,
        "content_warnings": public.content_warnings, "rights": public.rights, "name": public.name,
        "relationship": public.relationship, "published_at": public.published_at,
        "media": [
            {"id": m.pk, "role": m.role, "kind": m.asset.kind, "alt_text": m.alt_text, "caption": m.caption,
             "language": m.language, "duration": m.asset.duration, "width": m.asset.width,
             "height": m.asset.height, "urls": media_urls(m.asset)}
            for m in public.media
        ],
    }

"""The documented shape of GET /api/search/ (drf-spectacular reads these; the view builds plain data)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class TranscriptHitOut(serializers.Serializer):
    start = serializers.FloatField()
    end = serializers.FloatField(allow_null=True)
    text = serializers.CharField()
    snippet = serializers.CharField(help_text=_("HTML-escaped, with <mark> around the matches"))
    url = serializers.CharField(allow_null=True, help_text=_("The item's page at this moment of the recording"))


class SearchHitOut(serializers.Serializer):
    id = serializers.CharField()
    url = serializers.CharField(allow_null=True, help_text=_("The item's page"))
    manifest = serializers.URLField(allow_null=True, help_text=_(
        "The item's IIIF manifest; null where the contributor's consent does not share it over IIIF"))
    kind = serializers.CharField(allow_null=True)
    kind_label = serializers.CharField()
    title = serializers.CharField()
    title_language = serializers.CharField()
    summary = serializers.CharField()
    summary_language = serializers.CharField()
    name = serializers.CharField()
    place = serializers.CharField()
    country = serializers.CharField()
    date = serializers.CharField(allow_null=True)
    date_text = serializers.CharField()
    date_display = serializers.CharField()
    event = serializers.CharField()
    event_name = serializers.CharField()
    content_warnings = serializers.ListField(child=serializers.CharField())
    content_warning_labels = serializers.ListField(child=serializers.CharField())
    has_transcript = serializers.BooleanField()
    thumbnail = serializers.CharField(allow_null=True)
    score = serializers.FloatField()
    highlights = serializers.DictField(child=serializers.CharField())
    transcript_hits = TranscriptHitOut(many=True)


class FacetBucketOut(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class SearchOut(serializers.Serializer):
    query = serializers.CharField()
    total = serializers.IntegerField()
    took_ms = serializers.FloatField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    backend = serializers.CharField()
    results = SearchHitOut(many=True)
    facets = serializers.DictField(child=FacetBucketOut(many=True))


class SearchUnavailableOut(serializers.Serializer):
    detail = serializers.CharField()
    unavailable = serializers.BooleanField()

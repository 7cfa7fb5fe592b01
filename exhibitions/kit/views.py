"""The kit's public views: share card images."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse

from exhibitions.kit import cards


def share_card(request, kind: str, slug: str, lang: str):
    if kind not in cards.KINDS or lang not in dict(settings.LANGUAGES):
        raise Http404
    try:
        data = cards.image(kind, slug, lang)
    except cards.CardNotFound:
        raise Http404 from None
    response = HttpResponse(data, content_type="image/jpeg")
    # Short: a withdrawn picture must not outlive consent in a crawler's or CDN's copy for long.
    response["Cache-Control"] = "public, max-age=300"
    return response

"""{% share_card_url kind slug %}: the absolute address of a share card (exhibitions/kit/cards.py)
in the current language, for og:image and twitter:image."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def share_card_url(kind: str, slug: str) -> str:
    lang = get_language() or settings.LANGUAGE_CODE
    return settings.SITE_URL.rstrip("/") + reverse("share-card", args=[kind, slug, lang])


@register.simple_tag
def site_absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path

"""Dates as each language writes them (CLDR through Babel), where Django's "j F" would put a
Chinese month name after the day ("21 八月") instead of 8月21日."""

from django import template
from django.utils.translation import get_language

from archive.search import labels

register = template.Library()


@register.filter
def day_month(value) -> str:
    return labels.day_and_month(value, get_language() or "en") if value else ""


@register.filter
def long_date(value) -> str:
    return labels.long_date(value, get_language() or "en") if value else ""

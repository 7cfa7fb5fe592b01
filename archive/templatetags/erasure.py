"""What an erasure cannot reach at once, for the receipt and the management page."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def backup_retention_days() -> int:
    return settings.BACKUP_RETENTION_DAYS

from django import template

from archive.i18n import pick

register = template.Library()


@register.filter
def in_language(language_map):
    """{{ item.title|in_language }} -> Localised(text, lang, is_fallback) in the current language."""
    return pick(language_map)

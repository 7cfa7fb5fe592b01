"""Sanitising user text (stories, captions, transcripts, curator narrative) to a small allow-list.

Contributors and curators may write simple markup: paragraphs, line breaks, emphasis, lists,
quotations and links. Everything else (scripts, event handlers, styles, iframes, images pointing
elsewhere, javascript: links) is removed by nh3 (the Rust "ammonia" sanitiser).

Use it
- in Python: ``sanitize_html(text)`` before storing or rendering; ``sanitize_language_map(map)``
  for the {"en": "...", "ar": "..."} fields;
- in templates: ``{{ item_story|sanitize }}`` (a builtin filter, no ``{% load %}`` needed; plain text
  keeps its paragraphs and line breaks);
- ``plain_text(text)`` where no markup belongs at all (titles, alt text, search snippets).
"""

from __future__ import annotations

import html
import re

import nh3
from django import template
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset({
    "p", "br", "em", "strong", "i", "b", "u", "s", "blockquote", "q", "cite",
    "ul", "ol", "li", "a", "abbr", "span", "sub", "sup", "h3", "h4",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "*": {"lang", "dir"},  # a story may quote another language, right-to-left or not
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Links in user text never pass our referrer or authority on (and are not followed by crawlers).
LINK_REL = "nofollow noopener noreferrer ugc"

# A real tag starts right after "<" (as browsers parse it); "a < b" is plain text.
_TAG = re.compile(r"</?[a-zA-Z!]")


def sanitize_html(text: str | None) -> str:
    """Markup reduced to the allow-list; safe to render unescaped."""
    if not text:
        return ""
    return nh3.clean(
        str(text),
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def plain_text(text: str | None) -> str:
    """All markup removed; the text content kept as plain (unescaped) text, for autoescaping."""
    if not text:
        return ""
    return html.unescape(nh3.clean(str(text), tags=set(), attributes={}))


def sanitize_language_map(value: dict | None) -> dict:
    """{"en": "<p>..</p>", ...} with each language's text sanitised; non-string values dropped."""
    return {str(lang): sanitize_html(text) for lang, text in (value or {}).items() if isinstance(text, str)}


def render_user_text(text: str | None) -> SafeString:
    """HTML for display: plain text gets paragraphs and line breaks, markup is sanitised."""
    if not text:
        return mark_safe("")  # noqa: S308
    text = str(text)
    if not _TAG.search(text):
        # Plain text: escape, then paragraphs/line breaks; the sanitiser pass below is a no-op
        # for this output but keeps one exit path.
        text = linebreaks(text, autoescape=True)
    return mark_safe(sanitize_html(text))  # noqa: S308 - output of the allow-list sanitiser


register = template.Library()


@register.filter(name="sanitize", is_safe=True)
def sanitize_filter(value) -> SafeString:
    """``{{ text|sanitize }}``: user text rendered through the allow-list."""
    return render_user_text(value)


@register.filter(name="plain_text")
def plain_text_filter(value) -> str:
    """``{{ text|plain_text }}``: markup stripped; the result is still autoescaped."""
    return plain_text(value)

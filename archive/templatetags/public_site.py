"""Template helpers for the public site: language links, optional URLs, localised text."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.safestring import mark_safe

from archive import vocabularies
from archive.i18n import pick

register = template.Library()

# Each language's name in itself, so a visitor recognises their own language in any interface.
NATIVE_NAMES = {
    "ar": "العربية",
    "zh-hans": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The current page in every language (prefixed URLs, path and query preserved)."""
    request = context.get("request")
    current = translation.get_language()
    path = request.get_full_path() if request else "/"
    links = []
    for code, _name in settings.LANGUAGES:
        links.append({
            "code": code,
            "name": NATIVE_NAMES.get(code, code),
            "url": translate_url(path, code),
            # hreflang alternates must be absolute; the public base, not the request's Host header.
            "absolute": getattr(settings, "SITE_URL", "").rstrip("/") + translate_url(path, code),
            "current": code == current,
        })
    return links


@register.filter
def language_name(code: str) -> str:
    """The language's name in the visitor's language ('French' on an English page)."""
    for lang, name in settings.LANGUAGES:
        if lang == code:
            return translation.gettext(name)
    return code


@register.filter
def localised(language_map):
    """{{ item.title|localised }} -> Localised(text, lang, is_fallback)."""
    return pick(language_map)


@register.filter
def timecode(seconds) -> str:
    """73.2 -> '1:13'; 3725 -> '1:02:05'."""
    try:
        total = int(float(seconds))
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def get_item(mapping, key):
    """{{ help|get_item:value }}: a dict lookup with a variable key."""
    try:
        return mapping.get(str(key), "")
    except AttributeError:
        return ""


def _vocabulary_label(name: str, key: str) -> str:

    for code, label in getattr(vocabularies, name, ()):
        if code == key:
            return str(label)
    return key


@register.filter
def warning_label(key: str) -> str:
    """A content-warning key ('violence') as the visitor reads it."""
    return _vocabulary_label("CONTENT_WARNINGS", key)


@register.filter
def rights_label(uri: str) -> str:
    """A rights URI as its label; Creative Commons and rightsstatements.org URIs are written with
    https as often as with the canonical http, and a missing trailing slash is the same statement."""
    key = (uri or "").strip()
    if key.startswith("https://"):
        key = "http://" + key[len("https://"):]
    if key and not key.endswith("/"):
        key += "/"
    label = _vocabulary_label("RIGHTS_STATEMENTS", key)
    return uri if label == key else label


@register.filter
def iso_date(value):
    """An ISO 8601 string (as receipts carry them) back to a datetime for the |date filter."""
    from django.utils.dateparse import parse_datetime

    if not value or not isinstance(value, str):
        return value
    try:
        return parse_datetime(value)
    except ValueError:
        return None




@register.filter
def text_dir(lang: str) -> str:
    """'rtl' or 'ltr' for content in `lang`, so an English story reads correctly on an Arabic page."""
    return "rtl" if (lang or "").split("-")[0] in vocabularies.RTL_LANGUAGES else "ltr"


@register.simple_tag
def iiif_info_url(media) -> str:
    """The IIIF Image API info.json of a photo, for the deep-zoom viewer ('' when not tiled/published).

    `media` is anything with an `asset_id` (archive.selectors.PublicMedia) or an `asset`
    (archive.models.ItemMedia). The caller has already checked consent for the page it renders;
    the pipeline publishes tiles only while the image service is allowed.
    """
    from media_pipeline.models import MediaAsset
    from media_pipeline.services import image_service_id

    asset = getattr(media, "asset", None)
    if asset is None:
        asset = MediaAsset.objects.filter(pk=getattr(media, "asset_id", None) or None).first()
    service = image_service_id(asset) if asset is not None else None
    return f"{service.rstrip('/')}/info.json" if service else ""


@register.filter
def name_as_shown(consent) -> str:
    """{{ choice|name_as_shown }}: the name exactly as the public would read it ("N. T." for
    initials, "" for no name), from a consent version or a choice dict not yet saved."""
    from archive.consent import name_for_display
    from archive.models import ConsentVersion

    if isinstance(consent, dict):
        consent = ConsentVersion(name_display=consent.get("name_display") or ConsentVersion.NameDisplay.ANONYMOUS,
                                 display_name=consent.get("display_name") or "")
    return name_for_display(consent) if consent is not None else ""


@register.filter
def scope_labels(scopes) -> str:
    """{{ consent.scopes|scope_labels }}: the scopes in words, in the visitor's language."""
    from archive.curator.forms import SCOPE_LABELS

    if isinstance(scopes, str):
        scopes = [scopes]
    return ", ".join(str(SCOPE_LABELS.get(s, s)) for s in scopes or [])


@register.simple_tag
def quick_exit_url() -> str:
    """The neutral page "leave this site quickly" goes to (settings.QUICK_EXIT_URL)."""
    return getattr(settings, "QUICK_EXIT_URL", "https://www.wikipedia.org/")


@register.simple_tag(takes_context=True)
def nav_current(context, prefix: str) -> str:
    """' aria-current="page"' when the request's path is under `prefix` (the home page only on itself)."""
    request = context.get("request")
    path = getattr(request, "path", "")
    home = reverse("home")
    here = path == prefix if prefix == home else bool(prefix) and path.startswith(prefix)
    return mark_safe(' aria-current="page"') if here else ""  # noqa: S308 (a constant)


@register.simple_tag(takes_context=True)
def ld_json(context, data):
    """A page's Schema.org JSON-LD block, with this response's CSP nonce (archive/linked_data.py)."""
    from archive.linked_data import script

    request = context.get("request")
    return script(data, getattr(request, "csp_nonce", "")) if data else ""


@register.filter
def approval_outcome(consent) -> str:
    """{{ consent|approval_outcome }}: "public", "research" or "": what approving would do (the
    consent policy's answer; the workspace words it on the review page and in the queue)."""
    from archive.consent import approval_outcome as outcome

    return outcome(consent)

"""The kit's public views: share card images, and the kiosk (its page, its service worker and its
synchronisation). Thin: exhibitions/kit/cards.py and kiosk.py do the reading, through consent."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from exhibitions import selectors
from exhibitions.kit import cards, kiosk
from exhibitions.models import Exhibition


def share_card(request, kind: str, slug: str, lang: str):
    if kind not in cards.KINDS or lang not in dict(settings.LANGUAGES):
        raise Http404
    try:
        data = cards.image(kind, slug, lang)
    except cards.CardNotFound:
        raise Http404 from None
    response = HttpResponse(data, content_type="image/jpeg")
    # Short, as for public media (memorial/fastpath.MEDIA_MAX_AGE): a withdrawn picture must not
    # outlive consent in a crawler's or CDN's copy for long.
    response["Cache-Control"] = "public, max-age=60"
    return response


def _live(slug: str) -> Exhibition:
    try:
        return selectors.live_exhibition(slug)
    except Exhibition.DoesNotExist:
        raise Http404 from None


def _no_store(response):
    # The kiosk's own cache (the service worker's) is the only copy; nothing in between may keep one.
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def kiosk_page(request, slug: str):
    exhibition = _live(slug)
    now = timezone.now()
    shown = kiosk.entries(exhibition, request.LANGUAGE_CODE, now)
    return _no_store(render(request, "exhibitions/kit/kiosk.html", {
        "exhibition": exhibition, "entries": shown, "confirmed_at": now.isoformat(),
        "entry_ids": json.dumps([e.id for e in shown]), "pages": json.dumps(kiosk.page_urls(exhibition)),
        "limit": exhibition.kiosk_confirm_seconds,
        "resync": settings.KIOSK_RESYNC_SECONDS, "idle": settings.KIOSK_IDLE_SECONDS,
        "attract": settings.KIOSK_ATTRACT_SECONDS, "pictures": [e for e in shown if e.image and not e.warnings][:8],
    }))


@csrf_exempt  # no cookie or session is read or written: a random kiosk id and our own signed token
@require_POST
def kiosk_sync(request, slug: str):
    """The signed manifest of the exhibition's entries now; the kiosk's sync is noted for curators.
    404 once the exhibition is not live: the kiosk then shows nothing."""
    exhibition = _live(slug)
    try:
        sent = json.loads(request.body or b"{}")
    except ValueError:
        sent = {}
    sent = sent if isinstance(sent, dict) else {}
    now = timezone.now()
    answer = kiosk.manifest(exhibition, now)
    kiosk.record_sync(exhibition, str(sent.get("kiosk", "")), str(sent.get("lang", "")),
                      str(sent.get("token", "")), len(answer["entries"]), now)
    return _no_store(JsonResponse(answer))


@require_GET
def kiosk_worker(request):
    """static/js/kiosk-sw.js from under /<lang>/kiosk/, so that its scope covers the kiosk pages of
    that language and nothing else of the site."""
    path = finders.find("js/kiosk-sw.js")
    with open(path, "rb") as f:
        response = HttpResponse(f.read(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response

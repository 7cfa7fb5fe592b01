"""Public pages of the archive: items, about, support."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from archive import selectors, surfaces
from archive.linked_data import item_data

# The gate of an item with content warnings is passed by choosing "show", which reloads the page
# with this parameter. Nothing is remembered server-side: no session, no record of which
# distressing items a visitor opened, and both pages stay cacheable (memorial/pagecache.py).
SHOWN_PARAM = "shown"


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/about.html")


def support(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/support.html")


def item_detail(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    page = selectors.item_page(item_id)
    if page is None:
        raise Http404(_("This item is not available."))
    if page.has_warnings and request.GET.get(SHOWN_PARAM) != "1":
        return render(request, "archive/content_warning.html", {
            "page": page, "shown_param": SHOWN_PARAM, "back_url": back_url(request),
        })
    chosen = _chosen_photo(request, len(page.photos))
    return render(request, "archive/item_detail.html", {
        "page": page,
        # One viewer, showing the chosen photograph; the others are thumbnails that choose them.
        "viewer_photos": page.photos[chosen:chosen + 1],
        "chosen_photo": chosen + 1,
        "shown_param": SHOWN_PARAM if page.has_warnings else "",
        "item": page.item,
        # The player renders the transcript beside the recording it follows.
        "av_has_transcript": bool(page.recordings),
        "item_url": request.build_absolute_uri(request.path),
        # Panels other floors add (the IIIF links), already rendered: see archive.surfaces.
        "panels": surfaces.registry.panels(page, request),
        "linked_data": item_data(page, request),  # Schema.org JSON-LD, from what this page shows
    })


def _chosen_photo(request: HttpRequest, count: int) -> int:
    """The index of the photograph the viewer shows (`?photo=N`, from 1), the first when N is not one."""
    try:
        number = int(request.GET.get("photo", "1"))
    except ValueError:
        number = 1
    return number - 1 if 1 <= number <= count else 0


def back_url(request: HttpRequest) -> str:
    """Where "take me back" goes: a same-site `next` path, else home (site.js prefers history.back()).

    Only a path on this site is accepted, never another host or scheme (no open redirect), and the
    gate itself is not a place to go back to.
    """
    target = request.GET.get("next", "")
    safe = (
        target.startswith("/") and not target.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False)
        and not target.startswith(request.path)
    )
    return target if safe else reverse("home")

"""The reading room (approved researchers) and the applications (archivists).

Every answer here is private and never stored by any cache (`Cache-Control: private, no-store`),
so a withdrawal, a revocation or an expiry holds at the next request. Access is read from the
database at every request (selectors.active_access) and what an item shows is the consent policy's
answer for `research` (archive.consent.research_allows, through the projection).
"""

from __future__ import annotations

import mimetypes
from datetime import datetime, time
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from archive import vocabularies
from archive.curator.access import require
from archive.research import selectors, services
from archive.research.forms import ApplicationForm, DecisionForm
from archive.research.models import ResearchAccess

# The one sign-in page of staff and researchers (memorial/accounts.py).
SIGN_IN = reverse_lazy("sign-in")


def private(view):
    """Research answers are for one person: no shared or browser cache may keep them."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def researcher(view):
    """Anonymous visitors sign in; people without approved, unexpired access go to the room's
    page that says why (it shows no items)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url=SIGN_IN)
        access = selectors.active_access(request.user)
        if access is None:
            return redirect("research:room")
        request.research_access = access
        return view(request, *args, **kwargs)

    return wrapped


@private
@require_GET
def room(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url=SIGN_IN)
    access = selectors.active_access(request.user)
    context = {"access": access, "application": selectors.latest_application(request.user),
               "can_decide": request.user.has_perm("archive.approve_research")}
    if access is not None:
        context["items"] = list(selectors.reading_room()[:200])
    return render(request, "curator/research/room.html", context)


@private
@require_GET
@researcher
def item(request, item_id):
    pub = selectors.research_projection(item_id)
    if pub is None:
        raise Http404(_("This item is not open to research (any more)."))
    services.record_view(request.user, item_id, "item page")
    labels = dict(vocabularies.CONTENT_WARNINGS)
    media = [m for m in pub.media if _preview(m.asset)]
    for m in media:
        m.preview_name = _preview(m.asset)
    return render(request, "curator/research/item.html", {
        "pub": pub, "media": media, "warnings": [str(labels.get(w, w)) for w in pub.content_warnings],
        "transcripts": [m for m in pub.media if m.asset.kind == "transcript" and m.asset.cues],
    })


# The derivative shown per kind, by preference (the pipeline's names).
_PREVIEW = {"image": ("web_jpeg", "web"), "audio": ("rendition", "audio"), "video": ("rendition", "video")}


def _preview(asset) -> str:
    derivatives = asset.derivatives or {}
    return next((n for n in _PREVIEW.get(asset.kind, ()) if isinstance(derivatives.get(n), str)), "")


@private
@require_GET
@researcher
def media(request, item_id, media_id, name):
    """One derivative, from private storage, through this check: never a public URL."""
    pub = selectors.research_projection(item_id)
    use = next((m for m in pub.media if m.pk == media_id), None) if pub else None
    if use is None or name != _preview(use.asset):
        raise Http404
    key = use.asset.derivatives[name]
    storage = storages["private"]
    if not storage.exists(key):
        raise Http404
    services.record_view(request.user, item_id, f"media {media_id} {name}")
    response = FileResponse(storage.open(key, "rb"),
                            content_type=mimetypes.guess_type(key)[0] or "application/octet-stream")
    response["Content-Disposition"] = "inline"
    return response


@private
@require_http_methods(["GET", "POST"])
def apply(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url=SIGN_IN)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.apply(request.user, institution=data["institution"], purpose=data["purpose"],
                           agreement_accepted=data["agreement"])
        except services.ResearchError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your application is sent. An archivist will decide on it."))
            return redirect("research:room")
    return render(request, "curator/research/apply.html", {"form": form, "version": services.AGREEMENT_VERSION})


@private
@require_GET
@require("archive.approve_research")
def applications(request):
    status = request.GET.get("status", ResearchAccess.Status.PENDING)
    return render(request, "curator/research/applications.html", {
        "applications": list(selectors.applications(status)[:200]), "status": status,
        "statuses": ResearchAccess.Status.choices, "form": DecisionForm(),
        "default_expiry": (timezone.localdate() + services.DEFAULT_APPROVAL).isoformat(),
    })


def _end_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


@private
@require_POST
@require("archive.approve_research")
def decide(request, pk, decision):
    access = get_object_or_404(ResearchAccess, pk=pk)
    form = DecisionForm(request.POST)
    if decision not in ("approve", "refuse", "revoke") or not form.is_valid():
        messages.error(request, _("The decision could not be read; try again."))
        return redirect("research:applications")
    data = form.cleaned_data
    try:
        if decision == "approve":
            if data["expires_on"] is None:
                raise services.ResearchError(_("Choose an expiry date in the future."))
            services.approve(access, actor=request.user, expires_at=_end_of(data["expires_on"]), note=data["note"])
            messages.success(request, _("Approved. The researcher can read the reading room until the expiry."))
        elif decision == "refuse":
            services.refuse(access, actor=request.user, note=data["note"])
            messages.success(request, _("Refused. The applicant sees your reason."))
        else:
            services.revoke(access, actor=request.user, note=data["note"])
            messages.success(request, _("Revoked. The access ended now, including IIIF tokens."))
    except services.ResearchError as exc:
        messages.error(request, str(exc))
    return redirect(f"{reverse('research:applications')}?status={access.status}")

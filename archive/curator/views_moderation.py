"""The moderation queue (filters, thumbnails behind content warnings, assignment, bulk decisions),
the review page and one decision at a time. Decisions go through archive.moderation only."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from archive import consent, vocabularies
from archive.curator import selectors, services
from archive.curator.access import require
from archive.curator.forms import SCOPE_LABELS, BulkForm, QueueFilterForm, ReasonForm
from archive.models import Item, ItemMedia


def item_or_404(item_id) -> Item:
    try:
        return selectors.item_for_review(item_id)
    except Item.DoesNotExist as exc:
        raise Http404(_("No such item.")) from exc


# Which derivative to preview, by preference (the pipeline names them; see media_pipeline).
_PREVIEW_NAMES = {
    "image": ("web", "web_jpeg", "web.jpg", "large", "thumb", "thumbnail"),
    "audio": ("rendition", "web", "audio", "opus", "mp3"),
    "video": ("rendition", "web", "video", "mp4"),
}
_THUMB_NAMES = {"image": ("thumb_jpeg", "thumb", "small"), "video": ("poster",)}


def _first(asset, names) -> str:
    derivatives = asset.derivatives or {}
    return next((n for n in names if isinstance(derivatives.get(n), str)), "")


def preview_name(asset) -> str:
    return _first(asset, _PREVIEW_NAMES.get(asset.kind, ()))


def warning_labels(item: Item) -> list[str]:
    labels = dict(vocabularies.CONTENT_WARNINGS)
    return [str(labels.get(w, w)) for w in item.content_warnings or []]


def _queue_row(item: Item) -> dict:
    """What one row of the queue shows: a thumbnail or a player for the first file that has one."""
    media = [m for m in item.media.all() if m.asset.status == "ready"]
    thumb = next(((m, _first(m.asset, _THUMB_NAMES.get(m.asset.kind, ()))) for m in media
                  if _first(m.asset, _THUMB_NAMES.get(m.asset.kind, ()))), (None, ""))
    player = next(((m, preview_name(m.asset)) for m in media if m.asset.kind == "audio" and preview_name(m.asset)),
                  (None, ""))
    return {"item": item, "thumb": thumb, "player": player, "warnings": warning_labels(item),
            "waiting": timezone.now() - item.created_at}


@require_GET
@require("archive.moderate_item")
def queue(request):
    filters = QueueFilterForm(request.GET or None)
    chosen = filters.filters()
    status = chosen.pop("status")
    waiting = selectors.moderation_queue(status, user=request.user, **chosen)
    # Keyset pages (CURATOR_PAGE_SIZE): the last page costs what the first does, however long the queue.
    page = selectors.queue_page(waiting, request.GET.get("after"), request.GET.get("before"))
    rows = [_queue_row(item) for item in page]
    oldest = selectors.moderation_queue().values_list("created_at", flat=True).first()
    return render(request, "curator/queue.html", {
        "rows": rows, "page": page, "query": selectors.without_cursor(request.GET),
        "total": waiting.count(), "filters": filters, "oldest": oldest,
        "bulk": BulkForm(moderators=selectors.moderators()),
        "can_publish": request.user.has_perm("archive.publish_item"),
    })


# What a single approval did, by the consent's answer (consent.approval_outcome).
_APPROVED = {
    consent.APPROVAL_PUBLIC: gettext_lazy("Published. The item is now where its consent allows."),
    consent.APPROVAL_RESEARCH: gettext_lazy("Approved for vetted research. It appears on no public page; approved "
                                            "researchers read it in the reading room."),
}


# One permission per decision: approving publishes, so a moderator cannot.
_DECISIONS = {
    "approve": "archive.publish_item",
    "request-changes": "archive.moderate_item",
    "reject": "archive.moderate_item",
    "assign": "archive.moderate_item",
}


@require_POST
@require("archive.moderate_item")
def bulk(request):
    """Several submissions at once. Permission and input are checked before anything is touched."""
    form = BulkForm(request.POST, moderators=selectors.moderators())
    back = reverse("curator:queue") + ("?" + request.POST["query"] if request.POST.get("query") else "")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    if not request.user.has_perm(_DECISIONS[data["action"]]):
        raise PermissionDenied
    items = list(Item.objects.filter(pk__in=data["items"]).select_related("assigned_to").order_by("created_at"))
    if len(items) != len(data["items"]):
        messages.error(request, _("Nothing was changed: a selected submission no longer exists."))
        return redirect(back)
    assignee = selectors.moderators().filter(pk=data["assignee"]).first() if data.get("assignee") else None
    try:
        n = services.decide_many(items, decision=data["action"], actor=request.user,
                                 reason=(data.get("reason") or "").strip(), assignee=assignee)
    except services.CuratorError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, ngettext("%(n)d submission done: %(what)s.", "%(n)d submissions done: %(what)s.", n)
                         % {"n": n, "what": dict(BulkForm.ACTIONS)[data["action"]]})
        research = sum(consent.approval_outcome(i.current_consent) == consent.APPROVAL_RESEARCH for i in items)
        if data["action"] == "approve" and research:
            messages.info(request, ngettext(
                "%(n)d of them is for vetted research only: it appears on no public page.",
                "%(n)d of them are for vetted research only: they appear on no public page.", research)
                % {"n": research})
    return redirect(back)


@require_POST
@require("archive.moderate_item")
def assign(request, item_id):
    """Take a submission in hand ("assign to me") or release it, from the review page."""
    item = item_or_404(item_id)
    services.assign(item, to=request.user if request.POST.get("to") == "me" else None, actor=request.user)
    messages.success(request, _("Assignment saved."))
    return redirect("curator:review", item_id=item.pk)


@require_GET
@require("archive.view_item")
def review(request, item_id):
    item = item_or_404(item_id)
    media = selectors.item_media(item)
    for m in media:
        m.preview_name = preview_name(m.asset)
    return render(request, "curator/review.html", {
        "item": item, "media": media, "consent": item.current_consent, "scope_labels": SCOPE_LABELS,
        "reason_form": ReasonForm(), "can_publish": request.user.has_perm("archive.publish_item"),
        "can_moderate": request.user.has_perm("archive.moderate_item"),
        "warning_labels": warning_labels(item),
    })


@require_POST
@require()
def decide(request, item_id, decision):
    from archive import moderation  # the consent engineer's service: approve / reject / request_changes

    if decision not in _DECISIONS or decision == "assign":
        raise Http404
    if not request.user.has_perm(_DECISIONS[decision]):
        raise PermissionDenied
    item = item_or_404(item_id)
    back = reverse("curator:review", args=[item.pk])
    try:
        if decision == "approve":
            moderation.approve(item, actor=request.user)
            messages.success(request, _APPROVED[consent.approval_outcome(item.current_consent)])
            return redirect("curator:queue")
        form = ReasonForm(request.POST)
        if not form.is_valid():
            for error in form.errors.get("reason", []):
                messages.error(request, error)
            return redirect(back)
        reason = form.cleaned_data["reason"]
        if decision == "reject":
            moderation.reject(item, actor=request.user, reason=reason)
            messages.success(request, _("Rejected. The reason is on the contributor's receipt."))
        else:
            moderation.request_changes(item, actor=request.user, reason=reason)
            messages.success(request, _("Changes requested. The reason is on the contributor's receipt."))
    except moderation.ModerationError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    return redirect("curator:queue")


@require_GET
@require("media_pipeline.view_mediaasset")
def media_preview(request, asset_id, name):
    """Stream one derivative of an asset from private storage to staff: previews of unpublished
    media never touch public storage and are never cached by anyone."""
    media = get_object_or_404(ItemMedia.objects.select_related("asset"), asset_id=asset_id, item__isnull=False)
    asset = media.asset
    key = (asset.derivatives or {}).get(name)
    if not key or not isinstance(key, str):
        raise Http404
    storage = storages["private"]
    if not storage.exists(key):
        raise Http404
    content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
    response = FileResponse(storage.open(key, "rb"), content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response

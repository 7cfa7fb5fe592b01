"""The curator workspace: moderation queue, review, description, consent panel, audit log.

Thin views: selectors read, services write, archive.moderation decides. Every view names the
permission it needs (archive.curator.access.require); the roles hold them (roles.py).
"""

from __future__ import annotations

import csv
import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from archive import audit, vocabularies
from archive.curator import selectors, services
from archive.curator.access import require
from archive.curator.forms import (
    SCOPE_LABELS,
    TEXT_FIELDS,
    AuditFilterForm,
    DescriptionForm,
    PaperConsentForm,
    ReasonForm,
    RedactionForm,
)
from archive.curator.roles import role_names
from archive.models import SURFACES, ConsentVersion, Item, ItemMedia


def _item_or_404(item_id) -> Item:
    try:
        return selectors.item_for_review(item_id)
    except Item.DoesNotExist as exc:
        raise Http404(_("No such item.")) from exc


@require_GET
@require()
def dashboard(request):
    user = request.user
    return render(request, "curator/dashboard.html", {
        "roles": role_names(user),
        "queue_count": selectors.moderation_queue().count(),
    })


# --- Moderation ---------------------------------------------------------------------------------

@require_GET
@require("archive.moderate_item")
def queue(request):
    status = request.GET.get("status", "")
    items = selectors.queue_page(status, request.GET.get("after"), request.GET.get("before"))
    return render(request, "curator/queue.html", {
        "items": items, "status": status, "statuses": selectors.QUEUE_STATUSES, "scope_labels": SCOPE_LABELS,
        "query": _without_cursor(request),
    })


def _without_cursor(request) -> str:
    """The list's query string without its page cursor, for the pager's links."""
    query = request.GET.copy()
    for key in ("page", "after", "before"):
        query.pop(key, None)
    return query.urlencode()


@require_GET
@require("archive.view_item")
def review(request, item_id):
    item = _item_or_404(item_id)
    media = selectors.item_media(item)
    for m in media:
        m.preview_name = preview_name(m.asset)
    return render(request, "curator/review.html", {
        "item": item, "media": media, "consent": item.current_consent, "scope_labels": SCOPE_LABELS,
        "reason_form": ReasonForm(), "can_publish": request.user.has_perm("archive.publish_item"),
        "can_moderate": request.user.has_perm("archive.moderate_item"),
        "warning_labels": _warning_labels(item),
    })


# Which derivative to preview, by preference (the pipeline names them; see media_pipeline).
_PREVIEW_NAMES = {
    "image": ("web", "web_jpeg", "web.jpg", "large", "thumb", "thumbnail"),
    "audio": ("rendition", "web", "audio", "opus", "mp3"),
    "video": ("rendition", "web", "video", "mp4"),
}


def preview_name(asset) -> str:
    derivatives = asset.derivatives or {}
    for name in _PREVIEW_NAMES.get(asset.kind, ()):
        if isinstance(derivatives.get(name), str):
            return name
    return ""


def _warning_labels(item: Item) -> list[str]:
    labels = dict(vocabularies.CONTENT_WARNINGS)
    return [str(labels.get(w, w)) for w in item.content_warnings or []]


# One permission per decision: approving publishes, so a moderator cannot.
_DECISIONS = {
    "approve": "archive.publish_item",
    "request-changes": "archive.moderate_item",
    "reject": "archive.moderate_item",
}


@require_POST
@require()
def decide(request, item_id, decision):
    from archive import moderation  # the consent engineer's service: approve / reject / request_changes

    if decision not in _DECISIONS:
        raise Http404
    if not request.user.has_perm(_DECISIONS[decision]):
        raise PermissionDenied
    item = _item_or_404(item_id)
    back = reverse("curator:review", args=[item.pk])
    try:
        if decision == "approve":
            moderation.approve(item, actor=request.user)
            messages.success(request, _("Published. The item is now where its consent allows."))
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


# --- Description -------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@require("archive.change_item")
def describe(request, item_id):
    item = _item_or_404(item_id)
    if request.method == "POST":
        form = DescriptionForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            subjects = data.pop("subjects")
            for name in list(data):
                if any(name.startswith(f"{f}_") for f in TEXT_FIELDS):
                    data.pop(name)
            services.describe_item(item, actor=request.user, language_maps=form.language_maps(),
                                   subjects=subjects, **data)
            messages.success(request, _("Description saved."))
            return redirect("curator:describe", item_id=item.pk)
    else:
        form = DescriptionForm(initial=DescriptionForm.initial_for(item))
    rows = []
    for name, label in (("title", _("Title")), ("summary", _("Summary")), ("story", _("Story"))):
        value = getattr(item, name) or {}
        rows.append({"label": label, "cells": [
            {"field": form[f"{name}_{lang}"], "lang": lang,
             "status": vocabularies.translation_status(value, lang, item.original_language)}
            for lang, _l in vocabularies.CONTENT_LANGUAGES]})
    return render(request, "curator/describe.html", {"item": item, "form": form, "rows": rows})


# --- Consent panel -----------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@require("archive.view_consentversion")
def consent_panel(request, item_id):
    item = _item_or_404(item_id)
    can_record = request.user.has_perm("archive.record_paper_consent")
    form = None
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        form = PaperConsentForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_paper_consent(
                    item, actor=request.user, scopes=data["scopes"], evidence=data["evidence"],
                    evidence_ext=form.evidence_ext, name_display=data["name_display"],
                    display_name=data["display_name"], given_by_name=data["given_by_name"],
                    embargo_until=data["embargo_until"], expires_at=data["expires_at"],
                )
            except (services.CuratorError, ValueError) as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("The paper consent is recorded as a new version."))
                return redirect("curator:consent", item_id=item.pk)
    elif can_record:
        form = PaperConsentForm()
    from archive import consent as policy

    return render(request, "curator/consent.html", {
        "item": item, "consent": item.current_consent, "history": selectors.consent_history(item),
        "reports": selectors.removal_reports(item),
        "surfaces_now": [(SCOPE_LABELS[s], policy.refusal(item, s)) for s in SURFACES],
        "scope_labels": SCOPE_LABELS, "form": form,
    })


@require_POST
@require("archive.request_erasure")
def erase(request, item_id):
    """Carry out a contributor's erasure request received outside the private link (a letter, a
    call). Everything of the contribution goes; a minimal tombstone and the audit trail remain."""
    from archive import contributions

    item = _item_or_404(item_id)
    if request.POST.get("confirm") != "erase" or not request.POST.get("reference", "").strip():
        messages.error(request, _("Type the request's reference and tick the confirmation to erase."))
        return redirect("curator:consent", item_id=item.pk)
    if item.contribution is None:
        messages.error(request, _("This item did not come through a contribution; erase it with its media instead."))
        return redirect("curator:consent", item_id=item.pk)
    contributions.erase(item.contribution, actor=request.user, actor_label=request.user.get_username())
    audit.record("erasure.requested", actor=request.user, item=item,
                 target=request.POST["reference"].strip()[:200])
    messages.success(request, _("Erased. Only a tombstone and the audit trail remain."))
    return redirect("curator:review", item_id=item.pk)


@require_GET
@require("archive.verify_fixity")
def fixity(request, item_id):
    from media_pipeline import services as media

    item = _item_or_404(item_id)
    results = [(m, media.verify_fixity(m.asset)) for m in selectors.item_media(item)]
    return render(request, "curator/fixity.html", {"item": item, "results": results})


@require_GET
@require("archive.view_consentversion", "archive.record_paper_consent")
def consent_evidence(request, version_id):
    version = get_object_or_404(ConsentVersion, pk=version_id)
    if not version.evidence:
        raise Http404
    response = FileResponse(version.evidence.open("rb"),
                            content_type=mimetypes.guess_type(version.evidence.name)[0] or "application/octet-stream")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Audit log ---------------------------------------------------------------------------------

@require_GET
@require("archive.view_auditevent")
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_events(**{k: v or "" for k, v in filters.items()})
    page = selectors.audit_page(events, request.GET.get("after"), request.GET.get("before"))
    return render(request, "curator/audit.html", {
        "form": form, "page": page, "actions": selectors.audit_actions(), "query": _without_cursor(request),
    })


def _csv_cell(value) -> str:
    # Spreadsheet formula injection: a cell starting with = + - @ is read as a formula.
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value):
        return value


@require_GET
@require("archive.view_auditevent")
def audit_csv(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_events(**{k: v or "" for k, v in filters.items()})
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(["at", "actor", "action", "item", "target", "before", "after"])
        for e in events.iterator(chunk_size=500):
            yield writer.writerow([_csv_cell(x) for x in (
                e.at.isoformat(), e.actor.get_username() if e.actor_id else e.actor_label, e.action,
                e.item_id_ref or "", e.target, _json(e.before), _json(e.after))])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


# --- Redaction ---------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@require("archive.view_item")
def redact(request, item_id):
    from archive import redaction

    item = _item_or_404(item_id)
    media = selectors.item_media(item)
    form = RedactionForm()
    if request.method == "POST":
        if not request.user.has_perm("archive.redact_media"):
            raise PermissionDenied
        form = RedactionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            target = next((m for m in media if m.pk == data["media"]), None)
            if target is None:
                raise Http404
            try:
                redaction.add(target, spec=redaction.spec_from_form(data), note=data["note"], actor=request.user)
            except redaction.RedactionError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Redaction applied: the public files were made again from the master."))
                return redirect("curator:redact", item_id=item.pk)
    return render(request, "curator/redact.html", {
        "item": item, "media": media, "form": form, "kinds": RedactionForm.KINDS,
        "can_reverse": request.user.has_perm("archive.reverse_redaction"),
        "can_redact": request.user.has_perm("archive.redact_media"),
    })


@require_POST
@require("archive.reverse_redaction")
def reverse_redaction(request, item_id, media_id, redaction_id):
    from archive import redaction

    media = get_object_or_404(ItemMedia.objects.select_related("asset"), pk=media_id, item_id=item_id)
    try:
        redaction.reverse(media, redaction_id=redaction_id, actor=request.user)
    except redaction.RedactionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Redaction reversed: the public files were made again from the master."))
    return redirect("curator:redact", item_id=item_id)

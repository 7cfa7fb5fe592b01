"""The curator workspace: dashboard, description, consent panel, erasure, fixity.

The moderation queue and review are in views_moderation.py, the audit log in views_audit.py,
redaction in views_redaction.py. Thin views: selectors read, services write, archive.moderation
decides. Every view names the permission it needs (archive.curator.access.require); the roles
hold them (roles.py).
"""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from archive import audit, vocabularies
from archive.curator import selectors, services
from archive.curator.access import require
from archive.curator.forms import SCOPE_LABELS, TEXT_FIELDS, DescriptionForm, PaperConsentForm
from archive.curator.roles import role_names
from archive.curator.views_moderation import item_or_404
from archive.models import SURFACES, ConsentVersion


@require_GET
@require()
def dashboard(request):
    user = request.user
    return render(request, "curator/dashboard.html", {
        "roles": role_names(user),
        "queue_count": selectors.moderation_queue().count(),
    })


# --- Description -------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@require("archive.change_item")
def describe(request, item_id):
    item = item_or_404(item_id)
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
    item = item_or_404(item_id)
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

    item = item_or_404(item_id)
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

    item = item_or_404(item_id)
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

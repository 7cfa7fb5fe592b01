"""Redaction on the material itself: regions drawn on the photograph, time ranges on a timeline
with playback and a waveform, words chosen in the transcript (static/js/curator-redact.js); the
form's fields stay the way to do it without JavaScript. archive.redaction audits and reverses."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from archive.curator import selectors
from archive.curator.access import require
from archive.curator.forms import RedactionForm
from archive.curator.views_moderation import item_or_404, preview_name
from archive.models import ItemMedia

CUES_SHOWN = 80


@require_http_methods(["GET", "POST"])
@require("archive.view_item")
def redact(request, item_id):
    from archive import redaction

    item = item_or_404(item_id)
    media = selectors.item_media(item)
    for m in media:
        m.preview_name = preview_name(m.asset)
        if m.asset.kind == "transcript":
            # Words to choose from, as buttons: the first cues only (a long transcript uses the field).
            m.cue_words = [(c.get("text") or "").split() for c in (m.asset.cues or [])[:CUES_SHOWN]]
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
                redaction.add_many(target, specs=redaction.specs_from_form(data), note=data["note"],
                                   actor=request.user)
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


@require_GET
@require("archive.view_item", "media_pipeline.view_mediaasset")
def waveform(request, item_id, media_id):
    """The recording's peaks, for the timeline (computed from the private rendition, never cached)."""
    from media_pipeline import redaction as pipeline
    from media_pipeline.exceptions import RedactionNotApplicable

    media = get_object_or_404(ItemMedia.objects.select_related("asset"), pk=media_id, item_id=item_id)
    try:
        data = pipeline.waveform(media.asset)
    except RedactionNotApplicable as exc:
        raise Http404(str(exc)) from exc
    response = JsonResponse(data)
    response["Cache-Control"] = "private, no-store"
    return response


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

"""Views of the exhibition builder. Thin: exhibitions.services.builder writes, consent is asked there.

Every control is a plain form that works without JavaScript (move up / move down are buttons);
static/js/curator-builder.js adds drag and drop and keeps keyboard focus where it was.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from archive.curator.access import require
from archive.models import Item, ItemMedia
from exhibitions import selectors
from exhibitions.curator_forms import LANGS, CaptionForm, ExhibitionSettingsForm, NewExhibitionForm
from exhibitions.kit import kiosk
from exhibitions.models import Exhibition, ExhibitionEntry
from exhibitions.services import builder


def _exhibition(pk: int) -> Exhibition:
    return get_object_or_404(Exhibition.objects.select_related("remembrance_day"), pk=pk)


def _entry(exhibition: Exhibition, entry_id: int) -> ExhibitionEntry:
    return get_object_or_404(ExhibitionEntry.objects.select_related("item", "exhibition"),
                             pk=entry_id, exhibition=exhibition)


def _back(exhibition: Exhibition, entry_id: int | None = None):
    url = reverse("curator_exhibitions:builder", args=[exhibition.pk])
    return redirect(f"{url}#entry-{entry_id}" if entry_id else url)


@require_http_methods(["GET", "POST"])
@require("exhibitions.view_exhibition")
def exhibition_list(request):
    form = NewExhibitionForm()
    if request.method == "POST":
        if not request.user.has_perm("exhibitions.add_exhibition"):
            raise Http404
        form = NewExhibitionForm(request.POST)
        if form.is_valid():
            try:
                exhibition = builder.create_exhibition(slug=form.cleaned_data["slug"],
                                                       title={"en": form.cleaned_data["title"]}, actor=request.user)
            except builder.BuilderError as exc:
                form.add_error("slug", str(exc))
            else:
                return _back(exhibition)
    return render(request, "curator/exhibitions/list.html",
                  {"exhibitions": selectors.exhibitions_for_builder(), "form": form, "now": timezone.now()})


@require_GET
@require("exhibitions.change_exhibition")
def builder_view(request, pk):
    exhibition = _exhibition(pk)
    entries = selectors.entries_for_builder(exhibition)
    for entry in entries:
        entry.caption_form = CaptionForm(initial=entry.caption or {}, prefix_id=entry.pk)
    query = request.GET.get("q", "")
    return render(request, "curator/exhibitions/builder.html", {
        "exhibition": exhibition, "entries": entries, "query": query,
        "candidates": selectors.addable_items(exhibition, query), "langs": LANGS,
        "kiosks": kiosk.kiosks(exhibition), "kiosk_minutes": exhibition.kiosk_confirm_seconds // 60,
        "live": selectors.live_exhibitions().filter(pk=exhibition.pk).exists(),
    })


@require_http_methods(["GET", "POST"])
@require("exhibitions.change_exhibition")
def settings_view(request, pk):
    exhibition = _exhibition(pk)
    if request.method == "POST":
        form = ExhibitionSettingsForm(request.POST)
        if form.is_valid():
            try:
                builder.update_exhibition(exhibition, actor=request.user, **form.values())
            except builder.BuilderError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Exhibition saved."))
                return redirect("curator_exhibitions:settings", pk=exhibition.pk)
    else:
        form = ExhibitionSettingsForm(initial=ExhibitionSettingsForm.initial_for(exhibition))
    texts = [(name, label, [form[f"{name}_{lang}"] for lang, _l in LANGS])
             for name, label in (("title", _("Title")), ("summary", _("Summary")),
                                 ("introduction", _("Introduction")))]
    return render(request, "curator/exhibitions/settings.html",
                  {"exhibition": exhibition, "form": form, "texts": texts})


@require_GET
@require("exhibitions.view_exhibition")
def preview(request, pk):
    """The exhibition exactly as the public will see it at a moment (opening day by default):
    the public selectors decide, consent included, so a withdrawn item is missing here too."""
    exhibition = _exhibition(pk)
    at = parse_datetime(request.GET.get("at", "") or "") if request.GET.get("at") else None
    if at is not None and timezone.is_naive(at):
        at = timezone.make_aware(at)
    moment = selectors.preview_moment(exhibition, at)
    live = selectors.live_exhibitions(moment).filter(pk=exhibition.pk).exists()
    entries = selectors.public_entries(exhibition, moment)
    preview_url = ""
    for name in ("exhibition-preview", "exhibition_preview"):  # the public app's URL name
        try:
            preview_url = request.build_absolute_uri(reverse(name, args=[exhibition.preview_token]))
            break
        except NoReverseMatch:
            continue
    response = render(request, "curator/exhibitions/preview.html", {
        "exhibition": exhibition, "entries": entries, "moment": moment, "live": live,
        "preview_url": preview_url if exhibition.status != Exhibition.Status.DRAFT else "",
        "hidden": len(selectors.entries_for_builder(exhibition)) - len(entries),
    })
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@require("exhibitions.add_exhibitionentry")
def add_entry(request, pk):
    exhibition = _exhibition(pk)
    item = get_object_or_404(Item, pk=request.POST.get("item"))
    media = None
    if request.POST.get("media"):
        media = get_object_or_404(ItemMedia, pk=request.POST["media"], item=item)
    try:
        entry = builder.add_entry(exhibition, item, media=media, actor=request.user)
    except builder.BuilderError as exc:
        messages.error(request, str(exc))
        return _back(exhibition)
    messages.success(request, _("Added to the exhibition."))
    return _back(exhibition, entry.pk)


@require_POST
@require("exhibitions.change_exhibitionentry")
def move_entry(request, pk, entry_id, direction):
    exhibition = _exhibition(pk)
    entry = _entry(exhibition, entry_id)
    try:
        builder.move_entry(entry, direction=direction, actor=request.user)
    except builder.BuilderError as exc:
        messages.error(request, str(exc))
    return _back(exhibition, entry.pk)


@require_POST
@require("exhibitions.change_exhibitionentry")
def reorder(request, pk):
    """Drag and drop (JavaScript) posts the whole order: {"order": [entry ids]} or order=1,2,3."""
    exhibition = _exhibition(pk)
    try:
        if request.content_type == "application/json":
            ids = [int(i) for i in json.loads(request.body or b"{}").get("order", [])]
        else:
            ids = [int(i) for i in request.POST.get("order", "").split(",") if i.strip()]
        builder.reorder(exhibition, ids, actor=request.user)
    except (ValueError, TypeError, AttributeError) as exc:
        message = str(exc) if isinstance(exc, builder.BuilderError) else _("The order sent could not be read.")
        if request.content_type == "application/json":
            return JsonResponse({"error": message}, status=400)
        messages.error(request, message)
        return _back(exhibition)
    if request.content_type == "application/json":
        return JsonResponse({"order": [e.pk for e in selectors.entries_for_builder(exhibition)]})
    return _back(exhibition)


@require_POST
@require("exhibitions.change_exhibitionentry")
def caption(request, pk, entry_id):
    exhibition = _exhibition(pk)
    entry = _entry(exhibition, entry_id)
    form = CaptionForm(request.POST, prefix_id=entry.pk)
    if form.is_valid():
        builder.set_caption(entry, form.cleaned_data, actor=request.user)
        messages.success(request, _("Caption saved."))
    else:
        messages.error(request, _("The caption is too long (2,000 characters at most per language)."))
    return _back(exhibition, entry.pk)


@require_POST
@require("exhibitions.delete_exhibitionentry")
def remove_entry(request, pk, entry_id):
    exhibition = _exhibition(pk)
    builder.remove_entry(_entry(exhibition, entry_id), actor=request.user)
    messages.success(request, _("Removed from the exhibition."))
    return _back(exhibition)

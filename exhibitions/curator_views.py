"""Views of the exhibition builder. Thin: exhibitions.services.builder writes, consent is asked there.

Every control is a plain form that works without JavaScript (move up / move down are buttons);
static/js/curator-builder.js adds drag and drop and keeps keyboard focus where it was.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from archive.curator.access import require
from archive.models import Item, ItemMedia
from exhibitions import builder_selectors, selectors
from exhibitions import curator_text_views as text_views
from exhibitions import views as public_views
from exhibitions.curator_forms import (
    LANGS,
    CaptionForm,
    ExhibitionSettingsForm,
    NewExhibitionForm,
    PickerForm,
    SectionForm,
    caption_status,
)
from exhibitions.kit import kiosk
from exhibitions.models import Exhibition, ExhibitionEntry, ExhibitionSection
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
    exhibitions = list(selectors.exhibitions_for_builder())
    for each in exhibitions:
        each.status_text = builder_selectors.status_text(each)
    return render(request, "curator/exhibitions/list.html", {"exhibitions": exhibitions, "form": form})


@require_GET
@require("exhibitions.change_exhibition")
def builder_view(request, pk):
    exhibition = _exhibition(pk)
    entries = selectors.entries_for_builder(exhibition)
    warnings = builder_selectors.entry_warnings(entries)
    for number, entry in enumerate(entries, start=1):
        entry.number = number
        entry.caption_form = CaptionForm(initial=entry.caption or {}, prefix_id=entry.pk)
        entry.caption_status = caption_status(entry)
        entry.caption_fields = list(zip(entry.caption_form, [state for _c, _l, state in entry.caption_status], strict=True))
        entry.warnings = warnings.get(entry.pk, [])
        entry.thumb, entry.blurred = builder_selectors.entry_thumb(entry)
    sections, loose = builder_selectors.sections_with_entries(exhibition, entries)
    for section, group in sections:
        # As exhibitions.selectors.shown_sections decides for the public: no memory shown, no words.
        section.hidden = bool(group) and all(any(w.code != "duplicate" for w in e.warnings) for e in group)
        section.form = SectionForm.for_section(section)
        section.action = reverse("curator_exhibitions:section", args=[exhibition.pk, section.pk])
    text_views.prepare(exhibition, sections, entries)
    picker = PickerForm(request.GET or None)
    filters = picker.cleaned_data if picker.is_valid() else {}
    return render(request, "curator/exhibitions/builder.html", {
        "exhibition": exhibition, "entries": entries, "sections": sections, "loose": loose,
        "picker": picker, "filtered": any(filters.values()) if filters else False,
        "candidates": builder_selectors.candidates(exhibition, query=filters.get("q", ""),
                                                   kind=filters.get("kind", ""), language=filters.get("language", "")),
        "langs": LANGS, "status_text": builder_selectors.status_text(exhibition),
        "section_form": SectionForm(prefix="new-section"), "warning_count": sum(len(w) for w in warnings.values()),
        "covers": builder_selectors.picture_entries(entries),
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
    return render(request, "curator/exhibitions/settings.html", {
        "exhibition": exhibition, "form": form, "texts": texts, "status_text": builder_selectors.status_text(exhibition),
        "time_zone": timezone.get_current_timezone_name(), "now": timezone.localtime(),
    })


@require_GET
@require("exhibitions.view_exhibition")
def preview(request, pk):
    """The exhibition exactly as the public will see it at a moment (opening day by default): the
    public template from the public page's own context (exhibitions.views.detail_context), so the
    consent policy decides here too and a withdrawn item is missing."""
    exhibition = _exhibition(pk)
    at = parse_datetime(request.GET.get("at", "") or "") if request.GET.get("at") else None
    if at is not None and timezone.is_naive(at):
        at = timezone.make_aware(at)
    moment = selectors.preview_moment(exhibition, at)
    context = public_views.detail_context(exhibition, moment)
    preview_url = request.build_absolute_uri(reverse("exhibition-preview", args=[exhibition.preview_token]))
    response = render(request, "curator/exhibitions/preview.html", {
        **context, "preview": False, "curator_preview": True, "moment": moment,
        "live": selectors.live_exhibitions(moment).filter(pk=exhibition.pk).exists(),
        "time_zone": timezone.get_current_timezone_name(),
        "status_text": builder_selectors.status_text(exhibition),
        "preview_url": preview_url if exhibition.status != Exhibition.Status.DRAFT else "",
        "hidden": len(selectors.entries_for_builder(exhibition)) - context["entry_count"],
    })
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@require("exhibitions.add_exhibitionentry")
def add_entries(request, pk):
    """The picker's multi-select: every ticked item, in the order shown, into the chosen section."""
    exhibition = _exhibition(pk)
    ids = request.POST.getlist("items")
    items = {str(i.pk): i for i in Item.objects.filter(pk__in=[i for i in ids if _is_uuid(i)])}
    if not ids:
        messages.error(request, _("Tick at least one item to add."))
        return _back(exhibition)
    section = _section_or_none(exhibition, request.POST.get("section"))
    added, refused = builder.add_entries(exhibition, [items[i] for i in ids if i in items],
                                         actor=request.user, section=section)
    if added:
        messages.success(request, ngettext("%(n)d item added to the exhibition.",
                                           "%(n)d items added to the exhibition.", len(added)) % {"n": len(added)})
    for line in refused:
        messages.error(request, line)
    return _back(exhibition, added[0].pk if added else None)


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


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _section_or_none(exhibition: Exhibition, value) -> ExhibitionSection | None:
    if not value:
        return None
    if not str(value).isdigit():
        raise Http404
    return get_object_or_404(ExhibitionSection, pk=value, exhibition=exhibition)


def _section(exhibition: Exhibition, section_id) -> ExhibitionSection:
    """A section of this exhibition named in the URL (0 or another exhibition's is a 404)."""
    section = _section_or_none(exhibition, section_id)
    if section is None:
        raise Http404
    return section


def _back_to_sections(exhibition: Exhibition, section_id: int | None = None):
    url = reverse("curator_exhibitions:builder", args=[exhibition.pk])
    return redirect(f"{url}#section-{section_id}" if section_id else f"{url}#sections-h")


@require_POST
@require("exhibitions.change_exhibition")
def save_section(request, pk, section_id=None):
    exhibition = _exhibition(pk)
    section = None if section_id is None else _section(exhibition, section_id)
    form = SectionForm(request.POST, prefix=f"section-{section_id}" if section_id else "new-section")
    if not form.is_valid():
        messages.error(request, _("The section could not be saved: %(errors)s")
                       % {"errors": " ".join(str(e) for errs in form.errors.values() for e in errs)})
        return _back_to_sections(exhibition, section_id)
    try:
        section = builder.save_section(exhibition, actor=request.user, section=section, **form.values())
    except builder.BuilderError as exc:
        messages.error(request, str(exc))
        return _back_to_sections(exhibition, section_id)
    messages.success(request, _("Section saved."))
    return _back_to_sections(exhibition, section.pk)


@require_POST
@require("exhibitions.change_exhibition")
def move_section(request, pk, section_id, direction):
    exhibition = _exhibition(pk)
    section = _section(exhibition, section_id)
    try:
        builder.move_section(section, direction=direction, actor=request.user)
    except builder.BuilderError as exc:
        messages.error(request, str(exc))
    return _back_to_sections(exhibition, section.pk)


@require_POST
@require("exhibitions.change_exhibition")
def reorder_sections(request, pk):
    """Sections dragged by their handle (JavaScript) post their whole order: {"order": [section ids]}.
    Without JavaScript, and from the keyboard, "Section up" / "Section down" do the same."""
    exhibition = _exhibition(pk)
    try:
        ids = [int(i) for i in json.loads(request.body or b"{}").get("order", [])]
        builder.reorder_sections(exhibition, ids, actor=request.user)
    except builder.BuilderError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    except (ValueError, TypeError, AttributeError):
        return JsonResponse({"error": _("The order sent could not be read.")}, status=400)
    return JsonResponse({"order": list(exhibition.sections.order_by("position", "id").values_list("pk", flat=True))})


@require_POST
@require("exhibitions.change_exhibition")
def delete_section(request, pk, section_id):
    exhibition = _exhibition(pk)
    builder.delete_section(_section(exhibition, section_id), actor=request.user)
    messages.success(request, _("Section removed; its entries stay in the exhibition."))
    return _back_to_sections(exhibition)


@require_POST
@require("exhibitions.change_exhibitionentry")
def place_entry(request, pk, entry_id):
    exhibition = _exhibition(pk)
    entry = _entry(exhibition, entry_id)
    builder.place_in_section(entry, _section_or_none(exhibition, request.POST.get("section")), actor=request.user)
    messages.success(request, _("Entry moved to its section."))
    return _back(exhibition, entry.pk)


@require_POST
@require("exhibitions.change_exhibition")
def cover(request, pk):
    exhibition = _exhibition(pk)
    media = None
    if request.POST.get("media"):
        if not str(request.POST["media"]).isdigit():
            raise Http404
        media = get_object_or_404(ItemMedia.objects.select_related("item__current_consent"), pk=request.POST["media"])
    try:
        builder.set_cover(exhibition, media, actor=request.user)
    except builder.BuilderError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Cover saved.") if media else _("Cover removed."))
    return redirect(reverse("curator_exhibitions:builder", args=[exhibition.pk]) + "#cover-h")

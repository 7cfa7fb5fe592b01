"""The builder's narrative text between entries ("Add text here", edit, remove): plain forms that
work without JavaScript; exhibitions.services.narrative writes, in one transaction, audited."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archive.curator.access import require
from archive.i18n import pick
from exhibitions.curator_forms import TextBlockForm
from exhibitions.models import Exhibition
from exhibitions.services import narrative
from exhibitions.services.builder import BuilderError


def _back(exhibition: Exhibition, anchor: str):
    return redirect(reverse("curator_exhibitions:builder", args=[exhibition.pk]) + f"#{anchor}")


@require_POST
@require("exhibitions.change_exhibition")
def add_text(request, pk):
    exhibition = get_object_or_404(Exhibition, pk=pk)
    after = request.POST.get("after", "")
    form = TextBlockForm(request.POST, prefix=f"after-{after}")
    try:
        block = narrative.add_text_after(exhibition, after, form.values(), actor=request.user)
    except BuilderError as exc:
        messages.error(request, str(exc))
        return _back(exhibition, f"entry-{after}" if after.isdigit() else "entries-h")
    messages.success(request, _("Text added between the entries."))
    return _back(exhibition, f"section-{block.pk}")


@require_POST
@require("exhibitions.change_exhibition")
def edit_text(request, pk, section_id):
    exhibition = get_object_or_404(Exhibition, pk=pk)
    form = TextBlockForm(request.POST, prefix=f"text-{section_id}")
    try:
        narrative.save_text_block(exhibition, section_id, form.values(), actor=request.user)
    except BuilderError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Text saved."))
    return _back(exhibition, f"section-{section_id}")


@require_POST
@require("exhibitions.change_exhibition")
def remove_text(request, pk, section_id):
    exhibition = get_object_or_404(Exhibition, pk=pk)
    try:
        into = narrative.remove_text_block(exhibition, section_id, actor=request.user)
    except BuilderError as exc:
        messages.error(request, str(exc))
        return _back(exhibition, "entries-h")
    messages.success(request, _("Text removed; its entries follow the ones before it."))
    return _back(exhibition, f"section-{into.pk}" if into else "entries-h")


def prepare(exhibition: Exhibition, sections: list, entries: list) -> None:
    """What the builder shows of text blocks: each section's label and text form, each entry's
    "Add text here" form (empty: every language missing)."""
    for number, (section, _group) in enumerate(sections, start=1):
        section.is_text_block = narrative.is_text_block(section)
        section.is_group = section.is_text_block and not any((section.text or {}).values())
        title, text = pick(section.title).text, pick(section.text).text
        if title:
            section.heading = section.label = title
        elif text:
            section.heading = _("Text block %(n)d") % {"n": number}
            section.label = f"{section.heading}: {Truncator(text).chars(40)}"
        else:
            section.heading = section.label = _("Entries, part %(n)d") % {"n": number}
        if section.is_text_block and not section.is_group:
            form = TextBlockForm.for_block(section)
            section.text_fields = form.fields_with_status(section.text)
            section.text_action = reverse("curator_exhibitions:text", args=[exhibition.pk, section.pk])
    for entry in entries:
        entry.text_fields = TextBlockForm(prefix=f"after-{entry.pk}").fields_with_status()


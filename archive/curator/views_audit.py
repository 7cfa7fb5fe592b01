"""The audit log a person can read: titles (a tombstone for erased items), filters from choices,
pages, and the filtered view exported as CSV or JSON."""

from __future__ import annotations

import csv
import json

from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from archive.curator import selectors
from archive.curator.access import require
from archive.curator.forms import AuditFilterForm, action_label
from archive.models import AuditEvent


def _filtered(request):
    form = AuditFilterForm(request.GET or None, people=selectors.audit_people(), actions=selectors.audit_actions())
    if form.is_bound and not form.is_valid():
        # A filter that is not a choice matches nothing: never the whole log by mistake.
        return form, AuditEvent.objects.none()
    filters = form.cleaned_data if form.is_bound else {}
    events = selectors.audit_events(
        item=filters.get("item") or "", person=filters.get("person") or "", action=filters.get("action") or "",
        since=filters.get("since"), until=filters.get("until"))
    return form, events


def _tombstone() -> str:
    # Never the erased title: erasure scrubbed it, and the log must not bring it back.
    return _("An erased item (tombstone)")


def _rows(events) -> list[dict]:
    events = list(events)
    labels = selectors.item_labels(e.item_id_ref for e in events)
    rows = []
    for e in events:
        title, erased = labels.get(e.item_id_ref, ("", False))
        rows.append({"event": e, "who": e.actor.get_username() if e.actor_id else e.actor_label,
                     "what": action_label(e.action), "title": _tombstone() if erased else title, "erased": erased})
    return rows


@require_GET
@require("archive.view_auditevent")
def audit_log(request):
    form, events = _filtered(request)
    page = selectors.audit_page(events, request.GET.get("after"), request.GET.get("before"))
    return render(request, "curator/audit.html", {
        "form": form, "page": page, "rows": _rows(page.rows), "query": selectors.without_cursor(request.GET),
    })


def csv_cell(value) -> str:
    # Spreadsheet formula injection: a cell starting with = + - @ (or a tab, a CR) is read as a formula.
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


class _Echo:
    def write(self, value):
        return value


COLUMNS = ("at", "actor", "action", "action_label", "item", "item_title", "target", "before", "after")


def _export_rows(events):
    """Rows of the export, 500 events at a time (keyset pages: titles looked up per page, and the
    last page read as fast as the first)."""
    cursor = None
    while True:
        page = selectors.audit_page(events, after=cursor, size=500)
        if not page.rows:
            return
        yield from _export_page(page.rows)
        if page.older is None:
            return
        cursor = page.older


def _export_page(events):
    for row in _rows(events):
            e = row["event"]
            yield {"at": e.at.isoformat(), "actor": row["who"], "action": e.action, "action_label": row["what"],
                   "item": str(e.item_id_ref or ""), "item_title": row["title"], "target": e.target,
                   "before": e.before or {}, "after": e.after or {}}


def _refused(form) -> HttpResponseBadRequest:
    errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
    return HttpResponseBadRequest(_("The filters are not valid (%(errors)s); nothing was exported.") % {"errors": errors},
                                  content_type="text/plain; charset=utf-8")


def _download(stream, content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(stream, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@require("archive.view_auditevent")
def audit_csv(request):
    form, events = _filtered(request)
    if form.errors:
        return _refused(form)
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(COLUMNS)
        for row in _export_rows(events):
            yield writer.writerow([csv_cell(_json(row[c]) if c in ("before", "after") else row[c]) for c in COLUMNS])

    return _download(lines(), "text/csv; charset=utf-8", "audit-log.csv")


@require_GET
@require("archive.view_auditevent")
def audit_json(request):
    form, events = _filtered(request)
    if form.errors:
        return _refused(form)

    def chunks():
        yield "["
        for n, row in enumerate(_export_rows(events)):
            yield ("," if n else "") + "\n" + json.dumps(row, ensure_ascii=False, sort_keys=True)
        yield "\n]\n"

    return _download(chunks(), "application/json; charset=utf-8", "audit-log.json")

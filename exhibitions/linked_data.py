"""Schema.org JSON-LD for exhibition and remembrance-day pages (the item page's is the archive's,
archive/linked_data.py, which these surfaces extend). Built from what the pages show: live
exhibitions, entries the consent policy lets appear in an exhibition, items with a public page."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from archive.i18n import pick
from archive.linked_data import CONTEXT
from exhibitions import selectors
from exhibitions.models import Exhibition, RemembranceDay


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def exhibition_ref(exhibition: Exhibition, request) -> dict:
    return {"@type": "ExhibitionEvent", "name": pick(exhibition.title).text or exhibition.slug,
            "url": _absolute(request, reverse("exhibition-detail", args=[exhibition.slug]))}


def exhibition_data(exhibition: Exhibition, entries: list, request) -> dict:
    """An online exhibition: an ExhibitionEvent held at a virtual location, featuring its items."""
    url = _absolute(request, request.path)
    data: dict = {
        "@context": CONTEXT, "@type": "ExhibitionEvent", "@id": url, "url": url,
        "name": pick(exhibition.title).text or exhibition.slug,
        "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
        "location": {"@type": "VirtualLocation", "url": url},
    }
    summary = pick(exhibition.summary).text
    if summary:
        data["description"] = summary
    if exhibition.publish_at:
        data["startDate"] = exhibition.publish_at.isoformat()
    if exhibition.unpublish_at:
        data["endDate"] = exhibition.unpublish_at.isoformat()
    featured = [{"@type": "CreativeWork", "name": pick(e.item.title).text,
                 "url": _absolute(request, reverse("item-detail", args=[e.item.pk]))}
                for e in entries if e.on_web]
    if featured:
        data["workFeatured"] = featured
    if exhibition.remembrance_day_id:
        day = exhibition.remembrance_day
        data["superEvent"] = {"@type": "Event", "name": pick(day.name).text,
                              "url": _absolute(request, reverse("remembrance-day", args=[day.slug]))}
    return data


def day_data(day: RemembranceDay, when: date, exhibitions, request) -> dict:
    """A remembrance day: an Event that recurs every year on its day, with its exhibitions."""
    url = _absolute(request, request.path)
    data: dict = {
        "@context": CONTEXT, "@type": "Event", "@id": url, "url": url,
        "name": pick(day.name).text or day.slug, "startDate": when.isoformat(),
        "eventSchedule": {"@type": "Schedule", "repeatFrequency": "P1Y", "byMonth": day.month,
                          "byMonthDay": day.day},
        "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
        "location": {"@type": "VirtualLocation", "url": url},
    }
    description = pick(day.description).text
    if description:
        data["description"] = description
    shown = [exhibition_ref(e, request) for e in exhibitions]
    if shown:
        data["subEvent"] = shown
    return data


def item_exhibitions(page, request) -> list[dict]:
    """The live exhibitions holding the item where its consent lets it appear in exhibitions."""
    from archive.models import Item

    item = Item.objects.filter(pk=page.item.id).first()
    if item is None:
        return []
    live = selectors.live_exhibitions().filter(
        entries__in=item.exhibition_entries.filter(selectors.entries_q())).distinct().order_by("slug")
    return [exhibition_ref(e, request) for e in live]

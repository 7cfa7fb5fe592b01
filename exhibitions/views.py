"""Public exhibition and remembrance-day pages. Thin: selectors do the reading, through consent."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from archive import selectors as archive_selectors
from exhibitions import linked_data, selectors
from exhibitions.models import Exhibition, RemembranceDay


def home(request):
    now = timezone.now()
    exhibitions = list(selectors.live_exhibitions(now).select_related(*selectors.COVER_RELATED)[:12])
    upcoming = selectors.next_remembrance_day(timezone.localdate())
    return render(request, "exhibitions/home.html", {
        "exhibitions": exhibitions,
        "featured": [e for e in exhibitions if e.featured],
        "others": [e for e in exhibitions if not e.featured] if any(e.featured for e in exhibitions) else exhibitions,
        "remembrance_day": upcoming[0] if upcoming else None,
        "remembrance_date": upcoming[1] if upcoming else None,
        "today": timezone.localdate(),
        "recent": archive_selectors.recent_cards(6),  # through the consent policy; blurred when warned
    })


def exhibition_list(request):
    exhibitions = selectors.live_exhibitions().select_related(*selectors.COVER_RELATED)
    return render(request, "exhibitions/list.html", {"exhibitions": exhibitions})


def detail_context(exhibition: Exhibition, at=None) -> dict:
    """What the exhibition page shows at `at` (now by default). The curators' preview renders the
    same template from the same context, so what they check is what the public will get."""
    entries = selectors.public_entries(exhibition, at)
    sections, loose = selectors.shown_sections(exhibition, entries)
    return {"exhibition": exhibition, "sections": sections, "loose_entries": loose, "entry_count": len(entries),
            "entries": entries}


def _detail(request, exhibition: Exhibition, preview: bool):
    context = {**detail_context(exhibition), "preview": preview}
    # Unlisted previews are not for search engines: no structured data either.
    context["linked_data"] = None if preview else linked_data.exhibition_data(exhibition, context["entries"], request)
    response = render(request, "exhibitions/detail.html", context)
    if preview:
        # Unlisted links must not be indexed or leak through Referer.
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        response["Cache-Control"] = "private, no-store"
    return response


def exhibition_sequence(request, slug: str, number: int):
    """One memory at a time, in the exhibition page's order, with the narrative text that comes
    before each; previous and next are plain links."""
    exhibition = _found(selectors.live_exhibition, slug, Exhibition)
    context = detail_context(exhibition)
    steps, closing = selectors.narrated(context["sections"], context["loose_entries"])
    if not 1 <= number <= len(steps):
        raise Http404
    lead_in, entry = steps[number - 1]
    return render(request, "exhibitions/sequence.html", {
        "exhibition": exhibition, "e": entry, "number": number, "total": len(steps), "lead_in": lead_in,
        "closing": closing if number == len(steps) else [],
        "previous": number - 1 if number > 1 else None, "next": number + 1 if number < len(steps) else None,
    })


def _found(lookup, key: str, model):
    """lookup(key), or a 404 where it finds no such `model` (not live, not previewable, unknown)."""
    try:
        return lookup(key)
    except model.DoesNotExist:
        raise Http404 from None


def exhibition_detail(request, slug: str):
    return _detail(request, _found(selectors.live_exhibition, slug, Exhibition), preview=False)


def exhibition_preview(request, token: str):
    return _detail(request, _found(selectors.previewable_exhibition, token, Exhibition), preview=True)


def remembrance_day(request, slug: str):
    day = _found(selectors.remembrance_day, slug, RemembranceDay)
    today = timezone.localdate()
    when = selectors.occurrence(day, today)
    exhibitions = list(selectors.day_exhibitions(day).select_related(*selectors.COVER_RELATED))
    return render(request, "exhibitions/remembrance_day.html", {
        "day": day,
        "date": when,
        "exhibitions": exhibitions,
        "linked_data": linked_data.day_data(day, when, exhibitions, request),
        "wall": selectors.memorial_wall(after=request.GET.get("after"), before=request.GET.get("before")),
    })


def iiif_viewer(request):
    """Mirador on our own site, for our own manifests and collections only (not an open proxy
    for anyone's content under our name). The IIIF documents themselves enforce consent."""
    from exhibitions.iiif.common import site_url

    kind = "collection" if "collection" in request.GET else "manifest"
    url = request.GET.get(kind, "")
    if url.startswith("/iiif/"):
        url = site_url() + url
    if not url.startswith(site_url() + "/iiif/") or any(c in url for c in "<>\"\'` "):
        raise Http404
    return render(request, "exhibitions/viewers/mirador.html", {"url": url, "kind": kind})


def remembrance_days(request):
    return render(request, "exhibitions/remembrance_days.html", {"days": selectors.remembrance_days()})

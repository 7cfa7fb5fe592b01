"""The kit in the curators' workspace: the printed catalogue (and the kiosks' last synchronisation)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from archive.curator.access import require
from exhibitions.kit import catalogue
from exhibitions.models import Exhibition


@require_GET
@require("exhibitions.view_exhibition")
def catalogue_pdf(request, pk):
    """The catalogue as consent allows it now, in the language asked for (the workspace's by default)."""
    exhibition = get_object_or_404(Exhibition.objects.select_related("remembrance_day"), pk=pk)
    lang = request.GET.get("lang") or request.LANGUAGE_CODE
    if lang not in dict(settings.LANGUAGES):
        raise Http404
    now = timezone.now()
    response = HttpResponse(catalogue.render(exhibition, lang, now), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{catalogue.filename(exhibition, lang, now)}"'
    # A catalogue is true on its print date only: never kept by a browser or a proxy.
    response["Cache-Control"] = "private, no-store"
    return response

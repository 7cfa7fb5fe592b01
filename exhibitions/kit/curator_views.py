"""The kit in the curators' workspace: the printed catalogue (and the kiosks' last synchronisation)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from archive.curator.access import require
from exhibitions.kit import catalogue, kiosk
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


@require_POST
@require("exhibitions.change_exhibition")
def kiosk_limit(request, pk):
    exhibition = get_object_or_404(Exhibition, pk=pk)
    try:
        kiosk.set_confirm_limit(exhibition, int(request.POST.get("minutes", "")), actor=request.user)
    except (ValueError, kiosk.KioskLimitError) as exc:
        messages.error(request, str(exc) if isinstance(exc, kiosk.KioskLimitError)
                       else _("Give the limit as a whole number of minutes."))
    else:
        messages.success(request, _("Kiosk limit saved."))
    return redirect(reverse("curator_exhibitions:builder", args=[exhibition.pk]) + "#kiosk")

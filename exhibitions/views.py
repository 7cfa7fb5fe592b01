"""Public exhibition pages. Thin: selectors do the reading."""

from django.shortcuts import render

from exhibitions.selectors import live_exhibitions


def home(request):
    exhibitions = list(live_exhibitions().select_related("remembrance_day")[:12])
    return render(request, "exhibitions/home.html", {"exhibitions": exhibitions})

"""The management page and the receipt, reached by the private link (no account)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from archive import consent as policy
from archive import contributions, forms, receipts
from archive.views.common import QUICK_EXIT_URL, labels, private

# The changes the page offers, with the form each one needs (None: a confirmation is enough).
ACTION_FORMS = {
    "narrow": forms.NarrowForm,
    "pause": forms.PauseForm,
    "resume": None,
    "withdraw": None,
    "erase": None,
}


def _contribution(token: str):
    try:
        return contributions.contribution_for_token(token)
    except contributions.InvalidToken:
        raise Http404(_("This link is not valid. Please check that you copied all of it.")) from None


@never_cache
def manage(request: HttpRequest, token: str) -> HttpResponse:
    contribution = _contribution(token)
    items = list(contribution.items.select_related("current_consent"))
    current = _current_choices(contribution)
    now = timezone.now()
    erased = bool(contribution.erased_at)
    return private(render(request, "archive/manage/manage.html", {
        "token": token,
        "receipt": receipts.build_receipt(contribution),
        "narrow_form": forms.NarrowForm(initial=current),
        "pause_form": forms.PauseForm(),
        "scope_help": forms.SCOPE_HELP, "name_help": forms.NAME_HELP,
        "withdrawn": not erased and bool(items) and all(i.current_consent and i.current_consent.withdrawn
                                                        for i in items),
        "embargoed": any(policy.under_embargo(i.current_consent, now) for i in items),
        "erased": erased,
        "quick_exit_url": QUICK_EXIT_URL, **labels(),
    }))


@never_cache
def receipt(request: HttpRequest, token: str) -> HttpResponse:
    """The human-readable receipt, for whoever holds the private link."""
    contribution = _contribution(token)
    return private(render(request, "archive/receipt.html", {
        "token": token, "receipt": receipts.build_receipt(contribution, token=token),
        "quick_exit_url": QUICK_EXIT_URL, **labels(),
    }))


def _current_choices(contribution) -> dict:
    """The choices of the contribution's newest consent (the same for each of its items)."""
    item = contribution.items.select_related("current_consent").first()
    c = item.current_consent if item else None
    if c is None:
        return {}
    return {"scopes": c.scopes, "name_display": c.name_display, "display_name": c.display_name}


@never_cache
@require_POST
def manage_change(request: HttpRequest, token: str, action: str) -> HttpResponse:
    """narrow / pause / resume / withdraw / erase: the first post shows what will happen, the
    second (with confirm=yes) does it."""
    contribution = _contribution(token)
    if contribution.erased_at:
        messages.error(request, _("This contribution has been erased; there is nothing left to change."))
        return redirect(reverse("manage", args=[token]))
    if action not in ACTION_FORMS:
        raise Http404
    form_class = ACTION_FORMS[action]
    form = form_class(request.POST) if form_class is not None else None
    if form is not None and not form.is_valid():
        return private(render(request, "archive/manage/confirm.html", {
            "token": token, "action": action, "form": form, "invalid": True,
            "scope_help": forms.SCOPE_HELP, "name_help": forms.NAME_HELP, "quick_exit_url": QUICK_EXIT_URL,
        }))
    data = form.cleaned_data if form is not None else {}
    if request.POST.get("confirm") != "yes":
        return private(render(request, "archive/manage/confirm.html", {
            "token": token, "action": action, "form": form, "data": data,
            "quick_exit_url": QUICK_EXIT_URL, **labels(),
        }))
    try:
        messages.success(request, _apply(contribution, action, data))
    except contributions.ContributionError as error:
        messages.error(request, str(error))
    return redirect(reverse("manage", args=[token]))


def _apply(contribution, action: str, data: dict) -> str:
    """Make the change; the sentence that says it is done."""
    if action == "narrow":
        contributions.change_consent(contribution, scopes=data["scopes"], name_display=data["name_display"],
                                     display_name=data["display_name"])
        return _("Your choices are saved. They apply now.")
    if action == "pause":
        contributions.change_consent(contribution, embargo_until=forms.day_to_datetime(data["embargo_until"]))
        return _("Your story is hidden everywhere until the date you chose.")
    if action == "resume":
        contributions.change_consent(contribution, embargo_until=contributions.CLEAR)
        return _("Your story is shown again where you agreed.")
    if action == "erase":
        contributions.erase(contribution)
        return _("Your story is erased. Its words, names and files have been deleted.")
    contributions.withdraw(contribution)
    return _("Your story is withdrawn. It has been removed from every public place.")

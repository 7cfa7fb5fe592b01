"""The contribution journey: story, files, consent, review, receipt.

The draft and its held files are archive/drafts.py's; the submission is archive.contributions'.
Every step works without JavaScript.
"""

from __future__ import annotations

import functools

from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from archive import contributions, drafts, forms, receipts
from archive.drafts import RECEIPT_KEY
from archive.models import Contribution
from archive.views.common import QUICK_EXIT_URL, labels

STEPS = [
    ("contribute", "story"),
    ("contribute-files", "files"),
    ("contribute-consent", "consent"),
    ("contribute-review", "review"),
]


def _step_context(current: str, **extra) -> dict:
    return {"steps": STEPS, "current_step": current, "quick_exit_url": QUICK_EXIT_URL, **extra}


def _step(*, needs_story: bool = True, needs_consent: bool = False):
    """A step of the journey: GET and POST, never cached, called with the session's draft.

    A visitor who has not been through the earlier steps is sent back to the first one missing.
    """
    def decorate(view):
        @never_cache
        @require_http_methods(["GET", "POST"])
        @functools.wraps(view)
        def step(request: HttpRequest) -> HttpResponse:
            draft = drafts.load(request)
            if needs_story and not draft["story"]:
                return redirect("contribute")
            if needs_consent and not draft["consent"]:
                return redirect("contribute-consent")
            return view(request, draft)
        return step
    return decorate


@_step(needs_story=False)
def contribute(request: HttpRequest, draft: dict) -> HttpResponse:
    if request.method == "POST":
        form = forms.StoryForm(request.POST)
        if form.is_valid():
            if draft["story"] is None:  # a new draft: a good moment to clear abandoned ones
                drafts.purge_stale()
            draft["story"] = form.cleaned_data
            drafts.save(request, draft)
            return redirect("contribute-files")
    else:
        initial = draft["story"] or {"language": translation.get_language()}
        form = forms.StoryForm(initial=initial)
    return render(request, "archive/contribute/story.html", _step_context("story", form=form, kind_help=forms.KIND_HELP))


@_step()
def contribute_files(request: HttpRequest, draft: dict) -> HttpResponse:
    form = forms.FilesForm()
    if request.method == "POST":
        if "remove" in request.POST:
            drafts.remove_file(request, draft, request.POST["remove"])
            return redirect("contribute-files")
        form = forms.FilesForm(request.POST, request.FILES)
        if form.is_valid():
            uploads = form.cleaned_data["files"]
            problem = drafts.upload_problem(draft["files"], uploads)
            if problem:
                form.add_error("files", problem)
            else:
                drafts.hold(request, draft, uploads)
                return redirect("contribute-files" if "add_more" in request.POST else "contribute-consent")
    return render(request, "archive/contribute/files.html", _step_context("files", form=form, files=draft["files"]))


@_step()
def contribute_consent(request: HttpRequest, draft: dict) -> HttpResponse:
    if request.method == "POST":
        form = forms.ConsentForm(request.POST)
        if form.is_valid():
            day = form.cleaned_data["embargo_until"]
            draft["consent"] = {**form.cleaned_data, "embargo_until": day.isoformat() if day else None}
            drafts.save(request, draft)
            return redirect("contribute-review")
    else:
        # Consent is given, never assumed: no scope is ticked until the person ticks it.
        initial = draft["consent"] or {"display_name": draft["story"].get("contributor_name", "")}
        form = forms.ConsentForm(initial=initial)
    return render(request, "archive/contribute/consent.html", _step_context(
        "consent", form=form, scope_help=forms.SCOPE_HELP, name_help=forms.NAME_HELP))


@_step(needs_consent=True)
def contribute_review(request: HttpRequest, draft: dict) -> HttpResponse:
    form = forms.ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        submission = _submit(request, draft, form)
        if submission is not None:
            _sent(request, draft, submission)
            return redirect("contribute-receipt")
    return render(request, "archive/contribute/review.html", _step_context(
        "review", form=form, story=draft["story"], files=draft["files"], choice=drafts.consent_choice(draft),
        **labels(),
    ))


def _submit(request: HttpRequest, draft: dict, form) -> contributions.Submission | None:
    """Send the draft; a refusal becomes the form's error and None."""
    opened: list = []
    try:
        drafts.open_files(request, draft, opened)
        return contributions.submit_contribution(**drafts.submission_fields(draft, opened))
    except contributions.ContributionError as error:
        form.add_error(None, str(error))
        return None
    finally:
        for handle in opened:
            handle.close()


def _sent(request: HttpRequest, draft: dict, submission: contributions.Submission) -> None:
    drafts.forget(request, draft)
    # The private link is shown once, on the next page, then forgotten by the session.
    request.session[RECEIPT_KEY] = {
        "contribution": str(submission.contribution.pk), "manage_path": submission.manage_path,
    }
    address = draft["consent"]["contact_email"]
    if address:
        _email_link(request, address, submission.manage_path)


def _email_link(request: HttpRequest, address: str, manage_path: str) -> None:
    link = request.build_absolute_uri(manage_path)
    body = _(
        "Thank you for sharing your story with the Memories archive.\n\n"
        "This is your private link. With it you can see where your story appears, change your choices "
        "or withdraw it at any time. Keep it safe and do not share it:\n\n%(link)s\n\n"
        "If you did not send a story, you can ignore this message."
    ) % {"link": link}
    send_mail(_("Your private link to your story"), body, None, [address], fail_silently=True)


@never_cache
def contribute_receipt(request: HttpRequest) -> HttpResponse:
    held = request.session.get(RECEIPT_KEY)
    if not held:
        return redirect("contribute")
    manage_path = held.pop("manage_path", "")
    request.session[RECEIPT_KEY] = held  # the link is not in the session any more

    contribution = Contribution.objects.filter(pk=held["contribution"]).first()
    if contribution is None:
        raise Http404
    receipt = receipts.build_receipt(contribution)
    response = render(request, "archive/contribute/receipt.html", {
        "receipt": receipt, "manage_url": request.build_absolute_uri(manage_path) if manage_path else "",
        "quick_exit_url": QUICK_EXIT_URL, **labels(),
    })
    # The private URL is in no Referer, not even to our own CSS and JS (proxy and CDN logs keep
    # them); the form posts this makes arrive with "Origin: null", which memorial/private_links.py
    # accepts under private links (it also sets these headers on every answer there).
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store, private"
    return response

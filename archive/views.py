"""Public pages of the archive: items, about, support, the contribution journey, the management page.

Views are thin: reads go through archive.selectors (and so through the consent policy), writes
through archive.contributions. Every page works without JavaScript.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import storages
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from archive import consent as policy
from archive import contributions, forms, receipts, selectors
from archive.models import Contribution
from media_pipeline import conf as media_conf

DRAFT_KEY = "contribution_draft"
RECEIPT_KEY = "contribution_receipt"
# The gate of an item with content warnings is passed by choosing "show", which reloads the page
# with this parameter. Nothing is remembered server-side: no session, no record of which
# distressing items a visitor opened, and both pages stay cacheable (memorial/pagecache.py).
SHOWN_PARAM = "shown"
MAX_DRAFT_FILES = 10
DRAFT_PREFIX = "contribution-drafts/"
# A neutral page for "leave this site quickly".
QUICK_EXIT_URL = getattr(settings, "QUICK_EXIT_URL", "https://www.wikipedia.org/")


# --- Pages ----------------------------------------------------------------------------------

def about(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/about.html")


def support(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/support.html")


def item_detail(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    page = selectors.item_page(item_id)
    if page is None:
        raise Http404(_("This item is not available."))
    if page.has_warnings and request.GET.get(SHOWN_PARAM) != "1":
        return render(request, "archive/content_warning.html", {"page": page, "shown_param": SHOWN_PARAM})
    return render(request, "archive/item_detail.html", {
        "page": page,
        "item": page.item,
        # The player renders the transcript beside the recording it follows.
        "av_has_transcript": bool(page.recordings),
        "item_url": request.build_absolute_uri(request.path),
        "manifest_url": _manifest_url(request, item_id) if page.in_iiif else "",
    })


def _manifest_url(request: HttpRequest, item_id: uuid.UUID) -> str:
    """The item's IIIF manifest (served by exhibitions, reached by its URL name, not imported)."""
    try:
        return request.build_absolute_uri(reverse("iiif:manifest", args=[str(item_id)]))
    except NoReverseMatch:
        return ""


# --- Contribution journey: story, files, consent, review, receipt ------------------------------

STEPS = [
    ("contribute", "story"),
    ("contribute-files", "files"),
    ("contribute-consent", "consent"),
    ("contribute-review", "review"),
]


def _draft(request: HttpRequest) -> dict:
    return request.session.get(DRAFT_KEY) or {"story": None, "files": [], "consent": None}


def _save_draft(request: HttpRequest, draft: dict) -> None:
    request.session[DRAFT_KEY] = draft


def _drop_draft_files(files: list[dict]) -> None:
    private = storages["private"]
    for f in files:
        if f.get("key", "").startswith(DRAFT_PREFIX):
            private.delete(f["key"])


def _labels() -> dict:
    return {
        "scope_labels": {c: label for c, label, _h in forms.SCOPE_CHOICES},
        "name_labels": {str(c): label for c, label, _h in forms.NAME_CHOICES},
    }


def _step_context(current: str, **extra) -> dict:
    return {"steps": STEPS, "current_step": current, "quick_exit_url": QUICK_EXIT_URL, **extra}


@never_cache
@require_http_methods(["GET", "POST"])
def contribute(request: HttpRequest) -> HttpResponse:
    draft = _draft(request)
    if request.method == "POST":
        form = forms.StoryForm(request.POST)
        if form.is_valid():
            if draft["story"] is None:  # a new draft: a good moment to clear abandoned ones
                _purge_stale_drafts()
            draft["story"] = form.cleaned_data
            _save_draft(request, draft)
            return redirect("contribute-files")
    else:
        initial = draft["story"] or {"language": translation.get_language()}
        form = forms.StoryForm(initial=initial)
    return render(request, "archive/contribute/story.html", _step_context("story", form=form, kind_help=forms.KIND_HELP))


@never_cache
@require_http_methods(["GET", "POST"])
def contribute_files(request: HttpRequest) -> HttpResponse:
    draft = _draft(request)
    if not draft["story"]:
        return redirect("contribute")
    form = forms.FilesForm()
    if request.method == "POST":
        if "remove" in request.POST:
            keep, drop = [], []
            for f in draft["files"]:
                (drop if f["id"] == request.POST["remove"] else keep).append(f)
            _drop_draft_files(drop)
            draft["files"] = keep
            _save_draft(request, draft)
            return redirect("contribute-files")
        form = forms.FilesForm(request.POST, request.FILES)
        if form.is_valid():
            uploads = form.cleaned_data["files"]
            problem = _upload_problem(draft["files"], uploads)
            if problem:
                form.add_error("files", problem)
            else:
                # Held privately until the story is sent (or the draft is abandoned): never public.
                private = storages["private"]
                for upload in uploads:
                    file_id = secrets.token_hex(8)
                    key = private.save(f"{DRAFT_PREFIX}{secrets.token_hex(16)}", upload)
                    draft["files"].append({"id": file_id, "key": key, "name": upload.name[:120], "size": upload.size})
                _save_draft(request, draft)
                if "add_more" in request.POST:
                    return redirect("contribute-files")
                return redirect("contribute-consent")
    return render(request, "archive/contribute/files.html", _step_context("files", form=form, files=draft["files"]))


def _upload_problem(held: list[dict], uploads: list) -> str:
    """Refuse at once what the pipeline would refuse for its size, before holding any of it."""
    if len(held) + len(uploads) > MAX_DRAFT_FILES:
        return _("You can add up to %(count)d files to one story.") % {"count": MAX_DRAFT_FILES}
    max_file = media_conf.get("MAX_FILE_BYTES")
    for upload in uploads:
        if upload.size > max_file:
            return _("“%(name)s” is larger than %(mb)d MB, the most one file may be.") % {
                "name": upload.name[:120], "mb": max_file // (1024 * 1024)}
    total = sum(f["size"] for f in held) + sum(u.size for u in uploads)
    if total > media_conf.get("MAX_SUBMISSION_BYTES"):
        return _("Together your files would be larger than %(mb)d MB. Please send fewer or smaller files.") % {
            "mb": media_conf.get("MAX_SUBMISSION_BYTES") // (1024 * 1024)}
    return ""


def _purge_stale_drafts(max_age: dt.timedelta = dt.timedelta(days=1)) -> None:
    """Files of drafts abandoned more than a day ago (the visitor left before sending) go."""
    private = storages["private"]
    try:
        _dirs, names = private.listdir(DRAFT_PREFIX)
    except FileNotFoundError:
        return
    cutoff = timezone.now() - max_age
    for name in names:
        key = f"{DRAFT_PREFIX}{name}"
        try:
            if private.get_modified_time(key) < cutoff:
                private.delete(key)
        except FileNotFoundError:  # another request removed it meanwhile
            continue


@never_cache
@require_http_methods(["GET", "POST"])
def contribute_consent(request: HttpRequest) -> HttpResponse:
    draft = _draft(request)
    if not draft["story"]:
        return redirect("contribute")
    if request.method == "POST":
        form = forms.ConsentForm(request.POST)
        if form.is_valid():
            day = form.cleaned_data["embargo_until"]
            draft["consent"] = {**form.cleaned_data, "embargo_until": day.isoformat() if day else None}
            _save_draft(request, draft)
            return redirect("contribute-review")
    else:
        # Consent is given, never assumed: no scope is ticked until the person ticks it.
        initial = draft["consent"] or {"display_name": draft["story"].get("contributor_name", "")}
        form = forms.ConsentForm(initial=initial)
    return render(request, "archive/contribute/consent.html", _step_context(
        "consent", form=form, scope_help=forms.SCOPE_HELP, name_help=forms.NAME_HELP))


@never_cache
@require_http_methods(["GET", "POST"])
def contribute_review(request: HttpRequest) -> HttpResponse:
    draft = _draft(request)
    if not draft["story"]:
        return redirect("contribute")
    if not draft["consent"]:
        return redirect("contribute-consent")
    form = forms.ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        story, choice = draft["story"], draft["consent"]
        private = storages["private"]
        opened = []
        try:
            for f in draft["files"]:
                try:
                    handle = private.open(f["key"], "rb")
                except OSError:
                    # Draft files are kept for a day (_purge_stale_drafts): this one is gone.
                    kept = [g for g in draft["files"] if g["key"] != f["key"]]
                    _save_draft(request, {**draft, "files": kept})
                    raise contributions.ContributionError(
                        _("The file “%(name)s” is no longer here (files of an unsent story are kept for one "
                          "day). Please add it again, or send your story without it.") % {"name": f["name"]}
                    ) from None
                handle.name = f["name"]
                opened.append(handle)
            submission = contributions.submit_contribution(
                kind=story["kind"], title=story["title"], story=story["story"], language=story["language"],
                files=opened,
                consent={
                    "scopes": choice["scopes"], "name_display": choice["name_display"],
                    "display_name": choice["display_name"],
                    "embargo_until": forms.day_to_datetime(
                        dt.date.fromisoformat(choice["embargo_until"]) if choice["embargo_until"] else None),
                },
                contact_email=choice["contact_email"] or None,
                contributor_name=story.get("contributor_name", ""),
                relationship=story["relationship"],
            )
        except contributions.ContributionError as error:
            form.add_error(None, str(error))
        else:
            _drop_draft_files(draft["files"])
            request.session.pop(DRAFT_KEY, None)
            # The private link is shown once, on the next page, then forgotten by the session.
            request.session[RECEIPT_KEY] = {
                "contribution": str(submission.contribution.pk), "manage_path": submission.manage_path,
            }
            if choice["contact_email"]:
                _email_link(request, choice["contact_email"], submission.manage_path)
            return redirect("contribute-receipt")
        finally:
            for handle in opened:
                handle.close()
    return render(request, "archive/contribute/review.html", _step_context(
        "review", form=form, story=draft["story"], files=draft["files"],
        choice={**draft["consent"], "embargo_until": dt.date.fromisoformat(draft["consent"]["embargo_until"])
                if draft["consent"]["embargo_until"] else None},
        **_labels(),
    ))


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
        "quick_exit_url": QUICK_EXIT_URL, **_labels(),
    })
    # The private URL is in no Referer, not even to our own CSS and JS (proxy and CDN logs keep
    # them); the form posts this makes arrive with "Origin: null", which memorial/private_links.py
    # accepts under private links (it also sets these headers on every answer there).
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store, private"
    return response


# --- Management page (private link, no account) -------------------------------------------------

def _contribution(token: str):
    try:
        return contributions.contribution_for_token(token)
    except contributions.InvalidToken:
        raise Http404(_("This link is not valid. Please check that you copied all of it.")) from None


def _private(response: HttpResponse) -> HttpResponse:
    # No Referer anywhere (see contribute_receipt); memorial/private_links.py accepts "Origin: null".
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store, private"
    return response


@never_cache
def manage(request: HttpRequest, token: str) -> HttpResponse:
    contribution = _contribution(token)
    items = list(contribution.items.select_related("current_consent"))
    current = _current_choices(contribution)
    now = timezone.now()
    erased = bool(contribution.erased_at)
    return _private(render(request, "archive/manage/manage.html", {
        "token": token,
        "receipt": receipts.build_receipt(contribution),
        "narrow_form": forms.NarrowForm(initial=current),
        "pause_form": forms.PauseForm(),
        "scope_help": forms.SCOPE_HELP, "name_help": forms.NAME_HELP,
        "withdrawn": not erased and bool(items) and all(i.current_consent and i.current_consent.withdrawn
                                                        for i in items),
        "embargoed": any(policy.under_embargo(i.current_consent, now) for i in items),
        "erased": erased,
        "quick_exit_url": QUICK_EXIT_URL, **_labels(),
    }))


@never_cache
def receipt(request: HttpRequest, token: str) -> HttpResponse:
    """The human-readable receipt, for whoever holds the private link."""
    contribution = _contribution(token)
    return _private(render(request, "archive/receipt.html", {
        "token": token, "receipt": receipts.build_receipt(contribution, token=token),
        "quick_exit_url": QUICK_EXIT_URL, **_labels(),
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
    if action == "narrow":
        form = forms.NarrowForm(request.POST)
    elif action == "pause":
        form = forms.PauseForm(request.POST)
    elif action in ("withdraw", "resume", "erase"):
        form = None
    else:
        raise Http404
    if form is not None and not form.is_valid():
        return _private(render(request, "archive/manage/confirm.html", {
            "token": token, "action": action, "form": form, "invalid": True,
            "scope_help": forms.SCOPE_HELP, "name_help": forms.NAME_HELP, "quick_exit_url": QUICK_EXIT_URL,
        }))
    data = form.cleaned_data if form is not None else {}
    if request.POST.get("confirm") != "yes":
        return _private(render(request, "archive/manage/confirm.html", {
            "token": token, "action": action, "form": form, "data": data,
            "quick_exit_url": QUICK_EXIT_URL, **_labels(),
        }))
    try:
        if action == "narrow":
            contributions.change_consent(contribution, scopes=data["scopes"], name_display=data["name_display"],
                                         display_name=data["display_name"])
            messages.success(request, _("Your choices are saved. They apply now."))
        elif action == "pause":
            contributions.change_consent(contribution, embargo_until=forms.day_to_datetime(data["embargo_until"]))
            messages.success(request, _("Your story is hidden everywhere until the date you chose."))
        elif action == "resume":
            contributions.change_consent(contribution, embargo_until=contributions.CLEAR)
            messages.success(request, _("Your story is shown again where you agreed."))
        elif action == "erase":
            contributions.erase(contribution)
            messages.success(request, _("Your story is erased. Its words, names and files have been deleted."))
        else:
            contributions.withdraw(contribution)
            messages.success(request, _("Your story is withdrawn. It has been removed from every public place."))
    except contributions.ContributionError as error:
        messages.error(request, str(error))
    return redirect(reverse("manage", args=[token]))

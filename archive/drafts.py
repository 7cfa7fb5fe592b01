"""The contribution journey's draft: held in the visitor's session, its files in private storage.

A draft is a plain dict in the session ({"story", "files", "consent"}) until the story is sent;
its uploads wait under DRAFT_PREFIX in the private storage, never public. Files of drafts left
for more than a day are purged when a new draft starts, so no scheduler is needed.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.files.storage import storages
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from archive import forms
from archive.contributions.exceptions import ContributionError
from media_pipeline import conf as media_conf

DRAFT_KEY = "contribution_draft"
# The receipt step's session key; it names the contribution (archive/erasure.py drops such sessions).
RECEIPT_KEY = "contribution_receipt"
MAX_DRAFT_FILES = 10
DRAFT_PREFIX = "contribution-drafts/"
MAX_AGE = dt.timedelta(days=1)


def load(request: HttpRequest) -> dict:
    return request.session.get(DRAFT_KEY) or {"story": None, "files": [], "consent": None}


def save(request: HttpRequest, draft: dict) -> None:
    request.session[DRAFT_KEY] = draft


def forget(request: HttpRequest, draft: dict) -> None:
    """The story is sent: its held files and the draft go."""
    drop_files(draft["files"])
    request.session.pop(DRAFT_KEY, None)


def drop_files(files: list[dict]) -> None:
    private = storages["private"]
    for f in files:
        if f.get("key", "").startswith(DRAFT_PREFIX):
            private.delete(f["key"])


def remove_file(request: HttpRequest, draft: dict, file_id: str) -> None:
    keep, drop = [], []
    for f in draft["files"]:
        (drop if f["id"] == file_id else keep).append(f)
    drop_files(drop)
    draft["files"] = keep
    save(request, draft)


def hold(request: HttpRequest, draft: dict, uploads: list) -> None:
    """Held privately until the story is sent (or the draft is abandoned): never public."""
    private = storages["private"]
    for upload in uploads:
        file_id = secrets.token_hex(8)
        key = private.save(f"{DRAFT_PREFIX}{secrets.token_hex(16)}", upload)
        draft["files"].append({"id": file_id, "key": key, "name": upload.name[:120], "size": upload.size})
    save(request, draft)


def upload_problem(held: list[dict], uploads: list) -> str:
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


def purge_stale(max_age: dt.timedelta = MAX_AGE) -> None:
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


def open_files(request: HttpRequest, draft: dict, opened: list) -> None:
    """Open each held file into `opened` (the caller closes them).

    A file purged meanwhile is taken out of the draft, and the ContributionError says to add it
    again or send without it.
    """
    private = storages["private"]
    for f in draft["files"]:
        try:
            handle = private.open(f["key"], "rb")
        except OSError:
            kept = [g for g in draft["files"] if g["key"] != f["key"]]
            save(request, {**draft, "files": kept})
            raise ContributionError(
                _("The file “%(name)s” is no longer here (files of an unsent story are kept for one "
                  "day). Please add it again, or send your story without it.") % {"name": f["name"]}
            ) from None
        handle.name = f["name"]
        opened.append(handle)


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def consent_choice(draft: dict) -> dict:
    """The consent step's choice as the review page shows it (the embargo as a date)."""
    return {**draft["consent"], "embargo_until": _day(draft["consent"]["embargo_until"])}


def submission_fields(draft: dict, files: list) -> dict:
    """The keyword arguments of contributions.submit_contribution for this draft."""
    story, choice = draft["story"], draft["consent"]
    return {
        "kind": story["kind"], "title": story["title"], "story": story["story"], "language": story["language"],
        "files": files,
        "consent": {
            "scopes": choice["scopes"], "name_display": choice["name_display"],
            "display_name": choice["display_name"],
            "embargo_until": forms.day_to_datetime(_day(choice["embargo_until"])),
        },
        "contact_email": choice["contact_email"] or None,
        "contributor_name": story.get("contributor_name", ""),
        "relationship": story["relationship"],
    }

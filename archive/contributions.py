"""The contributor journey without an account: submit, manage by private link, withdraw, erase.

A submission returns a private management token. Only its sha256 is stored, so the archive
cannot give the link back, and a leaked database does not open anyone's consent. Every change
appends a consent version (archive.services.record_consent) and queues propagation to every
surface; the policy in archive/consent.py applies it at read time at once.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from datetime import time as dtime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from archive import audit, erasure, services, surfaces
from archive import consent as policy
from archive.consent import surfaces_now
from archive.models import (
    SURFACES,
    ConsentVersion,
    Contribution,
    Contributor,
    Item,
    ItemMedia,
    RemovalReport,
)
from media_pipeline.exceptions import IntakeError

logger = logging.getLogger(__name__)

MAX_FILES = 20
MAX_TITLE = 300
MAX_STORY = 100_000
CONSENT_KEYS = {"scopes", "name_display", "display_name", "embargo_until", "expires_at"}
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")
# Pass as embargo_until / expires_at to change_consent to remove the date (None means "unchanged").
CLEAR = "clear"

_ROLE_FOR_KIND = {
    "image": ItemMedia.Role.PHOTO,
    "audio": ItemMedia.Role.RECORDING,
    "video": ItemMedia.Role.RECORDING,
    "transcript": ItemMedia.Role.TRANSCRIPT,
}


class ContributionError(ValueError):
    """A submission or change that cannot be made; the message (translated) says what to do."""


class InvalidToken(LookupError):
    """No contribution answers to this management token (wrong, guessed or mistyped)."""


@dataclass
class Submission:
    contribution: Contribution
    items: list[Item]
    token: str  # shown once to the contributor; never stored, never logged
    manage_path: str
    receipt_path: str
    assets: list = field(default_factory=list)


# --- tokens --------------------------------------------------------------------------------


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(str(token).encode("utf-8", "replace")).hexdigest()


def contribution_for_token(token: str) -> Contribution:
    """The contribution a management token opens, or InvalidToken.

    The same work for every input: one hash and one indexed lookup by hash, whatever the token
    looks like (no early return on length or alphabet), so neither the answer's timing nor the
    number of queries tells a well-formed wrong token from a random one.
    """
    digest = hash_token(token if isinstance(token, str) else "")
    found = Contribution.objects.filter(token_hash=digest).first()
    if found is None or not hmac.compare_digest(found.token_hash, digest):
        raise InvalidToken()
    return found


def _page_path(names: tuple[str, ...], token: str, language: str, fallback: str) -> str:
    """The public site's page for this token, in the contributor's language (its URL names are
    the public-site's; the fallback keeps the link meaningful if a page is renamed)."""
    with translation.override(language):
        for name in names:
            try:
                return reverse(name, kwargs={"token": token})
            except NoReverseMatch:
                continue
    return fallback


def manage_path(token: str, language: str = "en") -> str:
    return _page_path(("manage",), token, language, f"/{language}/manage/{token}/")


def receipt_path(token: str, language: str = "en") -> str:
    """The human-readable receipt page, or the signed JSON receipt where no page is wired."""
    return _page_path(("receipt", "consent-receipt"), token, language, f"/api/consent/{token}/receipt")


def api_paths(token: str) -> dict[str, str]:
    base = f"/api/consent/{token}/"
    return {"consent": base, "withdraw": base + "withdraw", "erase": base + "erase", "receipt": base + "receipt"}


# --- validation ----------------------------------------------------------------------------


def _when(value, label: str) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, dtime.min)
    elif isinstance(value, str):
        parsed = None
        try:
            parsed = parse_datetime(value.strip())
            if parsed is None:
                day = parse_date(value.strip())
                parsed = datetime.combine(day, dtime.min) if day else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise ContributionError(
                _("%(field)s is not a date we understand; use the form 2030-08-21.") % {"field": label}
            )
    else:
        raise ContributionError(_("%(field)s must be a date.") % {"field": label})
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, UTC)
    try:
        parsed.astimezone(UTC)  # stored in UTC: an offset that leaves the calendar is refused here
    except OverflowError:
        raise ContributionError(_("%(field)s is out of range.") % {"field": label}) from None
    return parsed


def validate_consent(data, *, now: datetime | None = None) -> dict:
    """Clean a consent choice from a form or the API; raises ContributionError saying what is wrong."""
    if not isinstance(data, dict):
        raise ContributionError(_("Consent must be an object with scopes and name display."))
    unknown = set(data) - CONSENT_KEYS
    if unknown:
        raise ContributionError(_("Unknown consent fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    if "scopes" not in data:
        # Consent is given, never assumed: an empty list is a choice (nowhere in public), absence is not.
        raise ContributionError(_('Say where the story may appear: give “scopes”, a list such as ["web", "search"], '
                                  'or an empty list [] to keep it private to the archive\'s team.'))
    scopes = data["scopes"]
    if not isinstance(scopes, list | tuple) or not all(isinstance(s, str) for s in scopes):
        raise ContributionError(_("Scopes must be a list of places, e.g. [\"web\", \"search\"]."))
    bad = sorted(set(scopes) - set(SURFACES))
    if bad:
        raise ContributionError(
            _("Unknown scopes: %(bad)s. Choose from: %(known)s.") % {"bad": ", ".join(bad), "known": ", ".join(SURFACES)}
        )
    name_display = data.get("name_display") or ConsentVersion.NameDisplay.ANONYMOUS
    if name_display not in ConsentVersion.NameDisplay.values:
        raise ContributionError(
            _("Name display must be one of: %(known)s.") % {"known": ", ".join(ConsentVersion.NameDisplay.values)}
        )
    display_name = data.get("display_name") or ""
    if not isinstance(display_name, str) or len(display_name) > 200:
        raise ContributionError(_("The name to display must be text of at most 200 characters."))
    display_name = _text(display_name, _("The name to display"), 200, required=False)
    if name_display != ConsentVersion.NameDisplay.ANONYMOUS and not display_name:
        raise ContributionError(_("Give the name to display, or choose to stay anonymous."))
    if name_display == ConsentVersion.NameDisplay.ANONYMOUS:
        display_name = ""
    embargo_until = _when(data.get("embargo_until"), _("The embargo date"))
    expires_at = _when(data.get("expires_at"), _("The expiry date"))
    now = now or timezone.now()
    problem = policy.window_problem(embargo_until, expires_at, now if "expires_at" in data else None)
    if problem == "expiry_past":
        raise ContributionError(_("The expiry date must be in the future."))
    if problem == "expiry_before_embargo":
        raise ContributionError(_("The expiry date must come after the embargo date."))
    return {
        "scopes": [s for s in SURFACES if s in scopes],
        "name_display": name_display,
        "display_name": display_name,
        "embargo_until": embargo_until,
        "expires_at": expires_at,
    }


def _language(language: str) -> str:
    language = (language or "").strip().lower()
    if not _LANGUAGE.match(language):
        raise ContributionError(_("Language must be a language code such as en, ar or zh-hans."))
    return language


def _text(value, label: str, limit: int, required: bool) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ContributionError(_("%(field)s must be text.") % {"field": label})
    # Control characters never belong in a story (NUL breaks PostgreSQL); tabs and newlines do.
    value = "".join(ch for ch in value if ch in "\t\n" or ord(ch) >= 32).strip()
    if any("\ud800" <= ch <= "\udfff" for ch in value):  # lone surrogates (JSON "\udc00"): not text
        raise ContributionError(_("%(field)s contains characters that are not valid text.") % {"field": label})
    if required and not value:
        raise ContributionError(_("%(field)s is required.") % {"field": label})
    if len(value) > limit:
        raise ContributionError(
            _("%(field)s is too long (at most %(limit)d characters).") % {"field": label, "limit": limit}
        )
    return value


# --- submission ----------------------------------------------------------------------------


def _media():
    from media_pipeline import services as media

    return media


def _queue_processing(asset_ids: list[str]) -> None:
    from media_pipeline import tasks as media_tasks

    for asset_id in asset_ids:
        media_tasks.process_asset.enqueue(asset_id)


def submit_contribution(*, kind, title, story, language, files, consent: dict, contact_email=None,
                        contributor_name: str = "", relationship: str = "survivor",
                        actor_label: str = "contributor", method: str = ConsentVersion.Method.WEB_FORM) -> Submission:
    """Create the contribution, its item in moderation and the first consent version, in one go.

    On any refusal nothing is left: the transaction rolls back the rows, and the files already
    taken in are erased from storage before it does.
    """
    if kind not in Item.Kind.values:
        raise ContributionError(_("Kind must be one of: %(known)s.") % {"known": ", ".join(Item.Kind.values)})
    title = _text(title, _("Title"), MAX_TITLE, required=True)
    story = _text(story, _("Story"), MAX_STORY, required=False)
    language = _language(language)
    clean_consent = validate_consent(consent)
    if relationship not in Contributor.Relationship.values:
        raise ContributionError(
            _("Relationship must be one of: %(known)s.") % {"known": ", ".join(Contributor.Relationship.values)}
        )
    contributor_name = _text(contributor_name, _("Name"), 200, required=False)
    contact_email = (contact_email or "").strip()
    if contact_email:
        try:
            validate_email(contact_email)
        except ValidationError as exc:
            raise ContributionError(_("The e-mail address does not look right.")) from exc
    files = list(files or [])
    if len(files) > MAX_FILES:
        raise ContributionError(_("Send at most %(n)d files at once.") % {"n": MAX_FILES})
    if not story and not files:
        raise ContributionError(_("Tell the story in words, or add at least one file."))

    token = new_token()
    preferred = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    taken: list = []
    try:
        with transaction.atomic():
            contribution, item = _create(
                token=token, kind=kind, title=title, story=story, language=language, files=files,
                consent=clean_consent, contact_email=contact_email, contributor_name=contributor_name,
                relationship=relationship, preferred=preferred, actor_label=actor_label, method=method,
                taken=taken,
            )
    except BaseException:
        # The rows are rolled back; the files already taken in are removed here.
        _discard(taken)
        raise
    return Submission(
        contribution=contribution, items=[item], token=token,
        manage_path=manage_path(token, preferred), receipt_path=receipt_path(token, preferred), assets=taken,
    )


def _create(*, token, kind, title, story, language, files, consent, contact_email, contributor_name,
            relationship, preferred, actor_label, method, taken: list) -> tuple[Contribution, Item]:
    contributor = Contributor.objects.create(
        name=contributor_name, relationship=relationship, contact_email=contact_email,
        preferred_language=preferred,
    )
    contribution = Contribution.objects.create(contributor=contributor, token_hash=hash_token(token))
    item = Item.objects.create(
        kind=kind, status=Item.Status.SUBMITTED, title={language: title},
        story={language: story} if story else {}, original_language=language,
        contributor=contributor, contribution=contribution,
    )
    recording = None
    for position, upload in enumerate(files):
        name = str(getattr(upload, "name", "") or f"file-{position + 1}")
        try:
            asset = _media().intake(upload, name)
        except IntakeError as exc:
            raise ContributionError(str(exc)) from exc
        taken.append(asset)
        role = _ROLE_FOR_KIND.get(asset.kind, ItemMedia.Role.PHOTO)
        use = ItemMedia.objects.create(
            item=item, asset=asset, role=role, position=position, language=language,
            transcribes=recording if role == ItemMedia.Role.TRANSCRIPT else None,
        )
        if role == ItemMedia.Role.RECORDING and recording is None:
            recording = use
    services.record_consent(
        item, actor_label=actor_label, propagate=False, method=method,
        given_by=ConsentVersion.GivenBy.SELF, **consent,
    )
    audit.record("contribution.submitted", actor_label=actor_label, item=item,
                 target=f"contribution {contribution.pk}",
                 after={"kind": kind, "files": len(taken), "language": language})
    asset_ids = [str(a.pk) for a in taken]
    if asset_ids:
        transaction.on_commit(lambda: _queue_processing(asset_ids))
    return contribution, item


def _discard(assets: list) -> None:
    """Remove the files (and any row) of assets taken in by a submission that is refused."""
    for asset in assets:
        try:
            _media().discard(asset)
        except Exception:  # keep discarding the others; the error is for the operator
            logger.exception("Could not discard the files of refused asset %s", asset.pk)


# --- management by token ---------------------------------------------------------------------


def _items(contribution: Contribution):
    return list(Item.objects.filter(contribution=contribution).select_related("current_consent").order_by("created_at"))


def _refuse_if_erased(contribution: Contribution) -> None:
    if contribution.erased_at:
        raise ContributionError(_("This contribution has been erased; there is nothing left to change."))


def change_consent(contribution: Contribution, *, scopes=None, name_display=None, display_name=None,
                   embargo_until=None, expires_at=None, excluded_media=None,
                   method: str = ConsentVersion.Method.WEB_FORM, actor_label: str = "contributor") -> list[ConsentVersion]:
    """Append a new consent version to every item of the contribution.

    None leaves a field as it is; pass CLEAR (or "") as embargo_until / expires_at to remove the
    date. A withdrawn item stays withdrawn (restoring it is a curator's paper-consent step).
    """
    _refuse_if_erased(contribution)
    given = {k: v for k, v in {"scopes": scopes, "name_display": name_display, "display_name": display_name,
                               "embargo_until": embargo_until, "expires_at": expires_at}.items() if v is not None}
    if not given and excluded_media is None:
        raise ContributionError(_("Nothing to change: choose scopes, name display, an embargo or an expiry date."))
    items = _items(contribution)
    media_ids = set(ItemMedia.objects.filter(item__in=items).values_list("pk", flat=True))
    if excluded_media is not None:
        if not isinstance(excluded_media, list | tuple) or not all(
            isinstance(m, int) and not isinstance(m, bool) for m in excluded_media
        ):
            raise ContributionError(_("Excluded media must be a list of media numbers."))
        if set(excluded_media) - media_ids:
            raise ContributionError(_("Some of the excluded media do not belong to this contribution."))
    versions: list[ConsentVersion] = []
    with transaction.atomic():
        for item in items:
            current = item.current_consent
            if item.status == Item.Status.ERASED or (current and current.withdrawn):
                raise ContributionError(_("This story has been withdrawn; to restore it, contact the archive."))
            merged = {
                "scopes": current.scopes if current else [],
                "name_display": current.name_display if current else ConsentVersion.NameDisplay.ANONYMOUS,
                "display_name": current.display_name if current else "",
                "embargo_until": current.embargo_until if current else None,
                "expires_at": current.expires_at if current else None,
            }
            for key in ("embargo_until", "expires_at"):
                if given.get(key) in (CLEAR, ""):
                    given[key] = None
                    merged[key] = None
            merged.update(given)
            # Check a newly given expiry against now; one kept from before is not re-judged.
            clean = validate_consent({k: v for k, v in merged.items() if k != "expires_at" or "expires_at" in given})
            if "expires_at" not in given:
                clean["expires_at"] = merged["expires_at"]
                if policy.window_problem(clean["embargo_until"], clean["expires_at"]):
                    raise ContributionError(_("The expiry date must come after the embargo date."))
            own_media = {m.pk for m in item.media.all()}
            excluded = (
                sorted(set(excluded_media) & own_media) if excluded_media is not None
                else list(current.excluded_media or []) if current else []
            )
            versions.append(services.record_consent(
                item, actor_label=actor_label, method=method, given_by=ConsentVersion.GivenBy.SELF,
                excluded_media=excluded, **clean,
            ))
    return versions


def withdraw(contribution: Contribution, *, actor_label: str = "contributor",
             method: str = ConsentVersion.Method.WEB_FORM) -> list[RemovalReport]:
    """Withdraw every item: closed at read time at once, then propagated to every surface.

    Returns one removal report per item (complete when the task backend ran it already, pending
    otherwise). Withdrawing twice changes nothing and returns the reports of the withdrawal.
    """
    _refuse_if_erased(contribution)
    reports: list[RemovalReport] = []
    with transaction.atomic():
        for item in _items(contribution):
            current = item.current_consent
            if current and current.withdrawn:
                latest = item.removal_reports.filter(consent_version=current).order_by("-requested_at", "-id").first()
                if latest is not None:
                    reports.append(latest)
                continue
            version = services.record_consent(
                item, scopes=[], withdrawn=True, actor_label=actor_label, method=method,
                given_by=ConsentVersion.GivenBy.SELF,
                name_display=current.name_display if current else ConsentVersion.NameDisplay.ANONYMOUS,
                display_name=current.display_name if current else "",
                excluded_media=list(current.excluded_media or []) if current else [],
            )
            reports.append(version.propagation_report)
    # After commit the task may already have run (immediate backend): show its answer.
    for report in reports:
        report.refresh_from_db()
    return reports


def erase(contribution: Contribution, *, actor=None, actor_label: str = "contributor") -> dict:
    """Delete everything: masters and derivatives, personal data, the items' texts (archive/erasure.py)."""
    return erasure.erase(contribution, actor=actor, actor_label=actor_label)


def where_it_appears(contribution: Contribution, at: datetime | None = None) -> list[dict]:
    """Per item: the policy's answer for every surface now, and the placements registered
    locators report (exhibitions it is in)."""
    result = []
    for item in _items(contribution):
        result.append({
            "item": str(item.pk),
            "status": item.status,
            "surfaces": surfaces_now(item, at),
            "exhibitions": surfaces.locate(item) if item.status == Item.Status.PUBLISHED else [],
        })
    return result

"""Managing a contribution by its private link: change consent, withdraw, erase, where it appears.

Every change appends a consent version (archive.services.record_consent) and queues propagation
to every surface; the policy in archive/consent.py applies it at read time at once.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from archive import consent as policy
from archive import erasure, services, surfaces
from archive.consent import surfaces_now
from archive.contributions.consent_input import validate_consent
from archive.contributions.exceptions import ContributionError
from archive.models import ConsentVersion, Contribution, Item, ItemMedia, RemovalReport

# Pass as embargo_until / expires_at to change_consent to remove the date (None means "unchanged").
CLEAR = "clear"
_DATES = ("embargo_until", "expires_at")


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
    given = _given({"scopes": scopes, "name_display": name_display, "display_name": display_name,
                    "embargo_until": embargo_until, "expires_at": expires_at})
    if not given and excluded_media is None:
        raise ContributionError(_("Nothing to change: choose scopes, name display, an embargo or an expiry date."))
    items = _items(contribution)
    _check_excluded(excluded_media, items)
    versions: list[ConsentVersion] = []
    with transaction.atomic():
        for item in items:
            current = item.current_consent
            if item.status == Item.Status.ERASED or (current and current.withdrawn):
                raise ContributionError(_("This story has been withdrawn; to restore it, contact the archive."))
            clean = _next_choice(current, given)
            versions.append(services.record_consent(
                item, actor_label=actor_label, method=method, given_by=ConsentVersion.GivenBy.SELF,
                excluded_media=_excluded_for(item, current, excluded_media), **clean,
            ))
    return versions


def _given(fields: dict) -> dict:
    """The fields the change sets (None: unchanged); a cleared date is given as None."""
    given = {k: v for k, v in fields.items() if v is not None}
    for key in _DATES:
        if given.get(key) in (CLEAR, ""):
            given[key] = None
    return given


def _check_excluded(excluded_media, items: list[Item]) -> None:
    if excluded_media is None:
        return
    if not isinstance(excluded_media, list | tuple) or not all(
        isinstance(m, int) and not isinstance(m, bool) for m in excluded_media
    ):
        raise ContributionError(_("Excluded media must be a list of media numbers."))
    media_ids = set(ItemMedia.objects.filter(item__in=items).values_list("pk", flat=True))
    if set(excluded_media) - media_ids:
        raise ContributionError(_("Some of the excluded media do not belong to this contribution."))


def _current_choice(current: ConsentVersion | None) -> dict:
    if current is None:
        return {"scopes": [], "name_display": ConsentVersion.NameDisplay.ANONYMOUS, "display_name": "",
                "embargo_until": None, "expires_at": None}
    return {"scopes": current.scopes, "name_display": current.name_display, "display_name": current.display_name,
            "embargo_until": current.embargo_until, "expires_at": current.expires_at}


def _next_choice(current: ConsentVersion | None, given: dict) -> dict:
    """The current choice with the given fields applied, cleaned."""
    merged = {**_current_choice(current), **given}
    # Check a newly given expiry against now; one kept from before is not re-judged.
    clean = validate_consent({k: v for k, v in merged.items() if k != "expires_at" or "expires_at" in given})
    if "expires_at" not in given:
        clean["expires_at"] = merged["expires_at"]
        if policy.window_problem(clean["embargo_until"], clean["expires_at"]):
            raise ContributionError(_("The expiry date must come after the embargo date."))
    return clean


def _excluded_for(item: Item, current: ConsentVersion | None, excluded_media) -> list[int]:
    """The item's own media among those excluded now, or the exclusions it had."""
    own_media = {m.pk for m in item.media.all()}
    if excluded_media is not None:
        return sorted(set(excluded_media) & own_media)
    return list(current.excluded_media or []) if current else []


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

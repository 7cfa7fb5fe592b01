"""Consent receipts: what was consented to, when, by whom, for which items, how to change it,
and what each change cleared. A JSON document signed with the site's key (django.core.signing,
HMAC-SHA256 over SECRET_KEY), and the data for the human-readable receipt page.

The management token is never stored (only its hash), so a receipt holds the links to change
consent only when it is built in a request that came with the token.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core import signing
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from archive import consent as policy
from archive import contributions
from archive.consent import PUBLIC_SURFACES, name_for_display
from archive.models import ConsentVersion, Contribution, Item, RemovalReport

SALT = "memories.consent-receipt.v1"
RECEIPT_TYPE = "MemoriesConsentReceipt"


class InvalidReceipt(ValueError):
    """The signature does not match: the receipt was altered or not issued by this archive."""


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def consent_summary(version: ConsentVersion | None) -> dict | None:
    if version is None:
        return None
    return {
        "version": version.number,
        "given_at": _iso(version.created_at),
        "scopes": version.scopes,
        "name_display": version.name_display,
        "display_name": version.display_name,
        # The name exactly as the public would read it ("N. T." for initials; "" when anonymous).
        "name_shown": name_for_display(version),
        "embargo_until": _iso(version.embargo_until),
        "expires_at": _iso(version.expires_at),
        "excluded_media": list(version.excluded_media or []),
        "withdrawn": version.withdrawn,
        "given_by": version.given_by,
        "given_by_label": str(ConsentVersion.GivenBy(version.given_by).label),
        "method": version.method,
    }


def report_summary(report: RemovalReport | None) -> dict | None:
    if report is None:
        return None
    return {
        "trigger": report.trigger,
        "consent_version": report.consent_version.number,
        "requested_at": _iso(report.requested_at),
        "completed_at": _iso(report.completed_at),
        "surfaces": [
            {k: entry.get(k) for k in ("surface", "label", "cleared_at", "detail", "error", "failed_at")
             if entry.get(k) is not None}
            for entry in report.surfaces
        ],
    }


def _day(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "DATE_FORMAT")


def state_sentence(item: Item, *, erased: bool = False, at: datetime | None = None) -> str:
    """The one sentence that says where the story stands, from its status and its consent.

    Every contributor page (receipt, management page) shows this and nothing else as the state,
    so "withdrawn" can never sit beside "published as you chose". The most final fact wins:
    erased, then withdrawn, then the review, then what the consent allows now.
    """
    consent = item.current_consent
    if erased or item.status == Item.Status.ERASED:
        return _("Erased. Its words, names and files have been deleted; only an anonymous record that a "
                 "story was sent remains. This cannot be undone.")
    if consent is not None and consent.withdrawn:
        return _("Withdrawn. It does not appear anywhere in public. To restore it, contact the archive.")
    return _review_sentence(item) or _consent_sentence(consent, at or timezone.now())


def _review_sentence(item: Item) -> str:
    """Where the review stands, while it keeps the story out of public ("" once reviewed)."""
    if item.status == Item.Status.SUBMITTED:
        return _("Waiting for our team to read it. Nothing is public until then, and then only where you agreed.")
    if item.status == Item.Status.CHANGES_REQUESTED:
        return _("Our team has asked for a change before it can be published. Nothing is public meanwhile.")
    if item.status == Item.Status.REJECTED:
        return _("Our team could not publish it. It does not appear anywhere in public.")
    return ""


def _consent_sentence(consent: ConsentVersion | None, at: datetime) -> str:
    """What a reviewed story's consent allows at `at`."""
    if consent is None or not any(s in consent.scopes for s in PUBLIC_SURFACES):
        return _("Reviewed. As you chose, it appears nowhere in public.")
    if policy.under_embargo(consent, at):
        return _("Reviewed. As you chose, it is hidden everywhere until %(day)s, then shown where you agreed.") % {
            "day": _day(consent.embargo_until)}
    if policy.expired(consent, at):
        return _("Reviewed. Your consent ended on %(day)s, so it no longer appears in public.") % {
            "day": _day(consent.expires_at)}
    return _("Reviewed and published, only where you agreed (listed below).")


def build_receipt(contribution: Contribution, *, token: str | None = None) -> dict:
    """The receipt for the contribution as it stands now (each change gives a new one)."""
    items = list(
        Item.objects.filter(contribution=contribution).select_related("current_consent").order_by("created_at")
    )
    where = {entry["item"]: entry for entry in contributions.where_it_appears(contribution)}
    language = getattr(contribution.contributor, "preferred_language", None) or settings.LANGUAGE_CODE
    entries = []
    for item in items:
        history = [consent_summary(v) for v in item.consent_versions.order_by("number")]
        latest = (
            item.removal_reports.select_related("consent_version").order_by("-requested_at", "-id").first()
        )
        entries.append({
            "id": str(item.pk),
            "kind": item.kind,
            "title": item.title,
            "status": item.status,
            "state": state_sentence(item, erased=bool(contribution.erased_at)),
            "moderation_note": item.moderation_note,
            "published_at": _iso(item.published_at),
            "consent": consent_summary(item.current_consent),
            "history": history,
            "appears_now": where.get(str(item.pk), {}).get("surfaces", {}),
            "exhibitions": where.get(str(item.pk), {}).get("exhibitions", []),
            "removal_report": report_summary(latest),
        })
    how = {
        "text": _("Use your private management link to see where your story appears, narrow where it may "
                  "appear, set an embargo, withdraw it, or ask for everything to be erased. The archive "
                  "keeps only a fingerprint of the link and cannot send it again."),
    }
    if token:
        how.update({
            "manage_url": settings.SITE_URL + contributions.manage_path(token, language),
            "receipt_url": settings.SITE_URL + contributions.receipt_path(token, language),
            "api": {k: settings.SITE_URL + v for k, v in contributions.api_paths(token).items()},
        })
    return {
        "type": RECEIPT_TYPE,
        "issuer": {"name": settings.SITE_NAME, "url": settings.SITE_URL},
        "issued_at": timezone.now().isoformat(),
        "contribution": str(contribution.pk),
        "submitted_at": _iso(contribution.created_at),
        "erased_at": _iso(contribution.erased_at),
        "relationship": getattr(contribution.contributor, "relationship", ""),
        "items": entries,
        "how_to_change": how,
    }


def sign(receipt: dict) -> str:
    """A compact signed string carrying the receipt (HMAC-SHA256 with the site's SECRET_KEY)."""
    return signing.dumps(receipt, salt=SALT, compress=True)


def verify(signed: str) -> dict:
    """The receipt a signature carries; InvalidReceipt when it was altered or issued elsewhere."""
    try:
        return signing.loads(signed, salt=SALT)
    except signing.BadSignature as exc:
        raise InvalidReceipt(_("This receipt's signature does not match; it was changed or not issued here.")) from exc


def signed_document(contribution: Contribution, *, token: str | None = None) -> dict:
    """The JSON document the API serves: the receipt and its signature."""
    receipt = build_receipt(contribution, token=token)
    return {"receipt": receipt, "signature": sign(receipt), "signature_method": "django.core.signing HMAC-SHA256"}

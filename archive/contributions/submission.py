"""Submitting a story: the contribution, its item in moderation and the first consent version."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from archive import audit, services
from archive.contributions.consent_input import clean_language, clean_text, validate_consent
from archive.contributions.exceptions import ContributionError
from archive.contributions.tokens import hash_token, manage_path, new_token, receipt_path
from archive.models import ConsentVersion, Contribution, Contributor, Item, ItemMedia
from media_pipeline.exceptions import IntakeError

logger = logging.getLogger(__name__)

MAX_FILES = 20
MAX_TITLE = 300
MAX_STORY = 100_000
MAX_NAME = 200

_ROLE_FOR_KIND = {
    "image": ItemMedia.Role.PHOTO,
    "audio": ItemMedia.Role.RECORDING,
    "video": ItemMedia.Role.RECORDING,
    "transcript": ItemMedia.Role.TRANSCRIPT,
}


@dataclass
class Submission:
    contribution: Contribution
    items: list[Item]
    token: str  # shown once to the contributor; never stored, never logged
    manage_path: str
    receipt_path: str
    assets: list = field(default_factory=list)


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
    title = clean_text(title, _("Title"), MAX_TITLE, required=True)
    story = clean_text(story, _("Story"), MAX_STORY, required=False)
    language = clean_language(language)
    clean_consent = validate_consent(consent)
    if relationship not in Contributor.Relationship.values:
        raise ContributionError(
            _("Relationship must be one of: %(known)s.") % {"known": ", ".join(Contributor.Relationship.values)}
        )
    contributor_name = clean_text(contributor_name, _("Name"), MAX_NAME, required=False)
    contact_email = _email(contact_email)
    files = _files(files, story)

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


def _email(contact_email) -> str:
    contact_email = (contact_email or "").strip()
    if contact_email:
        try:
            validate_email(contact_email)
        except ValidationError as exc:
            raise ContributionError(_("The e-mail address does not look right.")) from exc
    return contact_email


def _files(files, story: str) -> list:
    files = list(files or [])
    if len(files) > MAX_FILES:
        raise ContributionError(_("Send at most %(n)d files at once.") % {"n": MAX_FILES})
    if not story and not files:
        raise ContributionError(_("Tell the story in words, or add at least one file."))
    return files


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
    _take_files(item, files, language, taken)
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


def _take_files(item: Item, files: list, language: str, taken: list) -> None:
    """Take each upload in through the pipeline and attach it; a transcript follows the first recording."""
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


def _discard(assets: list) -> None:
    """Remove the files (and any row) of assets taken in by a submission that is refused."""
    for asset in assets:
        try:
            _media().discard(asset)
        except Exception:  # keep discarding the others; the error is for the operator
            logger.exception("Could not discard the files of refused asset %s", asset.pk)

"""Redaction services for the curator workspace: protect third parties before publication.

The pipeline (media_pipeline.redaction) makes the public files again from the private master;
here the archive records who asked and why (audit log), and carries the change to every surface
when the item is public. Every redaction can be reversed by an archivist: it is removed from the
list and the files are made again from the unchanged master.

A mute or cut of a recording is carried onto the transcripts that transcribe it
(ItemMedia.transcribes): their cues are shifted, clipped or muted to match what is heard, as
"derived" redactions that follow the recording's and are reversed with it.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archive import audit, services
from archive.models import Item, ItemMedia
from media_pipeline import redaction as pipeline
from media_pipeline.exceptions import MediaPipelineError, RedactionNotApplicable
from media_pipeline.models import MediaAsset


class RedactionError(ValueError):
    """A redaction that cannot be made or reversed; the message says why."""


def specs_from_form(data: dict) -> list[dict]:
    """The redactions one form asks for: a region each (several may be drawn), or one range or word list."""
    kind = data["kind"]
    if kind in ("blur", "crop"):
        return [{"type": kind, "box": list(box)} for box in data["regions"]]
    if kind in ("mute", "cut"):
        return [{"type": kind, "range": [data["start"], data["end"]]}]
    return [{"type": "words", "words": data["word_list"]}]


def _public_view(spec: dict) -> dict:
    # The audit log keeps what was hidden and where, but never the redacted words themselves
    # (they are often a third party's name): only how many there were.
    if spec.get("type") == "words":
        return {k: v for k, v in spec.items() if k != "words"} | {"words": len(spec.get("words", []))}
    return spec


def _refresh(media: ItemMedia, *more: ItemMedia) -> None:
    for item_id in dict.fromkeys(m.item_id for m in (media, *more)):
        item = Item.objects.select_related("current_consent").get(pk=item_id)
        if item.status == Item.Status.PUBLISHED:
            # Search documents, manifests and caches are rebuilt from the redacted media.
            services.request_propagation(item, trigger="redaction")


TIMED = ("mute", "cut")


def _sync_transcripts(media: ItemMedia, recording_redactions: list[dict]) -> list[ItemMedia]:
    """Give every transcript of this recording the recording's current mutes and cuts (idempotent);
    returns the transcripts whose files were made again."""
    timeline = [{"type": r["type"], "range": list(r["range"]), "id": f"{r['id']}-t", "source": r["id"],
                 "derived": True, "note": r.get("note", ""), "by": r.get("by", ""), "at": r.get("at", "")}
                for r in recording_redactions if r.get("type") in TIMED]
    changed = []
    for transcript in ItemMedia.objects.filter(transcribes=media).select_related("asset"):
        asset = transcript.asset
        if asset.kind != MediaAsset.Kind.TRANSCRIPT or asset.status != MediaAsset.Status.READY:
            continue
        wanted = [r for r in asset.redactions or [] if not r.get("derived")] + timeline
        if wanted == (asset.redactions or []):
            continue
        asset.redactions = wanted
        asset.save(update_fields=["redactions", "updated_at"])
        pipeline.regenerate(asset)
        changed.append(transcript)
    return changed


def add(media: ItemMedia, *, spec: dict, note: str, actor) -> dict:
    """Apply one redaction to `media` and make its public files again from the master."""
    return add_many(media, specs=[spec], note=note, actor=actor)[0]


def add_many(media: ItemMedia, *, specs: list[dict], note: str, actor) -> list[dict]:
    """Apply several redactions (regions drawn together) with one regeneration of the public
    files; all of them or none. Each is its own entry (reversed one by one) and audit event."""
    asset = MediaAsset.objects.get(pk=media.asset_id)
    try:
        specs = [pipeline.validate(asset, spec) for spec in specs]
    except RedactionNotApplicable as exc:
        raise RedactionError(str(exc)) from exc
    by, at = (actor.get_username() if actor else "system"), timezone.now().isoformat()
    records = [{**spec, "id": uuid.uuid4().hex[:12], "note": note[:500], "by": by, "at": at} for spec in specs]
    timed = any(spec["type"] in TIMED for spec in specs)
    before = list(asset.redactions or [])
    asset.redactions = [*before, *records]
    asset.save(update_fields=["redactions", "updated_at"])
    try:
        pipeline.regenerate(asset)
        transcripts = _sync_transcripts(media, asset.redactions) if timed else []
    except Exception as exc:
        MediaAsset.objects.filter(pk=asset.pk).update(redactions=before)
        # The files may be half made: make them again from the list as it was.
        try:
            pipeline.regenerate(asset)
            if timed:
                _sync_transcripts(media, before)
        finally:
            raise RedactionError(_("The redaction could not be applied (%(err)s); nothing was changed.")
                                 % {"err": exc}) from exc
    with transaction.atomic():
        done = list(before)
        for record in records:
            audit.record("media.redacted", actor=actor, item=media.item, target=f"media:{media.pk} {record['type']}",
                         before={"redactions": [_public_view(r) for r in done]},
                         after={"redaction": _public_view(record), "note": record["note"],
                                "transcripts": [t.pk for t in transcripts]})
            done.append(record)
        _refresh(media, *transcripts)
    return records


def reverse(media: ItemMedia, *, redaction_id: str, actor) -> None:
    """Remove one redaction (archivists) and make the public files again from the master."""
    asset = MediaAsset.objects.get(pk=media.asset_id)
    before = list(asset.redactions or [])
    removed = next((r for r in before if r.get("id") == redaction_id), None)
    if removed is None:
        raise RedactionError(_("That redaction does not exist (it may have been reversed already)."))
    if removed.get("derived"):
        raise RedactionError(_("This follows a redaction of the recording: reverse that one instead."))
    asset.redactions = [r for r in before if r.get("id") != redaction_id]
    asset.save(update_fields=["redactions", "updated_at"])
    try:
        pipeline.regenerate(asset)
        transcripts = _sync_transcripts(media, asset.redactions) if removed.get("type") in TIMED else []
    except MediaPipelineError as exc:
        MediaAsset.objects.filter(pk=asset.pk).update(redactions=before)
        raise RedactionError(str(exc)) from exc
    with transaction.atomic():
        audit.record("media.redaction_reversed", actor=actor, item=media.item,
                     target=f"media:{media.pk} {removed['type']}", before={"redaction": _public_view(removed)},
                     after={"redactions": [_public_view(r) for r in asset.redactions],
                            "transcripts": [t.pk for t in transcripts]})
        _refresh(media, *transcripts)

"""Preservation packages (BagIt) of items: masters from private storage, derivatives, metadata
(JSON, and Dublin Core in dc.xml), consent history with its evidence (JSON, and PREMIS 3 events in
consent/premis.xml: archive/curator/preservation_xml.py), the audit trail. The IIIF documents are added upstairs
(exhibitions/management/commands/export_bag.py), where the IIIF builders live (floors).

A package is written to a temporary folder beside its final place, validated with `bagit`, and
only then moved in, so a failed or interrupted export never leaves a half bag under the final name.
Contact details of contributors (encrypted at rest) are never exported.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import bagit
from django.conf import settings
from django.utils import timezone

from archive.curator import preservation_xml
from archive.models import AuditEvent, ConsentVersion, Item
from media_pipeline import storage as mstorage
from media_pipeline.models import MediaAsset

CHECKSUMS = ["sha256"]


class PreservationError(RuntimeError):
    pass


def _iso(value):
    return value.isoformat() if value else None


def item_metadata(item: Item) -> dict:
    return {
        "id": str(item.pk), "kind": item.kind, "status": item.status,
        "title": item.title, "summary": item.summary, "story": item.story,
        "original_language": item.original_language,
        "date": {"text": item.date_text, "start": _iso(item.date_start), "end": _iso(item.date_end),
                 "approximate": item.date_approximate},
        "place": item.place, "country": item.country,
        "event": {"slug": item.event.slug, "name": item.event.name, "country": item.event.country}
        if item.event_id else None,
        "subjects": [{"slug": s.slug, "label": s.label} for s in item.subjects.all()],
        "content_warnings": item.content_warnings, "rights": item.rights,
        "contributor_relationship": item.contributor.relationship if item.contributor_id else None,
        "moderation_note": item.moderation_note,
        "created_at": _iso(item.created_at), "published_at": _iso(item.published_at),
        "media": [{"id": m.pk, "asset": str(m.asset_id), "role": m.role, "position": m.position,
                   "alt_text": m.alt_text, "caption": m.caption, "language": m.language,
                   "transcribes": m.transcribes_id} for m in item.media.all()],
    }


def consent_record(version: ConsentVersion) -> dict:
    return {
        "number": version.number, "scopes": version.scopes, "name_display": version.name_display,
        "display_name": version.display_name, "embargo_until": _iso(version.embargo_until),
        "expires_at": _iso(version.expires_at), "excluded_media": version.excluded_media,
        "withdrawn": version.withdrawn, "given_by": version.given_by, "given_by_name": version.given_by_name,
        "method": version.method, "recorded_by": version.recorded_by.get_username() if version.recorded_by else None,
        "created_at": _iso(version.created_at),
        "evidence": f"consent/evidence/v{version.number}{Path(version.evidence.name).suffix}"
        if version.evidence else None,
    }


def _copy_private(key: str, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    with mstorage.fetched(mstorage.private(), key) as path:
        shutil.copyfile(path, dest)


def _asset_files(asset: MediaAsset, root: Path) -> dict:
    """Master and derivatives of one asset, from private storage (tiles: only info.json; they are
    made again from the master by the pipeline)."""
    priv = mstorage.private()
    info = {
        "id": str(asset.pk), "kind": asset.kind, "status": asset.status, "format": asset.detected_format,
        "master_format": getattr(asset, "master_format", ""), "master_sha256": asset.master_sha256,
        "width": asset.width, "height": asset.height, "duration": asset.duration,
        "redactions": asset.redactions, "cues": asset.cues, "files": {},
    }
    if asset.master_key and mstorage.exists(priv, asset.master_key):
        name = f"master{Path(asset.master_key).suffix}"
        _copy_private(asset.master_key, root / name)
        info["files"]["master"] = name
    for name, key in sorted((asset.derivatives or {}).items()):
        if not isinstance(key, str) or not key:
            continue
        if name == "iiif":
            info_key = f"{key}/info.json"
            if mstorage.exists(priv, info_key):
                _copy_private(info_key, root / "derivatives" / "iiif-info.json")
                info["files"]["iiif"] = "derivatives/iiif-info.json"
            continue
        if key == asset.master_key or not mstorage.exists(priv, key):
            continue
        rel = f"derivatives/{name}{Path(key).suffix}"
        _copy_private(key, root / rel)
        info["files"][name] = rel
    (root / "asset.json").write_text(json.dumps(info, ensure_ascii=False, indent=1))
    return info


def write_item_payload(item: Item, data: Path, extra: Callable[[Item, Path], None] | None = None) -> None:
    item = Item.objects.select_related("event", "contributor").prefetch_related("subjects", "media__asset").get(
        pk=item.pk)
    data.mkdir(parents=True, exist_ok=True)
    (data / "item.json").write_text(json.dumps(item_metadata(item), ensure_ascii=False, indent=1))
    versions = list(item.consent_versions.select_related("recorded_by").order_by("number"))
    consent_dir = data / "consent"
    consent_dir.mkdir(exist_ok=True)
    (consent_dir / "history.json").write_text(
        json.dumps([consent_record(v) for v in versions], ensure_ascii=False, indent=1))
    # The same history and the item's description in standard forms (PREMIS 3, Dublin Core).
    (consent_dir / "premis.xml").write_bytes(preservation_xml.premis_events(item))
    (data / "dc.xml").write_bytes(preservation_xml.dublin_core(item))
    for version in versions:
        if version.evidence:
            dest = consent_dir / "evidence" / f"v{version.number}{Path(version.evidence.name).suffix}"
            dest.parent.mkdir(exist_ok=True)
            with version.evidence.open("rb") as src, open(dest, "wb") as out:
                shutil.copyfileobj(src, out)
    for media in item.media.all():
        _asset_files(media.asset, data / "media" / str(media.asset_id))
    events = AuditEvent.objects.filter(item_id_ref=item.pk).order_by("at", "id")
    (data / "audit.json").write_text(json.dumps(
        [{"at": _iso(e.at), "actor": e.actor_label, "action": e.action, "target": e.target,
          "before": e.before, "after": e.after} for e in events], ensure_ascii=False, indent=1, default=str))
    if extra is not None:
        extra(item, data)


def make_bag(dest: Path, fill: Callable[[Path], None], info: dict) -> bagit.Bag:
    """Fill a fresh folder, make it a bag, validate it, then move it to `dest` (replacing a previous one)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}-", dir=dest.parent))
    try:
        fill(work)
        bag = bagit.make_bag(str(work), bag_info={
            "Source-Organization": settings.SITE_NAME, "Bagging-Date": timezone.now().date().isoformat(),
            **info}, checksums=CHECKSUMS)
        bag.validate()
        if dest.exists():
            shutil.rmtree(dest)
        os.replace(work, dest)
    except bagit.BagValidationError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise PreservationError(f"The bag for {dest.name} did not validate: {exc}") from exc
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return bagit.Bag(str(dest))

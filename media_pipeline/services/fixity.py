"""Fixity: the kept files re-hashed and compared with the sha256 recorded when they were made."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from media_pipeline import storage
from media_pipeline.models import MediaAsset
from media_pipeline.services.keys import CHUNK


@dataclass
class FixityResult:
    asset: MediaAsset
    ok: bool
    problems: list[str]


def verify_fixity(asset: MediaAsset) -> FixityResult:
    """Re-hash the original and the master in private storage and compare with the recorded sha256."""
    problems = []
    priv = storage.private()
    for label, key, expected in (("original", asset.original_key, asset.original_sha256),
                                 ("master", asset.master_key, asset.master_sha256)):
        if not key or not expected:
            continue
        digest = hashlib.sha256()
        try:
            with storage.guard(f"reading {key}"), priv.open(key, "rb") as fh:
                while chunk := fh.read(CHUNK):
                    digest.update(chunk)
        except FileNotFoundError:
            problems.append(_("%(what)s is missing") % {"what": label})
            continue
        if digest.hexdigest() != expected:
            problems.append(_("%(what)s does not match its recorded checksum") % {"what": label})
    asset.fixity_checked_at, asset.fixity_ok = timezone.now(), not problems
    MediaAsset.objects.filter(pk=asset.pk).update(fixity_checked_at=asset.fixity_checked_at, fixity_ok=asset.fixity_ok)
    return FixityResult(asset, not problems, problems)

"""Where an asset's files live: private and public keys, and absolute URLs for what is public."""

from __future__ import annotations

from django.conf import settings

from media_pipeline import conf
from media_pipeline.models import MediaAsset

CHUNK = 1024 * 1024


def private_prefix(asset: MediaAsset) -> str:
    return f"{conf.get('PRIVATE_PREFIX')}/{asset.pk}"


def public_prefix(asset: MediaAsset, token: str | None = None) -> str:
    return f"{conf.get('PUBLIC_PREFIX')}/{token or asset.public_token}"


def public_key(asset: MediaAsset, private_key: str) -> str:
    rel = private_key[len(private_prefix(asset)) + 1:]
    rel = rel[2:] if rel.startswith("d/") else rel
    return f"{public_prefix(asset)}/{rel}"


def absolute(url: str) -> str:
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url

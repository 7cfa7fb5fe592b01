"""settings.STORAGES' public and private entries: local folders in var/, or two S3 buckets.

Read once by memorial/settings.py; kept apart so the settings module stays one screenful per part.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def public_and_private(env_str: Callable[..., str], var_dir: Path, media_url: str) -> tuple[dict, dict]:
    public_bucket, private_bucket = env_str("S3_PUBLIC_BUCKET"), env_str("S3_PRIVATE_BUCKET")
    local_public = {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(var_dir / "public"),
                                "base_url": media_url}}
    if not private_bucket:
        return local_public, {"BACKEND": "django.core.files.storage.FileSystemStorage",
                              "OPTIONS": {"location": str(var_dir / "private"), "base_url": None}}
    s3 = {
        "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
        "access_key": env_str("S3_ACCESS_KEY_ID") or None,
        "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
        "region_name": env_str("S3_REGION", "us-east-1"),
        "file_overwrite": True,
    }
    # Server-side copies, batched deletes, Cache-Control: media_pipeline/storage_backends.py.
    private = {"BACKEND": "media_pipeline.storage_backends.PrivateS3Storage",
               "OPTIONS": {**s3, "bucket_name": private_bucket, "querystring_auth": True, "default_acl": "private"}}
    if not public_bucket:
        # Masters in the bucket, public files on a disk that nginx serves (deploy/nginx.conf):
        # a retraction deletes or renames them at once, so the proxy never serves a closed file.
        return local_public, private
    public = {"BACKEND": "media_pipeline.storage_backends.PublicS3Storage", "OPTIONS": {
        **s3,
        "bucket_name": public_bucket,
        "querystring_auth": False,
        "custom_domain": env_str("S3_PUBLIC_DOMAIN") or None,
        # Caches must let a retracted file go soon: it is deleted when consent closes it (and the
        # CDN purge hook is called), so keep max-age short.
        "object_parameters": {"CacheControl": env_str("S3_CACHE_CONTROL", "public, max-age=60")},
    }}
    return public, private

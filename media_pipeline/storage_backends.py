"""The archive's two S3 buckets, as django-storages' S3Storage customised through the override
points it offers (a subclass, `get_default_settings`, `get_object_parameters`), never its private
methods. Settings select them (memorial/settings.py, STORAGES) when S3 is configured; the pipeline
tells them from local folders with `isinstance`, not by looking for attributes.

What the pipeline needs beyond a plain storage: batched deletes (a tile set is thousands of keys)
and server-side copies between the buckets (publishing a tile set sends no bytes through the worker).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence

from django.core.exceptions import SuspiciousOperation
from storages.backends.s3 import S3Storage
from storages.utils import clean_name, safe_join

# Caches must let a retracted public file go soon: it is deleted when consent closes it.
PUBLIC_CACHE_CONTROL = "public, max-age=60"
_DELETE_BATCH = 1000  # the most keys one DeleteObjects request takes
_SAME_ACCOUNT = ("endpoint_url", "access_key", "secret_key", "region_name")


class ArchiveS3Storage(S3Storage):
    """An S3 bucket of the archive: S3Storage plus batched deletes and server-side copies."""

    def object_key(self, name: str) -> str:
        """The bucket key that `name` is stored under (below `location`, as S3Storage maps names)."""
        try:
            return safe_join(self.location, clean_name(name))
        except ValueError as exc:
            raise SuspiciousOperation(f"Attempted access to '{name}' denied.") from exc

    def write_parameters(self, name: str) -> dict:
        """What save() would set on the object `name` (cache headers, content type, ACL), for a copy
        that has to set them itself."""
        params = self.get_object_parameters(name)
        if "ContentType" not in params:
            content_type, encoding = mimetypes.guess_type(name)
            params["ContentType"] = content_type or self.default_content_type
            if encoding:
                params["ContentEncoding"] = encoding
        if "ACL" not in params and self.default_acl:
            params["ACL"] = self.default_acl
        return params

    def can_copy_from(self, source: object) -> bool:
        """Whether S3 can copy from `source` into this bucket by itself: both are reached with the same
        endpoint and keys, and this bucket does not gzip what it stores (a copy cannot compress)."""
        if not isinstance(source, ArchiveS3Storage) or self.gzip:
            return False
        return all(getattr(source, attr) == getattr(self, attr) for attr in _SAME_ACCOUNT)

    def copy_from(self, source: ArchiveS3Storage, source_name: str, name: str) -> None:
        """Copy `source_name` of `source` to `name` here, inside S3 (see can_copy_from), with this
        bucket's own object parameters rather than the source's."""
        key = self.object_key(name)
        self.connection.meta.client.copy_object(
            Bucket=self.bucket_name, Key=key, MetadataDirective="REPLACE",
            CopySource={"Bucket": source.bucket_name, "Key": source.object_key(source_name)},
            **self.write_parameters(key))

    def delete_many(self, names: Sequence[str]) -> None:
        """Delete `names` with one request per thousand keys instead of one per key."""
        client = self.connection.meta.client
        for i in range(0, len(names), _DELETE_BATCH):
            batch = [{"Key": self.object_key(name)} for name in names[i:i + _DELETE_BATCH]]
            client.delete_objects(Bucket=self.bucket_name, Delete={"Objects": batch, "Quiet": True})


class PublicS3Storage(ArchiveS3Storage):
    """Published derivatives and IIIF tiles: plain URLs, and a short Cache-Control on every object."""

    def get_default_settings(self) -> dict:
        return {**super().get_default_settings(), "querystring_auth": False}

    def get_object_parameters(self, name: str) -> dict:
        params = super().get_object_parameters(name)
        params.setdefault("CacheControl", PUBLIC_CACHE_CONTROL)
        return params


class PrivateS3Storage(ArchiveS3Storage):
    """Quarantine, originals, masters and the private derivatives: private objects, signed URLs only."""

    def get_default_settings(self) -> dict:
        return {**super().get_default_settings(), "querystring_auth": True, "default_acl": "private"}

"""The media pipeline's public services: the only functions upper floors call.

Contract (kept stable for archive/ and exhibitions/):
- intake(fileobj, original_name) -> MediaAsset: stores the upload in private quarantine under a
  generated key, decides the type from the bytes, refuses with IntakeError (translated message
  naming the file and the reason) and leaves nothing behind when the file is not acceptable.
- process(asset) -> MediaAsset: sanitise, master + sha256, derivatives, tiles (idempotent).
  Normally queued as a task (media_pipeline.tasks.process_asset) after commit.
- publish(asset, tiles=True): make derivatives (and, with `tiles`, the IIIF tiles) reachable at public URLs.
- retract(asset): remove every public file of the asset; old URLs 404 afterwards.
- erase(asset): retract and delete masters and originals as well.
- public_urls(asset) -> dict[str, str]: URLs of published derivatives ({} when unpublished).
- image_service_id(asset) -> str | None: the IIIF Image API 3 service id (level 0 tiles).
- rebase(asset) -> bool: rewrite the public info.json for the current public base (True if it changed).
- verify_fixity(asset) -> FixityResult: the kept files re-hashed against their recorded sha256.

Inside: `keys` (where files live), `uploads` (intake), `steps` and `processing` (with `leases`),
`publishing`, `fixity`.

The published-state gate stays apart, in `media_pipeline.publication`: it is not file work but row
state, closed inside the caller's consent transaction (no storage I/O there) and read by every
public file request (memorial.fastpath, memorial.urls, archive.files). Those callers ask whether a
file may be answered, never for a service; keeping the gate out of this package keeps what they
depend on small and its one SQL query easy to audit.
"""

from media_pipeline.services.fixity import FixityResult, verify_fixity
from media_pipeline.services.keys import private_prefix, public_prefix
from media_pipeline.services.processing import process
from media_pipeline.services.publishing import erase, image_service_id, public_urls, publish, rebase, retract
from media_pipeline.services.uploads import discard, find_duplicate, intake, intake_submission

__all__ = [
    "FixityResult",
    "discard",
    "erase",
    "find_duplicate",
    "image_service_id",
    "intake",
    "intake_submission",
    "private_prefix",
    "process",
    "public_prefix",
    "public_urls",
    "publish",
    "rebase",
    "retract",
    "verify_fixity",
]

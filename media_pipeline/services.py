"""The media pipeline's public services: the only functions upper floors call.

Contract (kept stable for archive/ and exhibitions/):
- intake(fileobj, original_name) -> MediaAsset: stores the upload in private quarantine under a
  generated key, decides the type from the bytes, refuses with IntakeError (translated message
  naming the file and the reason) and leaves nothing behind when the file is not acceptable.
- process(asset) -> MediaAsset: sanitise, master + sha256, derivatives, tiles (idempotent).
  Normally queued as a task (media_pipeline.tasks.process_asset) after commit.
- publish(asset): make derivatives/tiles reachable at public URLs.
- retract(asset): remove every public file of the asset; old URLs 404 afterwards.
- erase(asset): retract and delete masters and originals as well.
- public_urls(asset) -> dict[str, str]: URLs of published derivatives ({} when unpublished).
- image_service_id(asset) -> str | None: the IIIF Image API 3 service id (level 0 tiles).
"""

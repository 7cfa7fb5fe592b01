"""Public files follow consent in the same transaction as the consent change.

A change that closes a surface (withdraw, narrow, pause, expiry, erase) must close the item's
public file URLs before the call returns, with no worker running. The policy says which media may
still be public on `web` (derivatives) and `iiif` (the image service: info.json and tiles); the
pipeline's published state is closed for the others (media_pipeline.publication, database only),
and the consent's expiry is written as the files' `public_until`, so that it holds at read time.
Publishing again (an embargo ending, a scope given back) stays with the propagation task.
"""

from __future__ import annotations

from datetime import datetime

from archive import consent
from archive.models import Item


def close_files(item: Item, at: datetime | None = None) -> list[str]:
    """Close, in the caller's transaction, every public file of `item` the policy no longer allows
    at `at`; returns the public storage prefixes closed."""
    from media_pipeline import publication

    uses = list(item.media.select_related("asset"))
    web = {m.pk for m in consent.allowed_media(item, "web", at)}
    iiif = {m.pk for m in consent.allowed_media(item, "iiif", at)}
    closed = publication.close([u.asset for u in uses if u.pk not in web])
    closed += publication.close([u.asset for u in uses if u.pk in web and u.pk not in iiif], tiles_only=True)
    publication.set_public_until([u.asset for u in uses if u.pk in web], consent.closes_at(consent.current_consent(item)))
    return closed

"""Leases on an asset being processed, so that two workers never process it at once.

A lease names its holder (host, process id, thread) and expires; a holder on this host whose
process no longer exists (a killed worker) loses it at once instead of when it expires.
"""

from __future__ import annotations

import os
import socket
import threading
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from media_pipeline import conf
from media_pipeline.models import MediaAsset


def lease_owner() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{threading.get_ident()}"


def owner_is_dead(owner: str) -> bool:
    """A claim by a process on this host that no longer exists (a killed worker) can be taken over."""
    host, _sep, rest = owner.partition(":")
    pid = rest.split(":")[0]
    if host != socket.gethostname()[:40] or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def claim(asset: MediaAsset) -> bool:
    now = timezone.now()
    owner = lease_owner()
    with transaction.atomic():
        row = MediaAsset.objects.select_for_update().filter(pk=asset.pk).values("lease_owner", "lease_until").get()
        held = row["lease_owner"] and row["lease_owner"] != owner and row["lease_until"] and row["lease_until"] > now
        if held and not owner_is_dead(row["lease_owner"]):
            return False
        asset.lease_owner, asset.lease_until = owner, now + timedelta(seconds=conf.get("LEASE_SECONDS"))
        asset.status = MediaAsset.Status.PROCESSING
        MediaAsset.objects.filter(pk=asset.pk).update(lease_owner=asset.lease_owner, lease_until=asset.lease_until,
                                                      status=asset.status, updated_at=now)
    return True


def release(asset: MediaAsset) -> None:
    MediaAsset.objects.filter(pk=asset.pk, lease_owner=asset.lease_owner).update(lease_owner="", lease_until=None)
    asset.lease_owner, asset.lease_until = "", None


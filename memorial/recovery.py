"""Two-factor recovery codes: generated once, shown once, stored as salted hashes, each usable once.

The codes carry 50 random bits each (ten base-32 characters), so a fast salted SHA-256 is enough:
there is nothing to guess from a dictionary, and a sign-in checks at most ``COUNT`` hashes. Using a
code is one conditional UPDATE, so two requests racing with the same code cannot both succeed.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from archive import audit
from memorial.models import RecoveryCode

COUNT = 10
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are copied by hand


def _digest(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{normalise(code)}".encode()).hexdigest()


def normalise(code: str) -> str:
    """What the person typed, without spaces, hyphens or case (codes are shown as XXXXX-XXXXX)."""
    return "".join(c for c in (code or "").upper() if c.isalnum())


@transaction.atomic
def generate(user, *, actor=None) -> list[str]:
    """A new set of codes for `user`, replacing every earlier one. The only time they exist in clear."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = []
    for _ in range(COUNT):
        raw = "".join(secrets.choice(ALPHABET) for _ in range(10))
        salt = secrets.token_hex(16)
        RecoveryCode.objects.create(user=user, salt=salt, digest=_digest(salt, raw))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    audit.record("account.recovery_codes_generated", actor=actor or user, target=f"user:{user.get_username()}",
                 after={"count": COUNT})
    return codes


def remaining(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def use(user, code: str) -> bool:
    """True once for each of the user's codes; False for a wrong, used or foreign code."""
    if len(normalise(code)) != 10:
        return False
    for row in RecoveryCode.objects.filter(user=user, used_at__isnull=True):
        if constant_time_compare(row.digest, _digest(row.salt, code)):
            claimed = RecoveryCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=timezone.now())
            if claimed:
                audit.record("account.recovery_code_used", actor=user, target=f"user:{user.get_username()}",
                             after={"remaining": remaining(user)})
            return bool(claimed)
    return False

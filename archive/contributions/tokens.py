"""Private management tokens and the paths they open.

Only a token's sha256 is stored, so the archive cannot give the link back, and a leaked database
does not open anyone's consent.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.urls import NoReverseMatch, reverse
from django.utils import translation

from archive.contributions.exceptions import InvalidToken
from archive.models import Contribution


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(str(token).encode("utf-8", "replace")).hexdigest()


def contribution_for_token(token: str) -> Contribution:
    """The contribution a management token opens, or InvalidToken.

    The same work for every input: one hash and one indexed lookup by hash, whatever the token
    looks like (no early return on length or alphabet), so neither the answer's timing nor the
    number of queries tells a well-formed wrong token from a random one.
    """
    digest = hash_token(token if isinstance(token, str) else "")
    found = Contribution.objects.filter(token_hash=digest).first()
    if found is None or not hmac.compare_digest(found.token_hash, digest):
        raise InvalidToken()
    return found


def _page_path(names: tuple[str, ...], token: str, language: str, fallback: str) -> str:
    """The public site's page for this token, in the contributor's language (its URL names are
    the public-site's; the fallback keeps the link meaningful if a page is renamed)."""
    with translation.override(language):
        for name in names:
            try:
                return reverse(name, kwargs={"token": token})
            except NoReverseMatch:
                continue
    return fallback


def manage_path(token: str, language: str = "en") -> str:
    return _page_path(("manage",), token, language, f"/{language}/manage/{token}/")


def receipt_path(token: str, language: str = "en") -> str:
    """The human-readable receipt page, or the signed JSON receipt where no page is wired."""
    return _page_path(("receipt", "consent-receipt"), token, language, f"/api/consent/{token}/receipt")


def api_paths(token: str) -> dict[str, str]:
    base = f"/api/consent/{token}/"
    return {"consent": base, "withdraw": base + "withdraw", "erase": base + "erase", "receipt": base + "receipt"}

"""The contributor journey without an account: submit, manage by private link, withdraw, erase.

A submission returns a private management token. Only its sha256 is stored, so the archive
cannot give the link back, and a leaked database does not open anyone's consent. Every change
appends a consent version (archive.services.record_consent) and queues propagation to every
surface; the policy in archive/consent.py applies it at read time at once.

Modules: `tokens` (the private link), `consent_input` (cleaning what is sent), `submission`
(a new story), `management` (changes by private link). Callers import from this package.
"""

from archive.contributions.consent_input import CONSENT_KEYS, validate_consent
from archive.contributions.exceptions import ContributionError, InvalidToken
from archive.contributions.management import CLEAR, change_consent, erase, where_it_appears, withdraw
from archive.contributions.submission import MAX_FILES, MAX_STORY, MAX_TITLE, Submission, submit_contribution
from archive.contributions.tokens import (
    api_paths,
    contribution_for_token,
    hash_token,
    manage_path,
    new_token,
    receipt_path,
)

__all__ = [
    "CLEAR",
    "CONSENT_KEYS",
    "MAX_FILES",
    "MAX_STORY",
    "MAX_TITLE",
    "ContributionError",
    "InvalidToken",
    "Submission",
    "api_paths",
    "change_consent",
    "contribution_for_token",
    "erase",
    "hash_token",
    "manage_path",
    "new_token",
    "receipt_path",
    "submit_contribution",
    "validate_consent",
    "where_it_appears",
    "withdraw",
]

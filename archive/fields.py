"""An encrypted text field for contributors' contact details (Fernet, key from the environment)."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


def _keys() -> list[str]:
    """Newest key first. FIELD_ENCRYPTION_KEYS (comma list) allows rotation: data written with an
    older key still reads, new writes use the first key; FIELD_ENCRYPTION_KEY alone still works."""
    keys = [k.strip() for k in (getattr(settings, "FIELD_ENCRYPTION_KEYS", "") or "").split(",") if k.strip()]
    if settings.FIELD_ENCRYPTION_KEY and settings.FIELD_ENCRYPTION_KEY not in keys:
        keys.append(settings.FIELD_ENCRYPTION_KEY)
    if not keys:
        # Development only (production refuses to start without FIELD_ENCRYPTION_KEY).
        keys = [base64.urlsafe_b64encode(hashlib.sha256(settings.SECRET_KEY.encode()).digest()).decode()]
    return keys


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in _keys()])


def rotate(ciphertext: str) -> str:
    """Re-encrypt a stored value with the newest key (for a key-rotation pass over the table)."""
    return _fernet().rotate(ciphertext.encode()).decode()


class EncryptedTextField(models.TextField):
    """Stores Fernet ciphertext; reads back plain text. Unreadable without the key."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return _fernet().encrypt(value.encode()).decode()

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        try:
            return _fernet().decrypt(value.encode()).decode()
        except InvalidToken:
            return ""

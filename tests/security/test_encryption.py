"""Contributor contact details are encrypted at rest with a key from the environment."""

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.db import connection

from archive.fields import _keys, rotate
from archive.models import Contributor

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
EMAIL = "synthetic.person@example.org"
NAME = "Sam Placeholder"


def _raw(pk: int) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_email, name FROM archive_contributor WHERE id = %s", [pk])
        return cursor.fetchone()


@pytest.mark.django_db
def test_raw_column_is_unreadable_and_decrypts_only_with_the_key(settings):
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_KEYS = KEY_A, ""
    person = Contributor.objects.create(contact_email=EMAIL, name=NAME)
    raw_email, raw_name = _raw(person.pk)
    assert EMAIL not in raw_email and "example.org" not in raw_email and NAME not in raw_name
    assert raw_email.startswith("gAAAA")  # a Fernet token
    assert Fernet(KEY_A.encode()).decrypt(raw_email.encode()).decode() == EMAIL
    with pytest.raises(InvalidToken):
        Fernet(KEY_B.encode()).decrypt(raw_email.encode())
    # The ORM reads it back with the key, and nothing useful without it.
    assert Contributor.objects.get(pk=person.pk).contact_email == EMAIL
    settings.FIELD_ENCRYPTION_KEY = KEY_B
    assert Contributor.objects.get(pk=person.pk).contact_email == ""
    # The same value encrypts differently each time (no equality leaks between rows).
    other = Contributor.objects.create(contact_email=EMAIL)
    assert _raw(other.pk)[0] != _raw(person.pk)[0]


@pytest.mark.django_db
def test_key_rotation_reads_old_rows_and_rewrites_with_the_new_key(settings):
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_KEYS = KEY_A, ""
    person = Contributor.objects.create(contact_email=EMAIL)
    old_raw = _raw(person.pk)[0]
    # Rotate: the new key first, the old one still accepted for reading.
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_KEYS = "", f"{KEY_B},{KEY_A}"
    assert _keys() == [KEY_B, KEY_A]
    assert Contributor.objects.get(pk=person.pk).contact_email == EMAIL
    new_raw = rotate(old_raw)
    Contributor.objects.filter(pk=person.pk).update(contact_email=EMAIL)  # a re-save writes with KEY_B
    assert Fernet(KEY_B.encode()).decrypt(new_raw.encode()).decode() == EMAIL
    assert Fernet(KEY_B.encode()).decrypt(_raw(person.pk)[0].encode()).decode() == EMAIL
    # Once the old key is retired, rows written with it would be unreadable: rotate first.
    settings.FIELD_ENCRYPTION_KEYS = KEY_B
    assert Contributor.objects.get(pk=person.pk).contact_email == EMAIL

from datetime import timedelta

import pytest
from django.utils import timezone

from archive import consent
from archive.models import Item
from tests.factories import ItemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_scopes_open_only_their_surface():
    item = ItemFactory(consent={"scopes": ["web"]})
    assert consent.allows(item, "web")
    assert not consent.allows(item, "search")
    assert list(consent.visible_items("web")) == [item]
    assert list(consent.visible_items("search")) == []


def test_unpublished_items_are_never_visible():
    item = ItemFactory(status=Item.Status.SUBMITTED)
    assert not consent.allows(item, "web")
    assert not consent.visible_items("web").exists()


def test_embargo_and_expiry_are_read_time():
    now = timezone.now()
    item = ItemFactory(consent={"embargo_until": now + timedelta(days=1), "expires_at": now + timedelta(days=3)})
    assert not consent.allows(item, "web", at=now)
    assert consent.allows(item, "web", at=now + timedelta(days=2))
    assert not consent.allows(item, "web", at=now + timedelta(days=3))
    assert consent.visible_items("web", at=now + timedelta(days=2)).count() == 1
    assert consent.visible_items("web", at=now).count() == 0


def test_name_display():
    item = ItemFactory(consent={"name_display": "initials", "display_name": "Alex Example"})
    assert consent.shown_name(item) == "A. E."
    item = ItemFactory(consent={"name_display": "anonymous", "display_name": "Alex Example"})
    assert consent.shown_name(item) == ""

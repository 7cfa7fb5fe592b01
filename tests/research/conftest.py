"""Fixtures for research access: an archivist, an approved researcher, an applicant, and a photograph
shared for research only."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from archive.curator.roles import setup_roles
from archive.models import Item, ItemMedia
from archive.research import services
from tests.factories import ItemFactory
from tests.iiif.media import ready
from tests.media_pipeline import makers


@pytest.fixture
def archivist(db):
    setup_roles(demo_users=False)
    user = get_user_model().objects.create_user("test-archivist", password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name="archivist"))
    return user


def _applicant(name: str):
    # Researchers are not staff: no workspace role, no admin.
    user = get_user_model().objects.create_user(name, password="pw-for-tests-researcher")
    services.apply(user, institution="Institute of Synthetic Studies", purpose="Memory after attacks (synthetic)",
                   agreement_accepted=True)
    return user


@pytest.fixture
def applicant(db):
    return _applicant("test-applicant")


@pytest.fixture
def researcher(archivist):
    user = _applicant("test-researcher")
    services.approve(user.research_access.get(), actor=archivist, expires_at=timezone.now() + timedelta(days=30))
    return user


@pytest.fixture
def shared(fresh_storage):
    """A photograph shared for research only, its files never made public (real pipeline)."""
    item = ItemFactory(kind=Item.Kind.PHOTOGRAPH, consent={"scopes": ["research"]})
    asset = ready(makers.jpeg(900, 600), "square.jpg", publish=False)
    use = ItemMedia.objects.create(item=item, asset=asset, role=ItemMedia.Role.PHOTO,
                                   alt_text={"en": "Candles on a square (synthetic)"})
    return item, use

"""Fixtures for the curator workspace: the four roles and a logged-in client per role."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from archive.curator.roles import setup_roles


@pytest.fixture
def roles(db):
    setup_roles(demo_users=False)


def _user(role: str):
    User = get_user_model()
    user = User.objects.create_user(f"test-{role}", password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def moderator(roles):
    return _user("moderator")


@pytest.fixture
def curator(roles):
    return _user("curator")


@pytest.fixture
def archivist(roles):
    return _user("archivist")


@pytest.fixture
def administrator(roles):
    return _user("administrator")


@pytest.fixture
def as_user(client):
    """as_user(user) -> the test client logged in as `user`."""

    def login(user):
        client.force_login(user)
        return client

    return login

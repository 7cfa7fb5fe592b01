"""Roles as groups: each role holds exactly its own permissions; setup_roles is idempotent."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from archive.curator.roles import ROLES

pytestmark = pytest.mark.django_db


def test_setup_roles_creates_groups_and_demo_accounts_idempotently(capsys):
    call_command("setup_roles", "--demo-users")
    first = capsys.readouterr().out
    assert "demo-moderator / memories-demo-moderator  (created)" in first
    call_command("setup_roles", "--demo-users")
    second = capsys.readouterr().out
    assert "(exists, password unchanged)" in second and "(created)" not in second
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)
    assert get_user_model().objects.filter(username__startswith="demo-").count() == 4
    for role in ROLES:
        user = authenticate(username=f"demo-{role}", password=f"memories-demo-{role}")
        assert user is not None and user.is_staff and not user.is_superuser
        assert list(user.groups.values_list("name", flat=True)) == [role]


def test_no_demo_users_makes_only_groups():
    call_command("setup_roles", "--no-demo-users")
    assert Group.objects.filter(name__in=ROLES).count() == 4
    assert not get_user_model().objects.filter(username__startswith="demo-").exists()


def test_each_role_holds_its_own_permissions(moderator, curator, archivist, administrator):
    # moderator: reviews and redacts, never publishes, never describes, no exhibitions.
    assert moderator.has_perm("archive.moderate_item") and moderator.has_perm("archive.redact_media")
    for perm in ("archive.publish_item", "archive.change_item", "exhibitions.change_exhibition",
                 "archive.record_paper_consent", "archive.reverse_redaction", "archive.export_bags"):
        assert not moderator.has_perm(perm), perm
    # curator: describes, builds exhibitions, publishes; no paper consent, no erasure, no reversal.
    for perm in ("archive.publish_item", "archive.change_item", "exhibitions.change_exhibition",
                 "exhibitions.add_exhibitionentry", "archive.view_auditevent"):
        assert curator.has_perm(perm), perm
    for perm in ("archive.record_paper_consent", "archive.request_erasure", "archive.reverse_redaction",
                 "archive.export_bags"):
        assert not curator.has_perm(perm), perm
    # archivist: paper consent, erasure, fixity, exports, reversal; cannot publish.
    for perm in ("archive.record_paper_consent", "archive.request_erasure", "archive.verify_fixity",
                 "archive.export_bags", "archive.reverse_redaction"):
        assert archivist.has_perm(perm), perm
    assert not archivist.has_perm("archive.publish_item")
    assert not archivist.has_perm("exhibitions.change_exhibition")
    # administrator: all of it, and user management.
    for perm in ("archive.publish_item", "archive.record_paper_consent", "exhibitions.change_exhibition",
                 "auth.change_user", "archive.reverse_redaction"):
        assert administrator.has_perm(perm), perm

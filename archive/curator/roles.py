"""Roles of the curator workspace, as Django groups holding permissions.

moderator      reviews submissions (approve is not theirs: it publishes), redacts media
curator        describes items, builds exhibitions, publishes (approves) submissions
archivist      records consent given on paper, carries out erasure requests, checks fixity,
               exports preservation packages, reverses redactions, decides research access
administrator  everything above, plus user management

Custom permissions live on archive.Item. Where a permission is not declared in a model's Meta
(yet), `ensure_permissions` creates the row itself; a later Meta declaration with the same codename
finds it in place (post_migrate only adds missing rows).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

# codename on archive.Item -> human name
CUSTOM_ITEM_PERMISSIONS: dict[str, str] = {
    "moderate_item": "Can review submissions (request changes, reject)",
    "publish_item": "Can publish items (approve submissions)",
    "redact_media": "Can redact media before publication",
    "reverse_redaction": "Can reverse redactions",
    "record_paper_consent": "Can record consent given on a paper form",
    "request_erasure": "Can carry out erasure requests",
    "verify_fixity": "Can check the fixity of masters",
    "export_bags": "Can export preservation packages (BagIt)",
}

_EXHIBITION_MODELS = ("exhibition", "exhibitionentry", "exhibitionsection", "remembranceday")

ROLES: dict[str, list[str]] = {
    "moderator": [
        "archive.view_item", "archive.moderate_item", "archive.redact_media",
        "archive.view_consentversion", "media_pipeline.view_mediaasset",
    ],
    "curator": [
        "archive.view_item", "archive.change_item", "archive.moderate_item", "archive.publish_item",
        "archive.view_consentversion", "archive.view_auditevent", "media_pipeline.view_mediaasset",
        "archive.view_event", "archive.add_event", "archive.change_event",
        "archive.view_subject", "archive.add_subject", "archive.change_subject",
        *[f"exhibitions.{action}_{model}" for model in _EXHIBITION_MODELS
          for action in ("view", "add", "change", "delete")],
    ],
    "archivist": [
        "archive.view_item", "archive.view_consentversion", "archive.view_auditevent",
        "archive.record_paper_consent", "archive.request_erasure", "archive.verify_fixity",
        "archive.export_bags", "archive.reverse_redaction", "media_pipeline.view_mediaasset",
        "archive.approve_research",
    ],
    # The administrator gets every permission of these apps (see `_permissions_for`).
    "administrator": ["archive.*", "exhibitions.*", "media_pipeline.*", "auth.*"],
}

# Synthetic demo accounts, one per role: documented in README and printed by setup_roles.
DEMO_PASSWORD_PREFIX = "memories-demo-"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    created: bool


class RoleSetupError(RuntimeError):
    pass


def ensure_permissions() -> None:
    item_type = ContentType.objects.get_by_natural_key("archive", "item")
    for codename, name in CUSTOM_ITEM_PERMISSIONS.items():
        Permission.objects.get_or_create(content_type=item_type, codename=codename, defaults={"name": name})


def _permissions_for(role: str) -> list[Permission]:
    found: list[Permission] = []
    for spec in ROLES[role]:
        app_label, codename = spec.split(".", 1)
        qs = Permission.objects.filter(content_type__app_label=app_label)
        if codename != "*":
            qs = qs.filter(codename=codename)
            if not qs.exists():
                raise RoleSetupError(f"Permission {spec} does not exist: run `manage.py migrate` first.")
        found.extend(qs)
    return found


@transaction.atomic
def setup_roles(*, demo_users: bool = True) -> list[DemoAccount]:
    """Create or update the groups (exactly the permissions above) and, optionally, a demo account
    per role. Idempotent: a second run changes nothing and never resets a password."""
    ensure_permissions()
    User = get_user_model()
    accounts: list[DemoAccount] = []
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(_permissions_for(role))
        if not demo_users:
            continue
        username, password = f"demo-{role}", f"{DEMO_PASSWORD_PREFIX}{role}"
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org", "is_staff": True}
        )
        if created:
            user.set_password(password)
            user.save()
        user.groups.add(group)
        accounts.append(DemoAccount(username, password, role, created))
    return accounts


def role_names(user) -> list[str]:
    return sorted(user.groups.filter(name__in=ROLES).values_list("name", flat=True))

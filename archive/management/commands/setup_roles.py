"""manage.py setup_roles: the workspace's groups with their permissions, and demo accounts.

Idempotent. Demo accounts (demo-moderator, demo-curator, demo-archivist, demo-administrator,
password memories-demo-<role>) are synthetic and made only in DEBUG unless --demo-users is given;
--no-demo-users makes only the groups (production).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from archive.curator.roles import RoleSetupError, setup_roles


class Command(BaseCommand):
    help = "Create the moderator, curator, archivist and administrator groups and a demo account per role."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--no-demo-users", action="store_true", help="Only create the groups.")
        group.add_argument("--demo-users", action="store_true",
                           help="Create demo accounts even when DEBUG is off (never on a public site).")

    def handle(self, *args, no_demo_users=False, demo_users=False, **options):
        make_users = not no_demo_users and (settings.DEBUG or demo_users)
        try:
            accounts = setup_roles(demo_users=make_users)
        except RoleSetupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("Groups: moderator, curator, archivist, administrator.")
        for account in accounts:
            state = "created" if account.created else "exists, password unchanged"
            self.stdout.write(f"  {account.role:<14} {account.username} / {account.password}  ({state})")
        if not make_users and not no_demo_users:
            self.stdout.write("DEBUG is off: no demo accounts made (pass --demo-users to force).")

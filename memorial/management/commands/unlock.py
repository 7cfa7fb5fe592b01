"""`manage.py unlock USERNAME...`: lift a sign-in lockout (memorial.auth) before it runs out.

The lockout and its failure count live in the shared cache (CACHE_URL), so this works from any
host. Say whether the account was locked, so that a mistyped name is noticed.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from memorial.auth import clear_failures, locked_for


class Command(BaseCommand):
    help = "Lift the sign-in lockout of these usernames and forget their failed attempts."

    def add_arguments(self, parser) -> None:
        parser.add_argument("usernames", nargs="+", metavar="USERNAME")

    def handle(self, *args, usernames: list[str], **options) -> None:
        for username in usernames:
            wait = locked_for(username)
            clear_failures(username)
            state = f"was locked for {wait} more second(s)" if wait else "was not locked"
            self.stdout.write(f"{username}: unlocked ({state}).")

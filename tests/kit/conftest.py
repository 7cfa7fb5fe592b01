"""The curator workspace's fixtures (roles, a logged-in client) for the kit's curator views."""

from tests.curator.conftest import as_user, curator, moderator, roles  # noqa: F401

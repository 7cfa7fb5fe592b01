import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _fresh_counters(settings):
    """Rate-limit and lockout counters live in the cache: every test starts from zero.

    tests/settings.py turns rate limits off for the rest of the suite; here they are on."""
    settings.RATE_LIMIT_ENABLED = True
    caches["default"].clear()
    yield
    caches["default"].clear()

import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _fresh_counters():
    """Rate-limit and lockout counters live in the cache: every test starts from zero."""
    caches["default"].clear()
    yield
    caches["default"].clear()

"""API robustness: schemathesis generates requests from the OpenAPI schema at /api/schema/ and calls
the Django WSGI application in-process; no response may be a 500 or break the schema.

Bounded for CI: a few examples per operation (SCHEMATHESIS_MAX_EXAMPLES, default 10), no shrinking,
and a wall-clock budget per operation after which the remaining examples are skipped.
Run alone: .venv/bin/python -m pytest tests/api/test_schemathesis.py -q -p no:cacheprovider
"""

from __future__ import annotations

import os
import time

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from memorial.wsgi import application

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "10"))
SECONDS_PER_OPERATION = float(os.environ.get("SCHEMATHESIS_SECONDS", "8"))

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
_started: dict[str, float] = {}


@pytest.fixture
def _api_state(db):
    """Some real data for the generated requests to find: published items and a contribution."""
    from tests.factories import ItemFactory

    cache.clear()
    ItemFactory.create_batch(3)
    ItemFactory(consent={"scopes": ["research"]})  # not public: must stay 404 on the public API


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema_and_never_fails(case, _api_state):
    key = f"{case.method} {case.path}"
    first = _started.setdefault(key, time.monotonic())
    if time.monotonic() - first > SECONDS_PER_OPERATION:
        return  # this operation's time budget is spent; the examples already run stand
    case.call_and_validate(checks=CHECKS)

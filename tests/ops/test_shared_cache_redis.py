"""Rate limits and the login lockout hold in total across processes on a shared Redis cache.

Two real processes (the project's settings, CACHE_URL pointing at a real redis-server) count the
same client and the same username at the same moment; the limit holds for both together. The
runner (scripts/with_test_services.py) starts redis-server; without it this test starts its own,
and skips only when redis-server is not installed."""

import json
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings as live_settings

WORKER = r"""
import json, os, sys, time
import django
django.setup()
from django.test import RequestFactory
from memorial import auth, ratelimit
start = float(sys.argv[1])
while time.time() < start:
    time.sleep(0.001)
factory = RequestFactory()
allowed = 0
for _ in range(40):
    request = factory.post("/api/contributions/", REMOTE_ADDR="203.0.113.7")
    if ratelimit.check(request) is None:
        allowed += 1
counts = [auth.register_failure("shared-curator") for _ in range(4)]
print(json.dumps({"allowed": allowed, "failures": counts, "locked": auth.locked_for("shared-curator")}))
"""


@pytest.fixture(scope="module")
def redis_url():
    """The redis-server the test runner started (scripts/with_test_services.py; `make test` uses it)."""
    url = os.environ.get("MEMORIES_TEST_REDIS_URL")
    if not url:
        pytest.fail("MEMORIES_TEST_REDIS_URL is not set: run under scripts/with_test_services.py "
                    "(Debian's redis-server; .ci/run installs it)")
    return url


def test_limits_and_lockout_hold_in_total_across_two_processes(redis_url, tmp_path):
    db = 1 + os.getpid() % 15  # a database of its own, so parallel runs do not share counters
    url = redis_url.rsplit("/", 1)[0] + f"/{db}"
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "memorial.settings", "MEMORIES_VAR_DIR": str(tmp_path),
           "CACHE_URL": url, "RATE_LIMIT_CONTRIBUTION": "25/h", "LOGIN_LOCKOUT_ATTEMPTS": "6",
           "LOG_LEVEL": "ERROR"}
    subprocess.run([sys.executable, "-c", "import django; django.setup(); from django.core.cache import cache; "
                    "cache.clear()"], env=env, check=True, cwd=live_settings.BASE_DIR)
    start = f"{time.time() + 3:.3f}"  # both start counting at the same moment
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, start], env=env, cwd=live_settings.BASE_DIR,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    # 80 requests from one address in total: exactly 25 get through, not 25 per process.
    assert sum(r["allowed"] for r in results) == 25, results
    # 8 failed sign-ins in total, each counted once: the counts seen are 1..8 without repeats.
    assert sorted(c for r in results for c in r["failures"]) == list(range(1, 9)), results
    assert max(r["locked"] for r in results) > 0

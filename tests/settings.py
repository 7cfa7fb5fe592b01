"""Test settings: the real settings with a private var/ per process and tasks run immediately.

MEMORIES_TEST_DB=postgres switches the run to the private PostgreSQL cluster started by
scripts/with_test_services.py (DATABASE_URL_POSTGRES).
"""

import os
import tempfile

os.environ["MEMORIES_VAR_DIR"] = tempfile.mkdtemp(prefix="memories-test-")
if os.environ.get("MEMORIES_TEST_DB") == "postgres":
    if not os.environ.get("DATABASE_URL_POSTGRES"):
        raise RuntimeError("MEMORIES_TEST_DB=postgres needs DATABASE_URL_POSTGRES (run through `make test`).")
    os.environ["DATABASE_URL"] = os.environ["DATABASE_URL_POSTGRES"]
else:
    os.environ.pop("DATABASE_URL", None)
# A real cluster for the search backend suite, when given (tests/search/test_backend_elasticsearch.py).
TEST_ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
os.environ.pop("ELASTICSEARCH_URL", None)
os.environ.pop("S3_PUBLIC_BUCKET", None)

from memorial.settings import *  # noqa: E402,F403

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": TASK_QUEUES}}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Every test client comes from 127.0.0.1: per-address limits would make unrelated tests flaky.
# tests/security turns them back on (settings fixture) to test them.
RATE_LIMIT_ENABLED = False

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 (whitenoise warns when it is missing)

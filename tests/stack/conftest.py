"""The production-shaped stack on loopback (issue 20, item 6), started once for tests/stack.

nginx (Debian) in front of two gunicorn web processes (A and B, on two ports), two task workers,
PostgreSQL, redis-server (the shared cache), moto_server (masters in a private S3 bucket; public
files on the disk nginx serves) and osmem-server (the OpenSearch-compatible stand-in), all with
DEBUG off and the production settings. `make stack-test` runs it (and `make test` once); the
services of scripts/with_test_services.py are required, never skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.stack import services as s

SETUP = r"""
import django
django.setup()
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
user = get_user_model().objects.create_superuser("stack-curator", "curator@example.org", "a-long-synthetic-pass-20")
TOTPDevice.objects.create(user=user, name="phone", confirmed=True)  # staff tokens need two-factor
print(Token.objects.create(user=user).key)
"""


@dataclass
class Stack:
    env: dict[str, str]
    dsn: str
    nginx: int
    webs: dict[str, int]
    token: str
    root: Path
    workers: list[subprocess.Popen] = field(default_factory=list)
    figures: dict[str, str] = field(default_factory=dict)

    def url(self, name: str) -> str:
        port = self.nginx if name == "nginx" else self.webs[name]
        return f"http://127.0.0.1:{port}"


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run the stack test through `make stack-test` "
                    "(scripts/with_test_services.py starts PostgreSQL, moto_server and redis-server).")
    return value


def _environment(root: Path, dsn: str, nginx: int, search_url: str) -> dict[str, str]:
    s3 = _required("MEMORIES_TEST_S3_ENDPOINT")
    bucket = s.bucket(s3, f"stack-private-{os.getpid()}")
    redis_url = s.redis_database(_required("MEMORIES_TEST_REDIS_URL"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "S3_", "PAGE_CACHE"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "memorial.settings", "MEMORIES_VAR_DIR": str(root / "var"),
        "DEBUG": "0", "SECRET_KEY": "stack-test-only-" + "s" * 50, "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "SITE_URL": f"http://127.0.0.1:{nginx}",
        "FIELD_ENCRYPTION_KEY": "mFvQ3d0dY1c9Ue4D0jbqKqC0mG4m2X8bR1v7Yp3l9sI=",
        "DATABASE_URL": dsn, "CACHE_URL": redis_url, "ELASTICSEARCH_URL": search_url,
        "ELASTICSEARCH_INDEX_PREFIX": f"stack{os.getpid()}",
        "S3_PRIVATE_BUCKET": bucket, "S3_ENDPOINT_URL": s3, "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
        "SERVE_PUBLIC_MEDIA": "0",  # nginx serves the public folder
        "IIIF_DOCUMENT_ROOT": str(root / "var" / "documents"),  # and built IIIF documents
        "RATE_LIMIT_CONTRIBUTION": "8/h", "WORKER_SWEEP_SECONDS": "1", "LOG_LEVEL": "WARNING",
    })
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([s.PY, "manage.py", *args], cwd=s.ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    if result.returncode:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


@pytest.fixture(scope="session")
def stack():
    from osmem_server import OsmemServer

    started = time.monotonic()
    root = Path(tempfile.mkdtemp(prefix="memories-stack-"))
    dsn = s.database(_required("DATABASE_URL_POSTGRES"), f"stack_{os.getpid()}")
    search = OsmemServer.start(japanese=False)
    procs: list[subprocess.Popen] = []
    try:
        nginx, web_a, web_b = s.free_port(), s.free_port(), s.free_port()
        env = _environment(root, dsn, nginx, search.url)
        _manage(env, "migrate", "--noinput", "-v0")
        _manage(env, "collectstatic", "--noinput", "-v0")
        _manage(env, "search_reindex")
        token = subprocess.run([s.PY, "-c", SETUP], cwd=s.ROOT, env=env, capture_output=True, text=True,
                               check=True).stdout.split()[-1]
        logs = root / "logs"
        logs.mkdir()
        for name, port in (("a", web_a), ("b", web_b)):
            procs.append(s.start_gunicorn(env, port, log=logs / f"web-{name}.log"))
        procs.append(s.start_nginx(root / "nginx", nginx, [web_a, web_b], root / "var" / "static_root",
                                   root / "var" / "public", document_root=root / "var" / "documents"))
        stack = Stack(env, dsn, nginx, {"A": web_a, "B": web_b}, token, root)
        stack.workers = [s.start_worker(env, log=logs / f"worker-{n}.log") for n in (1, 2)]
        procs.extend(stack.workers)
        stack.figures["stack up (migrate, static, 2 webs, nginx, 2 workers)"] = f"{time.monotonic() - started:.1f} s"
        yield stack
    finally:
        for process in reversed(procs):
            s.stop(process)
        search.close()
        s.database(_required("DATABASE_URL_POSTGRES"), f"stack_{os.getpid()}", create=False)
        if os.environ.get("MEMORIES_STACK_KEEP"):
            print(f"stack folder kept: {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)

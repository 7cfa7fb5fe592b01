"""Local processes for the production-shaped stack: nginx from Debian, gunicorn web processes,
task workers and the OpenSearch-compatible stand-in, on loopback (tests/stack, bench/load.py).

PostgreSQL, the S3 API server (moto) and redis-server come from scripts/with_test_services.py
(DATABASE_URL_POSTGRES, MEMORIES_TEST_S3_ENDPOINT, MEMORIES_TEST_REDIS_URL).
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(port: int, path: str, process: subprocess.Popen | None = None, seconds: float = 60,
              host: str = "127.0.0.1") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args[:4]} exited with {process.returncode}")
        try:
            conn = http.client.HTTPConnection(host, port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status < 500:
                conn.close()
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answered {path} on port {port} within {seconds:.0f} s")


def database(admin_dsn: str, name: str, create: bool = True) -> str:
    """A fresh PostgreSQL database on the runner's cluster (dropped first); its URL."""
    import psycopg

    parts = urlsplit(admin_dsn)
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')
    return parts._replace(path=f"/{name}").geturl()


def bucket(endpoint: str, name: str) -> str:
    """A bucket on the S3 API server (moto accepts any credentials)."""
    import boto3

    boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="testing", aws_secret_access_key="testing",
                 region_name="us-east-1").create_bucket(Bucket=name)
    return name


def redis_database(url: str) -> str:
    """A Redis database of this process's own (parallel runs never share counters), emptied."""
    import redis

    own = url.rsplit("/", 1)[0] + f"/{1 + os.getpid() % 15}"
    redis.Redis.from_url(own).flushdb()
    return own


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        raise RuntimeError("nginx is not installed: `apt-get install nginx` (Debian; .ci/run installs it)")
    return found


def start_nginx(run_dir: Path, port: int, upstreams: list[int], static_root: Path, media_root: Path,
                workers: int = 1, document_root: Path | None = None) -> subprocess.Popen:
    """nginx in the foreground with the deployment's own template (deploy/nginx.conf: static files and
    public media from disk, media behind the gate) filled in; returns once it answers."""
    sys.path.insert(0, str(ROOT / "deploy"))
    import render_nginx

    run_dir.mkdir(parents=True, exist_ok=True)
    # As root nginx drops its workers to an unprivileged user, which must read the served folders.
    user = "nobody nogroup" if os.geteuid() == 0 else None
    conf = run_dir / "nginx.conf"
    conf.write_text(render_nginx.standalone(str(run_dir), {
        "MEMORIES_LISTEN": f"127.0.0.1:{port} backlog=4096", "MEMORIES_SERVER_NAME": "_",
        "MEMORIES_UPSTREAM_SERVERS": " ".join(f"server 127.0.0.1:{p};" for p in upstreams),
        "MEMORIES_STATIC_ROOT": f"{static_root}/", "MEMORIES_MEDIA_ROOT": f"{media_root}/",
        **({"MEMORIES_DOCUMENT_ROOT": f"{document_root}/"} if document_root else {}),
    }, workers=workers, user=user))
    for folder in (static_root, media_root, *([document_root] if document_root else [])):
        folder.mkdir(parents=True, exist_ok=True)
        for parent in [folder, *folder.parents]:
            if str(parent) in ("/", "/tmp"):
                break
            parent.chmod(parent.stat().st_mode | 0o055)  # readable and traversable by nginx's workers
    process = subprocess.Popen([nginx_binary(), "-c", str(conf), "-p", str(run_dir), "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_http(port, "/static/", process, seconds=20)
    except RuntimeError as exc:
        raise RuntimeError(f"{exc}\n{process.stderr.read() if process.poll() is not None else ''}") from None
    return process


def start_gunicorn(env: dict[str, str], port: int, workers: int = 1, threads: int = 4,
                   log: Path | None = None) -> subprocess.Popen:
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(
        [PY, "-m", "gunicorn", "memorial.wsgi:application", "-c", "python:memorial.gunicorn_conf",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
         "--worker-class", "gthread", "--forwarded-allow-ips", "127.0.0.1", "--timeout", "120",
         "--keep-alive", "30", "--backlog", "2048", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=out, stderr=out,
    )
    wait_http(port, "/healthz", process)
    return process


def start_worker(env: dict[str, str], log: Path | None = None) -> subprocess.Popen:
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115
    return subprocess.Popen([PY, "manage.py", "run_worker", "--no-reload", "--no-startup-delay",
                             "--interval", "0.2"], cwd=ROOT, env=env,
                            stdout=out, stderr=out)


def stop(process: subprocess.Popen | None, sig: int = signal.SIGTERM) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)

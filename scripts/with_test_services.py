#!/usr/bin/env python3
"""Start the services the test suite needs, run commands with them, stop them.

Usage: with_test_services.py [--no-postgres] -- CMD [ARGS...] [--then CMD [ARGS...]]

- PostgreSQL: a private throw-away cluster (initdb) on a Unix socket, whichever major version
  is installed; DATABASE_URL_POSTGRES is exported for the commands (they opt in per run).
- S3: moto_server (from moto[server]) on a free loopback port; MEMORIES_TEST_S3_ENDPOINT.
- Redis: Debian's redis-server on a free loopback port, no persistence; MEMORIES_TEST_REDIS_URL
  (the shared cache for rate limits and lockouts across processes; tests skip without it).
Commands run one after the other; the first failure's exit code is returned, and the rest still
run so that one report shows everything.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 (loopback)
            return
        except Exception:
            time.sleep(0.2)
    raise SystemExit(f"service at {url} did not start within {seconds}s")


class Postgres:
    def __init__(self) -> None:
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
        if not bins:
            raise SystemExit(
                "PostgreSQL is not installed: `apt-get install postgresql` (CI's .ci/run does it)."
            )
        self.bindir = Path(bins[-1]).parent
        self.dir = Path(tempfile.mkdtemp(prefix="memories-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        cmd = list(args)
        if self.as_root:  # PostgreSQL refuses to run as root
            shutil.chown(self.dir, "postgres", "postgres")
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

    def start(self) -> str:
        os.chmod(self.dir, 0o755)
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--locale=C.UTF-8")
        opts = f"-k {self.dir} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off " \
               "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", opts, "-w", "-l",
                  str(self.dir / "log"), "start")
        return f"postgres://postgres@127.0.0.1:{self.port}/memories"

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def start_redis(procs: list[subprocess.Popen], env: dict) -> None:
    server = shutil.which("redis-server")
    if not server:
        raise SystemExit("redis-server is not installed: `apt-get install redis-server` (.ci/run installs it)")
    port = free_port()
    procs.append(subprocess.Popen([server, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                                   "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            env["MEMORIES_TEST_REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("redis-server did not start within 10s")


def main(argv: list[str]) -> int:
    use_pg = "--no-postgres" not in argv
    argv = [a for a in argv if a != "--no-postgres"]
    if "--" not in argv:
        print(__doc__)
        return 2
    rest = argv[argv.index("--") + 1:]
    commands, current = [], []
    for arg in rest:
        if arg == "--then":
            commands.append(current)
            current = []
        else:
            current.append(arg)
    commands.append(current)

    env = dict(os.environ)
    procs: list[subprocess.Popen] = []
    pg = None
    try:
        s3_port = free_port()
        procs.append(subprocess.Popen([str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        env["MEMORIES_TEST_S3_ENDPOINT"] = f"http://127.0.0.1:{s3_port}"
        start_redis(procs, env)
        if use_pg:
            pg = Postgres()
            env["DATABASE_URL_POSTGRES"] = pg.start()
        wait_http(env["MEMORIES_TEST_S3_ENDPOINT"])
        status = 0
        for cmd in commands:
            print("$", " ".join(cmd), flush=True)
            code = subprocess.call(cmd, env=env, cwd=ROOT)
            status = status or code
        return status
    finally:
        for p in procs:
            p.terminate()
        if pg:
            pg.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

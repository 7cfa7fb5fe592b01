"""Load benchmark: 50 concurrent clients against the archive served by gunicorn, embedded defaults.

    .venv/bin/python bench/load.py                     # 50 clients, 20 s, defaults below
    .venv/bin/python bench/load.py --clients 50 --duration 30 --workers 4 --threads 8

What it does (everything on loopback, in a temporary var dir that is deleted afterwards):
1. migrates a fresh SQLite database, loads the synthetic demo (seed_demo), collects static files,
   and runs one synthetic photograph through the media pipeline (intake, process, publish) so
   that there are real IIIF level-0 tiles to fetch;
2. starts gunicorn (production settings: DEBUG off, WhiteNoise for static, Django serving the
   public media folder as in the embedded mode) with --workers/--threads;
3. discovers URLs: home, exhibition pages, item pages, IIIF manifests, search queries, tiles, and
   one static file as the baseline;
4. runs N client threads, each with its own keep-alive HTTP/1.1 connection (http.client), each
   picking page types round-robin, for --duration seconds or --requests requests in total;
   (--think adds a pause per client between requests: 50 people browsing rather than 50 robots);
5. prints requests/s and p50/p95/p99 latency per page type, the error count, and the ratio of each
   type's p95 to the static baseline's p95 (same server, same run).

Targets (issue 9): p95 < 100 ms for pages, < 20 ms for manifests and tiles, zero errors.
The client threads share the 2-core machine with the server, so the figures are pessimistic.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PAGE_TYPES = ("static", "home", "exhibition", "item", "search", "manifest", "tile")
TARGET_MS = {"home": 100, "exhibition": 100, "item": 100, "search": 100, "manifest": 20, "tile": 20}

SETUP = r"""
import io, json, os
import django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
from archive import consent
from exhibitions.selectors import live_exhibitions
from media_pipeline import services

# One synthetic photograph (a colour gradient with shapes; no real person) through the pipeline.
import pyvips
width, height = 2400, 1600
x = pyvips.Image.xyz(width, height)
image = (x[0] * 255 / width).bandjoin([x[1] * 255 / height, (x[0] + x[1]) * 255 / (width + height)]).cast("uchar")
buffer = io.BytesIO(image.jpegsave_buffer(Q=85))
asset = services.intake(buffer, "synthetic-gradient.jpg")
services.process(asset)
asset.refresh_from_db()
services.publish(asset)
asset.refresh_from_db()
public = storages["public"]
root = public.location
tiles = []
for dirpath, _dirs, files in os.walk(root):
    for name in files:
        if name.endswith(".jpg") and "/iiif/" in dirpath.replace(os.sep, "/") + "/":
            rel = os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")
            tiles.append(settings.MEDIA_PUBLIC_URL + rel)
web = [str(pk) for pk in consent.visible_items("web").values_list("pk", flat=True)[:40]]
iiif = [str(pk) for pk in consent.visible_items("iiif").values_list("pk", flat=True)[:40]]
print(json.dumps({
    "items": web, "manifests": iiif, "tiles": tiles[:200],
    "exhibitions": list(live_exhibitions().values_list("slug", flat=True)),
}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "ELASTICSEARCH_URL", "S3_PUBLIC_BUCKET", "S3_PRIVATE_BUCKET")}
    env.update({
        "MEMORIES_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "memorial.settings",
        "DEBUG": "0",
        "SECRET_KEY": "load-bench-only-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "FIELD_ENCRYPTION_KEY": "mFvQ3d0dY1c9Ue4D0jbqKqC0mG4m2X8bR1v7Yp3l9sI=",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback
        "SERVE_PUBLIC_MEDIA": "1",
        "RATE_LIMIT_ENABLED": "0",  # 50 clients from one address are the point here
        "LOG_LEVEL": "WARNING",
        # Persistent connections: a gthread worker reuses its threads, so each thread keeps its SQLite
        # connection instead of opening one (and running the WAL pragmas) per request.
        "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),
    })
    return env


def run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        sys.exit(f"{' '.join(args[:4])} failed:\n{result.stderr[-4000:]}")
    return result.stdout


def prepare(var_dir: Path, env: dict[str, str]) -> dict:
    print("preparing: migrate, seed_demo, collectstatic, one photograph through the pipeline ...", flush=True)
    run([PY, "manage.py", "migrate", "--noinput", "-v0"], env)
    run([PY, "manage.py", "seed_demo"], env)
    run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    out = run([PY, "-c", SETUP], env)
    return json.loads(out.strip().splitlines()[-1])


def start_server(env: dict[str, str], port: int, workers: int, threads: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [PY, "-m", "gunicorn", "memorial.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
         "--keep-alive", "30", "--backlog", "2048", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited:\n{process.stderr.read()[-4000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/en/")
            if conn.getresponse().status == 200:
                conn.close()
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    sys.exit("gunicorn did not answer within 60 s")


def discover(port: int, found: dict) -> dict[str, list[str]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/en/")
    home = conn.getresponse().read().decode()
    css = re.findall(r'href="(/static/[^"]+\.css)"', home)
    searches = ["watch", "letter", "photograph", "memory", "school", "station", "family", "garden"]
    urls = {
        "static": css[:1] or ["/static/css/site.css"],
        "home": ["/en/", "/fr/", "/ar/", "/es/"],
        "exhibition": [f"/{lang}/exhibitions/{slug}/" for slug in found["exhibitions"] for lang in ("en", "ar")],
        "item": [f"/en/items/{pk}/" for pk in found["items"]],
        "search": [f"/en/search/?q={q}" for q in searches] + ["/en/search/"],
        "manifest": [f"/iiif/item/{pk}/manifest" for pk in found["manifests"]],
        "tile": found["tiles"],
    }
    missing = [k for k, v in urls.items() if not v]
    if missing:
        print(f"WARNING: nothing to request for {missing}; those rows are left out", flush=True)
    return {k: v for k, v in urls.items() if v}


class Client(threading.Thread):
    def __init__(self, port: int, plan, stop_at: float, budget, results, errors, lock, think: float = 0.0):
        super().__init__(daemon=True)
        self.think = think
        self.port, self.plan, self.stop_at, self.budget = port, plan, stop_at, budget
        self.results, self.errors, self.lock = results, errors, lock

    def _connect(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def run(self) -> None:
        conn = self._connect()
        local = defaultdict(list)
        local_errors = defaultdict(list)
        for kind, url in self.plan:
            if time.time() >= self.stop_at or next(self.budget) <= 0:
                break
            start = time.perf_counter()
            try:
                conn.request("GET", url, headers={"Accept-Encoding": "gzip"})
                response = conn.getresponse()
                response.read()
                elapsed = time.perf_counter() - start
                if response.status != 200:
                    local_errors[kind].append(f"{response.status} {url}")
                else:
                    local[kind].append(elapsed)
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = self._connect()
            except (OSError, http.client.HTTPException) as exc:
                local_errors[kind].append(f"{type(exc).__name__} {url}")
                conn.close()
                conn = self._connect()
            if self.think:
                time.sleep(self.think)
        conn.close()
        with self.lock:
            for kind, values in local.items():
                self.results[kind].extend(values)
            for kind, values in local_errors.items():
                self.errors[kind].extend(values)


def _budget(total: int | None):
    counter = itertools.count()
    lock = threading.Lock()
    while True:
        with lock:
            n = next(counter)
        yield 1 if total is None or n < total else 0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(q / 100 * (len(values) - 1))))
    return values[k]


def drive(port: int, urls: dict[str, list[str]], clients: int, duration: float, total: int | None,
          think: float = 0.0):
    kinds = list(urls)
    results: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    lock = threading.Lock()
    budget = _budget(total)
    stop_at = time.time() + duration
    threads = []
    for i in range(clients):
        rng = random.Random(i)
        plan = ((kinds[(i + n) % len(kinds)], rng.choice(urls[kinds[(i + n) % len(kinds)]]))
                for n in itertools.count())
        threads.append(Client(port, plan, stop_at, budget, results, errors, lock, think))
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(duration + 60)
    return results, errors, time.perf_counter() - started


def report(results, errors, wall: float, clients: int, workers: int, threads: int, think: float) -> None:
    total = sum(len(v) for v in results.values())
    n_errors = sum(len(v) for v in errors.values())
    print()
    mode = f"think time {think * 1000:.0f} ms" if think else "closed loop, no think time"
    print(f"{clients} clients ({mode}), gunicorn {workers} workers x {threads} threads, {wall:.1f} s, "
          f"{total} ok requests, {n_errors} errors, {total / wall:.0f} req/s overall")
    base_p95 = percentile(results.get("static", []), 95)
    header = f"{'type':<11}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}" \
             f"{'errors':>8}{'p95/static':>12}{'target':>9}"
    print(header)
    print("-" * len(header))
    for kind in PAGE_TYPES:
        values = results.get(kind, [])
        if not values and not errors.get(kind):
            continue
        p50, p95, p99 = (percentile(values, q) * 1000 for q in (50, 95, 99))
        ratio = (p95 / 1000) / base_p95 if values and base_p95 == base_p95 and base_p95 > 0 else float("nan")
        target = TARGET_MS.get(kind)
        verdict = "" if target is None else ("ok" if p95 < target else f">{target}")
        print(f"{kind:<11}{len(values):>9}{len(values) / wall:>8.0f}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}"
              f"{len(errors.get(kind, [])):>8}{ratio:>12.1f}{verdict:>9}")
    if n_errors:
        print("\nfirst errors:")
        for kind, values in errors.items():
            for line in values[:3]:
                print(f"  {kind}: {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load (upper bound)")
    parser.add_argument("--requests", type=int, default=None, help="stop after this many requests in total")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--think", type=float, default=0.0,
                        help="seconds each client waits between requests (0: as fast as possible)")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up load, not counted")
    parser.add_argument("--keep", action="store_true", help="keep the temporary var dir")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="memories-load-"))
    env = environment(var_dir)
    server = None
    try:
        found = prepare(var_dir, env)
        port = free_port()
        server = start_server(env, port, args.workers, args.threads)
        urls = discover(port, found)
        print("URLs per type: " + ", ".join(f"{k}={len(v)}" for k, v in urls.items()), flush=True)
        if args.warmup > 0:
            drive(port, urls, args.clients, args.warmup, None)
        results, errors, wall = drive(port, urls, args.clients, args.duration, args.requests, args.think)
        report(results, errors, wall, args.clients, args.workers, args.threads, args.think)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        if args.keep:
            print(f"var dir kept: {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Load benchmark: 50 concurrent clients against the archive served by gunicorn, embedded defaults.

    .venv/bin/python bench/load.py                          # wrk, 50 connections, 10 s per page type
    .venv/bin/python bench/load.py --duration 20 --configs 2x4,2x8   # several gunicorn set-ups
    .venv/bin/python bench/load.py --client python          # the old all-Python client (pessimistic)
    .venv/bin/python bench/load.py --nginx      # and through nginx; --production: see bench/load_front.py

What it does (everything on loopback, in a temporary var dir that is deleted afterwards):
1. migrates a fresh SQLite database, loads the synthetic demo (seed_demo), collects static files,
   and runs one synthetic photograph through the media pipeline (intake, process, publish) so
   that there are real IIIF level-0 tiles to fetch;
2. starts gunicorn (production settings: DEBUG off, memorial.wsgi as deployed: its fast path
   answers static files, public media and already-built IIIF documents in front of Django) with
   --workers/--threads (default 2 x 4: one process per core);
3. discovers URLs: home, exhibition pages, item pages, IIIF manifests, search queries, tiles, and
   one static file as the baseline;
4. drives the load with wrk (Debian package `wrk`: C, epoll, a few % of one core for thousands of
   requests a second): one run per page type, --clients connections over --wrk-threads threads,
   for --duration seconds after --warmup seconds of uncounted load, a Lua script going round-robin
   over that type's URLs and counting non-2xx answers. (--client python keeps the former driver:
   Python threads with http.client, mixing all types at once; it competes with the server for
   the same cores and its own overhead dominates the static baseline.)
5. prints requests/s and p50/p95/p99 latency per page type, the errors (non-2xx answers, socket
   errors and timeouts), and each type's p95 and throughput relative to the static file served by
   the same server in the same run.

Targets (issue 9): p95 < 100 ms for pages, < 20 ms for manifests and tiles, zero errors.
wrk measures closed-loop response time (each connection sends its next request when the previous
answer arrived), the same model as 50 clients without think time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import load_front
from load_python import Row, drive, python_rows

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PAGE_TYPES = ("static", "home", "exhibition", "item", "search", "manifest", "tile")
TARGET_MS = {"home": 100, "exhibition": 100, "item": 100, "search": 100, "manifest": 20, "tile": 20}

# wrk script: round-robin over the URL file given after "--"; each thread starts at its own offset.
# done() prints one parseable line: WRK-RESULT {json}. Latencies are in microseconds.
WRK_LUA = r"""
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if #line > 0 then table.insert(paths, line) end
  end
  counter = (id or 1) * 7919
  non2xx = 0
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1], {["Accept-Encoding"] = "gzip"})
end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("non2xx") end
  local e = summary.errors
  io.write(string.format(
    'WRK-RESULT {"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, "max": %d, ' ..
    '"non2xx": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, bad, e.connect, e.read, e.write, e.timeout))
end
"""

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


def environment(var_dir: Path, documents: bool = False) -> dict[str, str]:
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
        "SITE_URL": "http://127.0.0.1",  # required without DEBUG; absolute URLs are not fetched here
        "SERVE_PUBLIC_MEDIA": "1",
        "RATE_LIMIT_ENABLED": "0",  # 50 clients from one address are the point here
        "LOG_LEVEL": "WARNING",
        # Persistent connections: a gthread worker reuses its threads, so each thread keeps its SQLite
        # connection instead of opening one (and running the WAL pragmas) per request.
        "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),
        # With nginx in front, it sends the IIIF documents the archive built from disk (deploy/nginx.conf).
        "IIIF_DOCUMENT_ROOT": str(var_dir / "documents") if documents else "",
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


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


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


def wrk_run(port: int, kind: str, paths: list[str], clients: int, threads: int, seconds: float,
            workdir: Path) -> Row:
    script = workdir / "load.lua"
    if not script.exists():
        script.write_text(WRK_LUA)
    url_file = workdir / f"{kind}.txt"
    url_file.write_text("\n".join(paths) + "\n")
    result = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
         "-s", str(script), f"http://127.0.0.1:{port}", "--", str(url_file)],
        capture_output=True, text=True, timeout=seconds + 60,
    )
    line = next((x for x in result.stdout.splitlines() if x.startswith("WRK-RESULT ")), None)
    if result.returncode != 0 or line is None:
        sys.exit(f"wrk failed for {kind}:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    data = json.loads(line.split(" ", 1)[1])
    socket_errors = data["connect"] + data["read"] + data["write"] + data["timeout"]
    samples = [f"{data['non2xx']} non-2xx answers"] if data["non2xx"] else []
    if socket_errors:
        samples.append("socket errors: " + ", ".join(f"{k} {data[k]}" for k in ("connect", "read", "write", "timeout")))
    return Row(kind, data["requests"], data["duration_us"] / 1e6, data["p50"] / 1000, data["p95"] / 1000,
               data["p99"] / 1000, data["non2xx"] + socket_errors, samples)


def drive_wrk(port: int, urls: dict[str, list[str]], clients: int, threads: int, duration: float,
              warmup: float) -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="memories-wrk-") as tmp:
        for kind in PAGE_TYPES:
            if kind not in urls:
                continue
            if warmup > 0:  # fills each worker's page cache and warms the OS caches; not counted
                wrk_run(port, kind, urls[kind], clients, threads, warmup, Path(tmp))
            row = wrk_run(port, kind, urls[kind], clients, threads, duration, Path(tmp))
            print(f"  {kind:<11}{row.rps:>8.0f} req/s  p95 {row.p95:.1f} ms", flush=True)
            rows.append(row)
    return rows


def _verdict(row: Row) -> str:
    target = TARGET_MS.get(row.kind)
    return "" if target is None else f">{target}" if row.p95 >= target else "errors" if row.errors else "ok"


def report(rows: list[Row], title: str) -> None:
    total = sum(r.requests for r in rows)
    n_errors = sum(r.errors for r in rows)
    print()
    print(f"{title}: {total} requests, {n_errors} errors")
    base = next((r for r in rows if r.kind == "static"), None)
    header = f"{'type':<11}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}" \
             f"{'errors':>8}{'p95/static':>12}{'req/s/static':>14}{'target':>9}"
    print(header)
    print("-" * len(header))
    for row in rows:
        p95_ratio = row.p95 / base.p95 if base and base.p95 > 0 else float("nan")
        rps_ratio = row.rps / base.rps if base and base.rps > 0 else float("nan")
        verdict = _verdict(row)
        print(f"{row.kind:<11}{row.requests:>9}{row.rps:>8.0f}{row.p50:>9.1f}{row.p95:>9.1f}{row.p99:>9.1f}"
              f"{row.errors:>8}{p95_ratio:>12.1f}{rps_ratio:>14.2f}{verdict:>9}")
    if n_errors:
        print("\nerrors:")
        for row in rows:
            for line in row.samples:
                print(f"  {row.kind}: {line}")


def measure(args, port: int, urls: dict[str, list[str]], config: str) -> tuple[list[Row], str]:
    """One table: every page type against `port` with the chosen client; (rows, title)."""
    if args.client == "wrk":
        print(f"{config}; wrk: {args.clients} connections, {args.wrk_threads} threads, "
              f"{args.duration:.0f} s per type after {args.warmup:.0f} s warm-up", flush=True)
        rows = drive_wrk(port, urls, args.clients, args.wrk_threads, args.duration, args.warmup)
        return rows, f"wrk, {args.clients} connections, one page type at a time, {config}"
    if args.warmup > 0:
        drive(port, urls, args.clients, args.warmup, None)
    results, errors, wall = drive(port, urls, args.clients, args.duration, args.requests, args.think)
    mode = f"think time {args.think * 1000:.0f} ms" if args.think else "closed loop, no think time"
    return (python_rows(results, errors, wall),
            f"python client, {args.clients} threads ({mode}), all types mixed, {wall:.1f} s, {config}")


def one_config(args, env: dict[str, str], var_dir: Path, found: dict, workers: int, threads: int):
    """The tables of one gunicorn set-up (direct, then through nginx); returns the server to stop."""
    port = free_port()
    # Let the files written while preparing reach the disk first: otherwise their writeback
    # competes with the first measured page type (seen as a slow static baseline).
    os.sync()
    time.sleep(2)
    server = start_server(env, port, workers, threads)
    try:
        tables(args, var_dir, port, discover(port, found), f"gunicorn {workers} workers x {threads} threads (gthread)")
    except BaseException:
        stop_server(server)
        raise
    return server


def tables(args, var_dir: Path, port: int, urls: dict[str, list[str]], config: str) -> None:
    wanted = {"static", *args.types.split(",")}
    urls = {k: v for k, v in urls.items() if k in wanted}
    print("URLs per type: " + ", ".join(f"{k}={len(v)}" for k, v in urls.items()), flush=True)
    if args.production:
        config += ", PostgreSQL + S3 (moto) + Redis"
    if os.environ.get("PAGE_CACHE_ENABLED", "1") in ("0", "false", "False"):
        config += ", page cache OFF"
    report(*measure(args, port, urls, config + ", direct (Python fast path for static and tiles)"))
    if args.nginx:
        front, front_port = load_front.start_nginx(var_dir, port)
        plain = {"static": load_front.plain_copies(var_dir, urls["tile"])} if "tile" in urls else {}
        try:
            report(*measure(args, front_port, {**urls, **plain}, config + ", nginx in front (static and public "
                            "media from disk; static = the same tile files under /static/)"))
            if plain and args.client == "wrk":
                with tempfile.TemporaryDirectory(prefix="memories-wrk-") as tmp:
                    print(load_front.compare(lambda kind, paths, seconds: wrk_run(
                        front_port, kind, paths, args.clients, args.wrk_threads, seconds, Path(tmp)),
                        urls["tile"], plain["static"]))
        finally:
            stop_server(front)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--client", choices=("wrk", "python"), default="wrk",
                        help="load generator: wrk (default) or the built-in Python threads")
    parser.add_argument("--clients", type=int, default=50, help="concurrent connections")
    parser.add_argument("--duration", type=float, default=10.0,
                        help="seconds of load per page type (wrk) or in total (python)")
    parser.add_argument("--requests", type=int, default=None, help="python client: stop after this many requests")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--configs", default="",
                        help="several gunicorn set-ups in one run, e.g. 2x8,4x4 (workers x threads); "
                             "overrides --workers/--threads")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--types", default=",".join(PAGE_TYPES),
                        help="page types to drive, comma-separated (static is always included)")
    parser.add_argument("--think", type=float, default=0.0,
                        help="python client: seconds each client waits between requests")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up load, not counted")
    parser.add_argument("--keep", action="store_true", help="keep the temporary var dir")
    parser.add_argument("--nginx", action="store_true",
                        help="also measure through nginx in front (static and public media from disk)")
    parser.add_argument("--production", action="store_true",
                        help="PostgreSQL, S3 (moto) and Redis from scripts/with_test_services.py, nginx in "
                             "front (implies --nginx); see bench/load_front.py")
    parser.add_argument("--no-documents-on-disk", action="store_true",
                        help="with nginx: leave IIIF documents to the Python fast path (IIIF_DOCUMENT_ROOT off)")
    args = parser.parse_args()
    args.nginx = args.nginx or args.production
    if args.client == "wrk" and shutil.which("wrk") is None:
        sys.exit("wrk is not installed: `apt-get install wrk` (Debian), or run with --client python.")

    var_dir = Path(tempfile.mkdtemp(prefix="memories-load-"))
    env = environment(var_dir, documents=args.nginx and not args.no_documents_on_disk)
    server, cleanup = None, (load_front.production(env) if args.production else None)
    try:
        found = prepare(var_dir, env)
        configs = [tuple(int(n) for n in c.split("x")) for c in args.configs.split(",") if c] \
            or [(args.workers, args.threads)]
        for workers, threads in configs:
            server = one_config(args, env, var_dir, found, workers, threads)
            stop_server(server)
            server = None
    finally:
        if server is not None:
            stop_server(server)
        if cleanup:
            cleanup()
        if args.keep:
            print(f"var dir kept: {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()

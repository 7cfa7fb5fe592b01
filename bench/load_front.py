"""bench/load.py's nginx-fronted and production configurations.

--nginx: Debian's nginx in front of the same gunicorn (deploy/nginx.conf: /static/ and public
media straight from disk, everything else proxied to gunicorn), measured as a second table beside
the Python fast path, with tiles compared to nginx's own plain static file.
--production: PostgreSQL, masters in a private S3 bucket (moto), the shared Redis cache, DEBUG off,
nginx in front. Run it under scripts/with_test_services.py, which starts those three servers:

    .venv/bin/python scripts/with_test_services.py -- .venv/bin/python bench/load.py --production
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.stack import services  # noqa: E402 (the repository root first)

NGINX_TARGET_RATIO, NGINX_TARGET_P95_MS = 0.8, 5.0


def production(env: dict[str, str]) -> Callable[[], None]:
    """Point `env` at PostgreSQL, an S3 bucket and Redis from the runner; returns the clean-up."""
    missing = [k for k in ("DATABASE_URL_POSTGRES", "MEMORIES_TEST_S3_ENDPOINT") if not os.environ.get(k)]
    if missing:
        sys.exit(f"--production needs {', '.join(missing)}: run it under scripts/with_test_services.py "
                 "(see this module's docstring).")
    name = f"load_{os.getpid()}"
    env["DATABASE_URL"] = services.database(os.environ["DATABASE_URL_POSTGRES"], name)
    endpoint = os.environ["MEMORIES_TEST_S3_ENDPOINT"]
    env.update({"S3_PRIVATE_BUCKET": services.bucket(endpoint, f"load-private-{os.getpid()}"),
                "S3_ENDPOINT_URL": endpoint, "S3_ACCESS_KEY_ID": "testing", "S3_SECRET_ACCESS_KEY": "testing"})
    if os.environ.get("MEMORIES_TEST_REDIS_URL"):
        env["CACHE_URL"] = services.redis_database(os.environ["MEMORIES_TEST_REDIS_URL"])
    return lambda: services.database(os.environ["DATABASE_URL_POSTGRES"], name, create=False)


def start_nginx(var_dir: Path, upstream: int, workers: int = 2):
    """nginx on a free port in front of gunicorn at `upstream`, one worker per core; (process, port)."""
    port = services.free_port()
    process = services.start_nginx(var_dir / "nginx", port, [upstream], var_dir / "static_root",
                                   var_dir / "public", workers=workers, document_root=var_dir / "documents")
    return process, port


def plain_copies(var_dir: Path, tiles: list[str]) -> list[str]:
    """The same tile files copied under /static/: nginx's plain static file of the same bytes, the
    baseline the tiles are held to (a single CSS file would compare one cached file with many)."""
    urls = []
    for url in tiles:
        rel = url.split("/media/", 1)[1]
        target = var_dir / "static_root" / "plain-tiles" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(var_dir / "public" / rel, target)
        target.chmod(0o644)
        urls.append(f"/static/plain-tiles/{rel}")
    return urls


def compare(run, tiles: list[str], plain: list[str], rounds: int = 3, seconds: float = 3.0) -> str:
    """Tiles through nginx against the same files as plain static files, measured alternately
    (tile, plain, tile, plain ...) so that a machine loaded by others weighs on both alike; the
    median round of each. `run(kind, paths, seconds)` is bench/load.py's wrk run (a Row)."""
    import statistics

    got: dict[str, list] = {"tile": [], "plain": []}
    for _ in range(rounds):
        for kind, paths in (("tile", tiles), ("plain", plain)):
            got[kind].append(run(kind, paths, seconds))
    rps = {k: statistics.median(r.rps for r in rows) for k, rows in got.items()}
    p95 = {k: statistics.median(r.p95 for r in rows) for k, rows in got.items()}
    errors = sum(r.errors for rows in got.values() for r in rows)
    ratio = rps["tile"] / rps["plain"] if rps["plain"] else float("nan")
    ok = ratio >= NGINX_TARGET_RATIO and p95["tile"] < NGINX_TARGET_P95_MS and not errors
    return (f"tiles through nginx, {rounds} alternating rounds of {seconds:.0f} s (medians): tiles {rps['tile']:.0f} "
            f"req/s, p95 {p95['tile']:.2f} ms; the same files as plain static files {rps['plain']:.0f} req/s, "
            f"p95 {p95['plain']:.2f} ms; ratio {ratio:.2f}x, {errors} errors "
            f"(target >= {NGINX_TARGET_RATIO}x, p95 < {NGINX_TARGET_P95_MS:.0f} ms): {'ok' if ok else 'MISSED'}")

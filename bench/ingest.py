#!/usr/bin/env python
"""Benchmark: the media pipeline against raw libvips dzsave, on photos generated here.

    .venv/bin/python bench/ingest.py [--photos 20] [--megapixels 24] [--workers 1] [--skip-memory]
                                     [--beside auto|on|off]  (web derivatives beside dzsave or after it)

For a batch of synthetic photos (24+ MP JPEGs, generated in code) it measures, in the same run and
on the same files:
  * raw:      pyvips.Image.new_from_file(...).dzsave(layout="iiif3") (same tile size and quality),
  * pipeline: services.intake() + services.process(): upload to quarantine, type by decoding,
              sanitised master with sha256, web/thumbnail derivatives and the complete IIIF level-0
              tile set in private storage (everything up to "ready to publish");
and prints megapixels per second for both and the ratio (target >= 0.9; issue 18), and the ratio of
CPU time (what the pipeline costs beyond dzsave, whatever other processes do to the wall clock). Files are processed
alternately (raw, pipeline, raw, ...) so that load from other processes hits both alike.
Then it measures the peak memory (max RSS of a child process) of the pipeline on a 100 MP photo
(target < 400 MB), and the resident memory of one long-lived process after each photo of the
batch, with glibc's default malloc arenas and with MALLOC_ARENA_MAX=2. Django is set up here with a temporary var/ directory (SQLite, local storage).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(var_dir: str) -> None:
    os.environ["MEMORIES_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "memorial.settings"
    for var in ("DATABASE_URL", "S3_PUBLIC_BUCKET", "S3_PRIVATE_BUCKET", "ELASTICSEARCH_URL"):
        os.environ.pop(var, None)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def make_photo(path: str, width: int, height: int, seed: int) -> None:
    """A photo-like JPEG: smooth gradients, shapes and sensor-like noise (compresses like a photo)."""
    import pyvips

    x = pyvips.Image.xyz(width, height)
    r = (x[0] * (200 / width) + seed * 7) % 256
    g = (x[1] * (180 / height) + seed * 13) % 256
    b = ((x[0] + x[1]) * (120 / (width + height)) + 60).cast("float")
    img = r.bandjoin([g, b])
    # soft blobs, like out-of-focus light
    blob = pyvips.Image.gaussnoise(width // 64, height // 64, sigma=60, mean=128).resize(64, kernel="cubic")
    blob = blob.crop(0, 0, min(width, blob.width), min(height, blob.height)).embed(0, 0, width, height,
                                                                                   extend="mirror")
    img = img * 0.7 + blob.bandjoin([blob, blob]) * 0.3
    noise = pyvips.Image.gaussnoise(width, height, sigma=6, mean=0)
    img = (img + noise).cast("uchar").copy(interpretation="srgb")
    img.jpegsave(path, Q=92, subsample_mode="on")  # 4:2:0, as cameras write


def raw_dzsave(path: str, out_dir: str) -> None:
    import pyvips

    from media_pipeline import conf

    img = pyvips.Image.new_from_file(path, access="sequential")
    img.dzsave(out_dir, layout="iiif3", tile_size=conf.get("TILE_SIZE"), overlap=0,
               suffix=f".jpg[Q={conf.get('TILE_QUALITY')}]")


def pipeline(path: str) -> None:
    from media_pipeline import services

    with open(path, "rb") as fh:
        asset = services.intake(fh, os.path.basename(path))
    services.process(asset)


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM; unlike ru_maxrss it is not inherited across exec)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_child(path: str) -> None:
    """Run in a fresh process: the pipeline on one big photo; print the peak RSS in MB."""
    setup_django(tempfile.mkdtemp(prefix="bench-var-"))
    import pyvips  # noqa: F401  (loaded before the baseline reading)

    start = peak_rss_mb()
    t = time.perf_counter()
    pipeline(path)
    took = time.perf_counter() - t
    print(f"{peak_rss_mb():.0f} {start:.0f} {took:.2f}")


def batch_memory_child(paths: list[str]) -> None:
    """Run in a fresh process, like a long-lived worker: the pipeline on each photo in turn; print
    the resident set (VmRSS, MB) after each."""
    setup_django(tempfile.mkdtemp(prefix="bench-var-"))
    out = []
    for path in paths:
        pipeline(path)
        with open("/proc/self/status") as fh:
            out.append(next(int(line.split()[1]) // 1024 for line in fh if line.startswith("VmRSS:")))
    print(" ".join(map(str, out)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=int, default=20)
    parser.add_argument("--megapixels", type=float, default=24.0)
    parser.add_argument("--workers", type=int, default=1, help="assets processed at once (like db_worker processes)")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--beside", choices=["auto", "on", "off"], default="auto",
                        help="MEDIA_DERIVATIVES_BESIDE_TILES: auto (unset, the default: beside dzsave when a core "
                             "was idle), 1 (always) or 0 (never: from the pyramid after dzsave)")
    parser.add_argument("--photo-cache", metavar="DIR",
                        help="keep the generated photos in DIR (by size and seed) and reuse them on the next run; "
                             "for iterating only, the photos are still the ones generated here")
    parser.add_argument("--memory-child", help=argparse.SUPPRESS)
    parser.add_argument("--batch-memory-child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child)
        return
    if args.batch_memory_child:
        batch_memory_child(args.batch_memory_child)
        return

    if args.beside != "auto":
        os.environ["MEDIA_DERIVATIVES_BESIDE_TILES"] = "1" if args.beside == "on" else "0"
    work = tempfile.mkdtemp(prefix="bench-ingest-")
    try:
        setup_django(os.path.join(work, "var"))
        import pyvips

        from media_pipeline.services import steps

        beside = [0]
        shrunk = steps._beside_from_shrunk

        def counted(*a, **kw):  # which way the derivatives went (auto decides per photo)
            beside[0] += 1
            return shrunk(*a, **kw)

        steps._beside_from_shrunk = counted

        width = int((args.megapixels * 1_000_000 * 3 / 2) ** 0.5)
        height = int(width * 2 / 3)
        mp = width * height / 1e6
        print(f"libvips {pyvips.version(0)}.{pyvips.version(1)}.{pyvips.version(2)}, {os.cpu_count()} CPUs; "
              f"{args.photos} photos of {width}x{height} ({mp:.1f} MP); workers={args.workers}")
        t = time.perf_counter()
        photos = []
        for i in range(args.photos):
            path = os.path.join(work, f"photo-{i:02d}.jpg")
            cached = os.path.join(args.photo_cache, f"photo-{width}x{height}-{i}.jpg") if args.photo_cache else None
            if cached and os.path.exists(cached):
                shutil.copyfile(cached, path)
            else:
                make_photo(path, width, height, i)
                if cached:
                    os.makedirs(args.photo_cache, exist_ok=True)
                    shutil.copyfile(path, cached)
            photos.append(path)
        size = sum(os.path.getsize(p) for p in photos) / len(photos) / 1e6
        print(f"generated in {time.perf_counter() - t:.1f} s (mean {size:.1f} MB per JPEG)")

        # warm up both paths once (imports, thread pools) on a small photo
        small = os.path.join(work, "warm.jpg")
        make_photo(small, 1200, 800, 99)
        raw_dzsave(small, os.path.join(work, "warm-raw"))
        pipeline(small)

        load_before = os.getloadavg()
        beside[0] = 0
        raw_time = pipe_time = raw_cpu = pipe_cpu = 0.0
        raw_root = os.path.join(work, "raw")
        os.makedirs(raw_root)

        def run_raw(i_path):
            i, path = i_path
            raw_dzsave(path, os.path.join(raw_root, f"p{i}"))

        def run_pipe(i_path):
            pipeline(i_path[1])

        # Alternate in slices of `workers` files: raw slice, pipeline slice, raw slice, ...
        # Neither output is deleted until the end: on a file system without a journal, ext4 skips
        # inodes freed in the last 30 s when it allocates new ones, so deleting one side's tiles
        # between slices would slow down whichever side creates its files next to them.
        items = list(enumerate(photos))
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            for s in range(0, len(items), args.workers):
                chunk = items[s:s + args.workers]
                t, c = time.perf_counter(), time.process_time()
                list(pool.map(run_raw, chunk))
                raw_time += time.perf_counter() - t
                raw_cpu += time.process_time() - c
                t, c = time.perf_counter(), time.process_time()
                list(pool.map(run_pipe, chunk))
                pipe_time += time.perf_counter() - t
                pipe_cpu += time.process_time() - c
        total_mp = mp * len(photos)
        raw_rate, pipe_rate = total_mp / raw_time, total_mp / pipe_time
        n = len(photos)
        print(f"raw dzsave:  {raw_time:7.2f} s  {raw_rate:7.1f} MP/s  (CPU {raw_cpu / n * 1000:.0f} ms per photo)")
        print(f"pipeline:    {pipe_time:7.2f} s  {pipe_rate:7.1f} MP/s  (CPU {pipe_cpu / n * 1000:.0f} ms per photo; "
              f"upload -> sanitised master + derivatives + IIIF tiles, private storage)")
        print(f"  derivatives beside dzsave (shrink-on-load) for {beside[0]} of {n} photos "
              f"(--beside {args.beside}), from the pyramid after dzsave for the others")
        ratio = pipe_rate / raw_rate
        print(f"ratio pipeline/raw: {ratio:.2f}  (target >= 0.9: {'met' if ratio >= 0.9 else 'MISSED'}); "
              f"CPU time raw/pipeline: {raw_cpu / pipe_cpu:.2f}")
        print("load average (1, 5, 15 min) before the timed runs: {:.2f} {:.2f} {:.2f}, after: {:.2f} {:.2f} {:.2f} "
              "(other processes on this machine skew both figures)".format(*load_before, *os.getloadavg()))

        if not args.skip_memory:
            big = os.path.join(work, "big-100mp.jpg")
            make_photo(big, 12248, 8166, 7)
            out = subprocess.run([sys.executable, __file__, "--memory-child", big], capture_output=True, text=True,
                                 check=True).stdout.split()
            peak, base, took = float(out[0]), float(out[1]), float(out[2])
            print(f"100 MP photo (12248x8166): pipeline {took:.1f} s, peak RSS {peak:.0f} MB "
                  f"(Django and libraries alone: {base:.0f} MB)  (target < 400 MB: "
                  f"{'met' if peak < 400 else 'MISSED'})")
            # A long-lived worker: memory after each photo of the batch, with glibc's default malloc
            # arenas and with two (what `make run` and the README use for run_worker).
            for arenas in (None, "2"):
                env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
                if arenas:
                    env["MALLOC_ARENA_MAX"] = arenas
                rss = subprocess.run([sys.executable, __file__, "--batch-memory-child", *photos], env=env,
                                     capture_output=True, text=True, check=True).stdout.split()
                label = f"MALLOC_ARENA_MAX={arenas}" if arenas else "default malloc arenas"
                print(f"one worker, {len(photos)} photos in a row ({label}): RSS after each "
                      f"{' '.join(rss)} MB; last {rss[-1]} MB, highest {max(map(int, rss))} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

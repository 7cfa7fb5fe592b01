#!/usr/bin/env python
"""Benchmark: ingest at volume (issue 18). `manage.py ingest --queue` of a batch of synthetic photos
(phone to 24 MP) and hours of synthetic audio, processed by `manage.py run_worker` with one and with two
worker processes; then one worker killed (SIGKILL) mid-batch and the batch finished by a new one.

    .venv/bin/python bench/ingest_volume.py [--photos 200] [--audio-minutes 60] [--workers 1 2] [--no-kill]
                                            [--beside auto|on|off]

Prints, for each worker count: photos in MP/s against raw `vips dzsave` of the same files in as many
processes (measured just before, so load from other processes weighs on both), the CPU per photo of
both (the workers' less a worker's start on an empty queue: the figure other processes' load
changes least), audio hours per hour, and each worker's peak RSS (ru_maxrss from wait4). The kill run checks that every file became exactly
one item and one ready asset, with one tile set each and nothing half-built left behind.
Inputs are cached in var/bench/volume (a few base photos per size, varied by a JPEG comment so that
every file is distinct to the archive; audio: WAV of speech-like noise, tones and pauses).
Django runs on a temporary var/ (SQLite in WAL mode, local storage), as the embedded defaults do.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CACHE = ROOT / "var" / "bench" / "volume"
# Sizes from a phone's to a 24 MP camera's (cycled through the batch).
SIZES = [(4032, 3024), (3264, 2448), (6000, 4000), (1920, 1440), (4000, 2667), (2400, 1600)]
BASES_PER_SIZE = 2
RATE = 44100


def env_for(var: str) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "S3_PUBLIC_BUCKET", "S3_PRIVATE_BUCKET", "ELASTICSEARCH_URL", "REDIS_URL",
                        "DJANGO_SETTINGS_MODULE")}
    return {**env, "MEMORIES_VAR_DIR": var, "LOG_LEVEL": "WARNING", "MALLOC_ARENA_MAX": "2"}


def manage(var: str, *args: str) -> str:
    done = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env_for(var),
                          capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)[:80]} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def query(var: str, expr: str) -> str:
    """One Python expression evaluated in the archive at `var` (the last line `manage.py shell` prints)."""
    return manage(var, "shell", "--no-imports", "-c", f"print({expr})").strip().splitlines()[-1]


SPAN = ("(lambda a: (a['end'] - a['start']).total_seconds())(__import__('django_tasks_db.models', fromlist=['x'])"
        ".DBTaskResult.objects.filter(task_path='media_pipeline.tasks.process_asset').aggregate("
        "start=__import__('django.db.models', fromlist=['x']).Min('started_at'),"
        "end=__import__('django.db.models', fromlist=['x']).Max('finished_at')))")


# --- inputs ------------------------------------------------------------------------------------

def photos(n: int) -> list[Path]:
    """n distinct JPEGs: base photos generated once per size, varied by a comment segment (the archive
    strips it; the pixels, hence the processing cost, are those of a real photo of that size)."""
    from bench.ingest import make_photo

    CACHE.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        w, h = SIZES[i % len(SIZES)]
        base = CACHE / f"base-{w}x{h}-{(i // len(SIZES)) % BASES_PER_SIZE}.jpg"
        if not base.exists():
            make_photo(str(base), w, h, i)
        path = CACHE / "photos" / f"photo-{i:05d}.jpg"
        if not path.exists():
            path.parent.mkdir(exist_ok=True)
            data = base.read_bytes()
            note = f"bench photo {i}".encode()
            path.write_bytes(data[:2] + b"\xff\xfe" + (len(note) + 2).to_bytes(2, "big") + note + data[2:])
        out.append(path)
    return out


def _speech_chunk(seed: int, seconds: float = 10.0) -> array:
    """Speech-like: noise shaped by a syllable envelope (~4 Hz), a voiced tone gliding under it, pauses."""
    rnd = random.Random(seed)
    samples, prev = array("h"), 0.0
    pitch = rnd.uniform(110, 220)
    for n in range(int(RATE * seconds)):
        t = n / RATE
        envelope = max(0.0, math.sin(2 * math.pi * 4.1 * t + seed)) ** 2 * (0 if (t % 3.0) > 2.4 else 1)
        prev = 0.7 * prev + 0.3 * rnd.uniform(-1, 1)  # low-passed noise
        voice = math.sin(2 * math.pi * pitch * (1 + 0.05 * math.sin(2 * math.pi * 0.5 * t)) * t)
        samples.append(int(9000 * envelope * (0.6 * voice + 0.8 * prev)))
    return samples


def audio(total_minutes: float, files: int) -> list[Path]:
    """`files` WAV recordings (mono, 44.1 kHz, 16 bit: as a recorder writes them) adding up to total_minutes.
    (FLAC is not an accepted upload format.)"""
    import av

    minutes = total_minutes / files
    out = []
    chunks = None
    for f in range(files):
        path = CACHE / "audio" / f"testimony-{f:03d}-{minutes:g}min.wav"
        out.append(path)
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        chunks = chunks or [_speech_chunk(s) for s in range(6)]
        rnd = random.Random(f)
        with av.open(str(path), "w", format="wav") as container:
            stream = container.add_stream("pcm_s16le", rate=RATE, layout="mono")
            for _i in range(int(minutes * 6)):
                chunk = rnd.choice(chunks)
                frame = av.AudioFrame(format="s16", layout="mono", samples=len(chunk))
                frame.planes[0].update(chunk.tobytes())
                frame.sample_rate = RATE
                for packet in stream.encode(frame):
                    container.mux(packet)
            for packet in stream.encode(None):
                container.mux(packet)
    return out


# --- runs ----------------------------------------------------------------------------------------

def raw_dzsave_child(paths: list[str]) -> None:
    import pyvips

    out = tempfile.mkdtemp(prefix="bench-raw-")
    # the span starts after Python and libvips are loaded, as the workers' tasks do
    start, cpu = time.time(), time.process_time()
    try:
        for i, p in enumerate(paths):
            pyvips.Image.new_from_file(p, access="sequential").dzsave(
                os.path.join(out, str(i)), layout="iiif3", tile_size=512, overlap=0, suffix=".jpg[Q=80]")
        print(start, time.time(), time.process_time() - cpu)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def raw_dzsave(paths: list[Path], workers: int) -> tuple[float, float]:
    """(seconds from the first start to the last end, CPU seconds of all the processes' dzsaves)."""
    procs = [subprocess.Popen([sys.executable, __file__, "--raw-child", *map(str, paths[w::workers])],
                              stdout=subprocess.PIPE, text=True) for w in range(workers)]
    spans = [list(map(float, p.communicate()[0].split())) for p in procs]
    return (max(end for _start, end, _cpu in spans) - min(start for start, _end, _cpu in spans),
            sum(cpu for _start, _end, cpu in spans))


def start_worker(var: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "run_worker", "--queue", "media", "--batch",
                             "--no-reload", "--no-startup-delay", "--interval", "0.2", "--sweep-every", "0"],
                            env=env_for(var), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_rss(proc: subprocess.Popen) -> tuple[float, float]:
    """Wait for a worker; (its peak RSS in MB, its CPU seconds) (ru_maxrss, ru_utime + ru_stime)."""
    _pid, _status, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0
    return usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def fresh_var(folder: Path, work: str, label: str) -> str:
    """A new archive with the folder ingested (--queue: processing waits for the workers)."""
    var = os.path.join(work, label)
    manage(var, "migrate", "--verbosity", "0")
    t = time.perf_counter()
    manage(var, "ingest", str(folder), "--queue", "--no-progress")
    took = time.perf_counter() - t
    size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
    print(f"  ingest --queue of {label}: {took:.1f} s ({size / took:.0f} MB/s: sha256, quarantine, type by "
          "decoding, items and consent)")
    return var


def run_batch(files: list[Path], workers: int, work: str, label: str) -> tuple[float, float, list[float], float]:
    """(wall seconds with the workers' start, seconds from the first task's start to the last one's end,
    peak RSS of each worker, the workers' CPU seconds less a worker's start on an empty queue)."""
    folder = Path(work) / f"{label}-src"
    folder.mkdir()
    for p in files:
        os.link(p, folder / p.name)
    var = fresh_var(folder, work, label)
    t = time.perf_counter()
    procs = [start_worker(var) for _w in range(workers)]
    done = [wait_rss(p) for p in procs]
    wall = time.perf_counter() - t
    _rss, idle_cpu = wait_rss(start_worker(var))  # the queue is empty now: start-up and exit only
    return wall, float(query(var, SPAN)), [r for r, _c in done], sum(c for _r, c in done) - workers * idle_cpu


def check(var: str, n: int) -> str:
    models = "__import__('archive.models', fromlist=['x'])"
    assets = "__import__('media_pipeline.models', fromlist=['x']).MediaAsset.objects"
    items, uses, assets, ready = map(int, query(
        var, f"{models}.Item.objects.count(), {models}.ItemMedia.objects.count(), {assets}.count(), "
             f"{assets}.filter(status='ready').count()").split())
    tiles = len(list(Path(var, "private").glob("assets/*/iiif/info.json")))
    half = [p for p in Path(var, "private").rglob("*") if ".build" in p.parts or p.suffix == ".part"]
    ok = items == uses == assets == ready == tiles == n and not half
    return (f"items {items}, uses {uses}, assets {assets}, ready {ready}, tile sets {tiles}, half-built "
            f"{len(half)}: {'nothing lost or duplicated' if ok else 'MISMATCH'}")


def kill_run(files: list[Path], work: str) -> None:
    folder = Path(work) / "kill-src"
    folder.mkdir()
    for p in files:
        os.link(p, folder / p.name)
    var = fresh_var(folder, work, "kill")
    procs = [start_worker(var) for _w in range(2)]
    # Kill the first worker once about a third of the batch is ready (it is then mid-task).
    script = "__import__('media_pipeline.models', fromlist=['x']).MediaAsset.objects.filter(status='ready').count()"
    while int(query(var, script)) < len(files) // 3:
        time.sleep(0.5)
    os.kill(procs[0].pid, signal.SIGKILL)
    procs[0].wait()
    done = int(query(var, script))
    print(f"  killed worker {procs[0].pid} (SIGKILL) with {done}/{len(files)} ready; starting a new one")
    procs[1].wait()
    replacement = start_worker(var)  # re-queues the dead worker's task at start, takes over its lease
    replacement.wait()
    print(f"  after the replacement worker: {check(var, len(files))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--audio-minutes", type=float, default=60.0)
    parser.add_argument("--audio-files", type=int, default=4)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-kill", action="store_true")
    parser.add_argument("--beside", choices=["auto", "on", "off"], default="auto",
                        help="the workers' MEDIA_DERIVATIVES_BESIDE_TILES: auto (unset, the default), 1 or 0")
    parser.add_argument("--raw-child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.raw_child:
        raw_dzsave_child(args.raw_child)
        return
    if args.beside != "auto":
        os.environ["MEDIA_DERIVATIVES_BESIDE_TILES"] = "1" if args.beside == "on" else "0"
    import pyvips

    t = time.perf_counter()
    pics = photos(args.photos)
    recordings = audio(args.audio_minutes, args.audio_files) if args.audio_minutes else []
    mp = sum(pyvips.Image.new_from_file(str(p)).width * pyvips.Image.new_from_file(str(p)).height
             for p in pics) / 1e6
    print(f"{os.cpu_count()} CPUs, libvips {pyvips.version(0)}.{pyvips.version(1)}; {len(pics)} photos "
          f"({mp:.0f} MP, {mp / len(pics):.1f} MP mean), {args.audio_minutes:g} min of audio in "
          f"{len(recordings)} WAV files; inputs ready in {time.perf_counter() - t:.0f} s (cached in {CACHE})")
    work = tempfile.mkdtemp(prefix="bench-volume-")
    rates = {}
    try:
        for n in args.workers:
            load = os.getloadavg()[0]
            raw, raw_cpu = raw_dzsave(pics, n)
            wall, took, rss, cpu = run_batch(pics, n, work, f"photos-{n}")
            rates[n] = mp / took
            print(f"photos, {n} worker(s): {took:6.1f} s of tasks ({wall:.1f} s with the workers' start), "
                  f"{mp / took:5.1f} MP/s, {len(pics) / took * 3600:6.0f} photos/h; raw dzsave in {n} process(es) "
                  f"{mp / raw:5.1f} MP/s: ratio {raw / took:.2f}; CPU per photo raw {raw_cpu / len(pics) * 1000:.0f} "
                  f"ms, worker {cpu / len(pics) * 1000:.0f} ms (ratio {raw_cpu / cpu:.2f}); peak RSS per worker "
                  f"{', '.join(f'{r:.0f}' for r in rss)} MB (load {load:.1f} before, {os.getloadavg()[0]:.1f} after)")
            if recordings:
                wall, took, rss, _cpu = run_batch(recordings, n, work, f"audio-{n}")
                hours = args.audio_minutes / 60
                print(f"audio,  {n} worker(s): {took:6.1f} s of tasks ({wall:.1f} s with the workers' start), "
                      f"{hours / (took / 3600):6.1f} audio hours per hour; peak RSS per worker "
                      f"{', '.join(f'{r:.0f}' for r in rss)} MB")
        if 1 in rates and 2 in rates:
            print(f"two workers / one worker (photos): {rates[2] / rates[1]:.2f}x")
        if not args.no_kill:
            print(f"kill run: {len(pics)} photos, two workers")
            kill_run(pics, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""IIIF benchmark: the collection of a 500-item exhibition, cold and warm, and manifests per second.

    .venv/bin/python bench/iiif.py [--items 500] [--manifests 200] [--repeat 15]

Embedded defaults in a fresh temporary var/ directory (SQLite unless DATABASE_URL is set). One
synthetic photograph goes through the real media pipeline (intake, process, tiles, publish) and
every item of the exhibition uses it, so collection entries carry real thumbnail URLs and
manifests a real level-0 image service.

Figures (median of --repeat runs):
- collection cold: the cache emptied before each run; the view's work (read-time visibility,
  fingerprint query, build with iiif-prezi3, serialise) and the full HTTP request;
- collection warm: the fingerprint query + a cache hit, and the full HTTP request;
- manifests/s: single-item manifests built cold (no cache), and served warm over HTTP;
- baseline: a 404 manifest request through the same middleware stack, for ratios.
Targets: collection under 300 ms cold, under 10 ms warm.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(name: str = "iiif") -> None:
    """Django on a throw-away SQLite archive (also used by bench/oai.py)."""
    os.environ["MEMORIES_VAR_DIR"] = tempfile.mkdtemp(prefix=f"memories-bench-{name}-")
    for name in ("ELASTICSEARCH_URL", "S3_PUBLIC_BUCKET"):
        os.environ.pop(name, None)
    # No task runs while the fixture is built (search indexing is not what is measured here).
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "memorial.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def synthetic_jpeg(width: int = 1600, height: int = 1100) -> bytes:
    from PIL import Image

    img = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def build_fixture(n_items: int):
    from django.db import transaction

    from archive import services
    from archive.models import SURFACES, Contributor, Item, ItemMedia
    from exhibitions.models import Exhibition, ExhibitionEntry
    from media_pipeline import services as media

    asset = media.process(media.intake(io.BytesIO(synthetic_jpeg()), "bench.jpg"))
    media.publish(asset)
    with transaction.atomic():
        exhibition = Exhibition.objects.create(slug="bench-500", title={"en": "Bench exhibition", "fr": "Banc"},
                                               summary={"en": "Synthetic."}, status=Exhibition.Status.PUBLISHED)
        items = []
        for i in range(n_items):
            item = Item.objects.create(
                kind=Item.Kind.PHOTOGRAPH, status=Item.Status.PUBLISHED,
                title={"en": f"Synthetic photograph {i}", "ar": f"صورة {i}", "fr": f"Photographie {i}"},
                summary={"en": "A synthetic photograph for the benchmark."},
                contributor=Contributor.objects.create(name=f"Bench Person {i}"),
            )
            services.record_consent(item, scopes=list(SURFACES), name_display="initials",
                                    display_name=f"Bench Person {i}", propagate=False, actor_label="bench")
            ItemMedia.objects.create(item=item, asset=asset, role=ItemMedia.Role.PHOTO, alt_text={"en": "Gradient"})
            items.append(item)
        ExhibitionEntry.objects.bulk_create(
            ExhibitionEntry(exhibition=exhibition, item=item, position=i) for i, item in enumerate(items))
    return exhibition, items


CPU: dict[str, float] = {}


def median_ms(fn, repeat: int, before=None, label: str = "") -> float:
    """Median wall time in ms; the median CPU time of this process is kept in CPU[label] (on a
    shared, loaded machine wall time includes waiting for a core, CPU time does not)."""
    times, cpu = [], []
    for _ in range(repeat):
        if before:
            before()
        c, t = time.process_time(), time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    CPU[label] = statistics.median(cpu)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--manifests", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    setup_django()
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client
    from django.utils import timezone

    from exhibitions import selectors
    from exhibitions.iiif import builders, collections
    from exhibitions.iiif import cache as iiif_cache
    from exhibitions.iiif.views import _item

    settings.ALLOWED_HOSTS = ["*"]
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the baseline's 404s are expected
    t0 = time.perf_counter()
    exhibition, items = build_fixture(args.items)
    print(f"fixture: {args.items} items with consent and a published photo, in {time.perf_counter() - t0:.1f} s "
          f"({settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]})")

    client = Client()
    url = f"/iiif/collection/exhibition/{exhibition.slug}"

    def view_work():
        now = timezone.now()
        ex = selectors.live_exhibitions(now).get(slug=exhibition.slug)
        return iiif_cache.cached("exhibition", selectors.entries_version(ex, now),
                                 lambda: collections.build_exhibition_collection(ex, now))

    def http_get(path):
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        return response

    doc = view_work()
    size_kb = len(doc.body) / 1024
    n_refs = doc.body.count(b'"type":"Manifest"')
    assert n_refs == args.items, n_refs

    cold = median_ms(view_work, args.repeat, before=cache.clear, label="cold")
    cold_http = median_ms(lambda: http_get(url), args.repeat, before=cache.clear, label="cold_http")
    view_work()
    warm = median_ms(view_work, args.repeat * 4, label="warm")
    warm_http = median_ms(lambda: http_get(url), args.repeat * 4, label="warm_http")
    missing = "/iiif/item/00000000-0000-0000-0000-000000000000/manifest"
    baseline = median_ms(lambda: http_get(missing), args.repeat * 4)

    sample = items[: args.manifests]
    t = time.perf_counter()
    for item in sample:
        builders.build_manifest(_item(str(item.pk)), timezone.now())
    cold_rate = len(sample) / (time.perf_counter() - t)
    for item in sample:  # fill the cache
        http_get(f"/iiif/item/{item.pk}/manifest")
    t = time.perf_counter()
    for item in sample:
        http_get(f"/iiif/item/{item.pk}/manifest")
    warm_rate = len(sample) / (time.perf_counter() - t)

    load = os.getloadavg()[0]
    print(f"collection of {args.items} items: {size_kb:.0f} KB JSON   (load average {load:.1f} on "
          f"{os.cpu_count()} cores; CPU ms = this process's CPU time, wall ms includes waiting for a core)")
    print(f"  cold (view work: visibility + fingerprint + build + serialise): {cold:7.1f} ms wall "
          f"{CPU['cold']:7.1f} ms CPU  target < 300 ms  {'OK' if min(cold, CPU['cold']) < 300 else 'MISSED'}")
    print(f"  cold (full HTTP request through middleware):                   {cold_http:7.1f} ms wall "
          f"{CPU['cold_http']:7.1f} ms CPU")
    print(f"  warm (view work: visibility + fingerprint + cache hit):         {warm:7.2f} ms wall "
          f"{CPU['warm']:7.2f} ms CPU  target < 10 ms  {'OK' if min(warm, CPU['warm']) < 10 else 'MISSED'}")
    print(f"  warm (full HTTP request):                                      {warm_http:7.2f} ms wall "
          f"{CPU['warm_http']:7.2f} ms CPU")
    print(f"  baseline (404 manifest, same stack):                           {baseline:7.2f} ms"
          f"  -> warm/baseline {warm_http / baseline:.1f}x, cold/baseline {cold_http / baseline:.0f}x")
    print(f"single-item manifests: {cold_rate:7.0f}/s built cold (no cache), {warm_rate:7.0f}/s served warm over HTTP")


if __name__ == "__main__":
    main()

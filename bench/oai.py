"""OAI-PMH benchmark: a full harvest of N items through resumption tokens, per response.

    .venv/bin/python bench/oai.py [--items 2000] [--withdrawn 200]

Embedded defaults in a fresh temporary var/ directory (SQLite unless DATABASE_URL is set). Items
are synthetic text items (no media) with consent given for every surface; --withdrawn of them are
withdrawn afterwards, so the harvest carries deleted headers too. Prints, for ListRecords (oai_dc
and memories) and ListIdentifiers with OAI_PAGE_SIZE records a response: responses, the median and
worst time of one response over HTTP (Django's test client, the whole middleware stack), queries
per response, and the total time of the harvest.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from iiif import setup_django  # noqa: E402 (bench/ is the script's own folder)


def build(n_items: int, n_withdrawn: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from archive import services
    from archive.models import SURFACES, Item

    with transaction.atomic():
        for n in range(n_items):
            item = Item.objects.create(kind=Item.Kind.OBJECT_STORY, status=Item.Status.PUBLISHED,
                                       title={"en": f"Synthetic object {n}", "fr": f"Objet fictif {n}"},
                                       summary={"en": f"A synthetic summary {n}"}, published_at=timezone.now())
            services.record_consent(item, scopes=list(SURFACES), propagate=False, actor_label="bench",
                                    name_display="initials", display_name="Synthetic Person")
            if n < n_withdrawn:
                services.record_consent(item, scopes=[], withdrawn=True, propagate=False, actor_label="bench")


def harvest(client, verb: str, prefix: str) -> dict:
    from django.db import connection
    from lxml import etree

    ns = {"o": "http://www.openarchives.org/OAI/2.0/"}
    params = {"verb": verb, "metadataPrefix": prefix}
    times, queries, headers = [], [], 0
    started = time.perf_counter()
    while True:
        count: list[int] = []
        with connection.execute_wrapper(lambda execute, *a, seen=count: seen.append(1) or execute(*a)):
            t0 = time.perf_counter()
            response = client.get("/oai/", params)
            times.append(time.perf_counter() - t0)
        queries.append(len(count))
        root = etree.fromstring(response.content)
        headers += len(root.findall(".//o:header", ns))
        token = root.findtext(".//o:resumptionToken", namespaces=ns)
        if not token:
            break
        params = {"verb": verb, "resumptionToken": token}
    return {"responses": len(times), "headers": headers, "median_ms": statistics.median(times) * 1000,
            "worst_ms": max(times) * 1000, "queries": max(queries), "total_s": time.perf_counter() - started}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--withdrawn", type=int, default=200)
    args = parser.parse_args()
    setup_django("oai")
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    t0 = time.perf_counter()
    build(args.items, args.withdrawn)
    print(f"fixture: {args.items} items ({args.withdrawn} withdrawn) in {time.perf_counter() - t0:.1f} s; "
          f"{settings.OAI_PAGE_SIZE} a response; database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    client = Client()
    client.get("/oai/", {"verb": "Identify"})  # warm: imports, URL resolver, first connection
    for verb, prefix in (("ListIdentifiers", "oai_dc"), ("ListRecords", "oai_dc"), ("ListRecords", "memories")):
        r = harvest(client, verb, prefix)
        assert r["headers"] == args.items, r
        print(f"{verb:16} {prefix:9} {r['responses']:4} responses  median {r['median_ms']:7.1f} ms  "
              f"worst {r['worst_ms']:7.1f} ms  {r['queries']:3} queries/response  harvest {r['total_s']:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

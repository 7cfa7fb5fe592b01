"""OAI-PMH benchmark: a full harvest of N items through resumption tokens, per response.

    .venv/bin/python bench/oai.py [--items 2000] [--withdrawn 200] [--exhibited 200]

Embedded defaults in a fresh temporary var/ directory (SQLite unless DATABASE_URL is set). Items
are synthetic text items (no media) with consent given for every surface; --withdrawn of them are
withdrawn afterwards, so the harvest carries deleted headers too; --exhibited of them are placed in
five live exhibitions (ten entries each at most per item: one per exhibition). Prints, for
ListRecords (oai_dc and memories) and ListIdentifiers with OAI_PAGE_SIZE records a response:
responses, the median and worst time of one response over HTTP (Django's test client, the whole
middleware stack), queries per response, and the total time of the harvest. Then an incremental
harvest: ListIdentifiers `from=` a moment after the fixture was built, when 1% of the items have a
new consent version since (the `from` filter reads every record's datestamp: the cost that grows
with the archive).
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


def build(n_items: int, n_withdrawn: int, n_exhibited: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from archive import services
    from archive.models import SURFACES, Item
    from exhibitions.models import Exhibition, ExhibitionEntry

    with transaction.atomic():
        exhibitions = [Exhibition.objects.create(slug=f"bench-{n}", title={"en": f"Bench {n}"},
                                                 status=Exhibition.Status.PUBLISHED) for n in range(5)]
        for n in range(n_items):
            item = Item.objects.create(kind=Item.Kind.OBJECT_STORY, status=Item.Status.PUBLISHED,
                                       title={"en": f"Synthetic object {n}", "fr": f"Objet fictif {n}"},
                                       summary={"en": f"A synthetic summary {n}"}, published_at=timezone.now())
            services.record_consent(item, scopes=list(SURFACES), propagate=False, actor_label="bench",
                                    name_display="initials", display_name="Synthetic Person")
            if n < n_withdrawn:
                services.record_consent(item, scopes=[], withdrawn=True, propagate=False, actor_label="bench")
            if n_items - n <= n_exhibited:
                ExhibitionEntry.objects.create(exhibition=exhibitions[n % 5], item=item, position=n)


def change_some(share: float) -> int:
    """A new consent version (every scope again) for `share` of the items, spread over the list."""
    from archive import services
    from archive.models import SURFACES, Item

    every = max(1, round(1 / share))
    changed = 0
    for n, item in enumerate(Item.objects.order_by("pk")):
        if n % every == 0:
            services.record_consent(item, scopes=list(SURFACES), propagate=False, actor_label="bench",
                                    name_display="initials", display_name="Synthetic Person")
            changed += 1
    return changed


def harvest(client, verb: str, prefix: str, since: str | None = None) -> dict:
    from django.db import connection
    from lxml import etree

    ns = {"o": "http://www.openarchives.org/OAI/2.0/"}
    params = {"verb": verb, "metadataPrefix": prefix, **({"from": since} if since else {})}
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
    parser.add_argument("--exhibited", type=int, default=200)
    args = parser.parse_args()
    setup_django("oai")
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    t0 = time.perf_counter()
    build(args.items, args.withdrawn, args.exhibited)
    from memorial import statistics

    statistics.refresh()  # as the worker's sweep keeps them (hourly): plans are chosen with statistics
    print(f"fixture: {args.items} items ({args.withdrawn} withdrawn, {args.exhibited} exhibited) in {time.perf_counter() - t0:.1f} s; "
          f"{settings.OAI_PAGE_SIZE} a response; database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    client = Client()
    client.get("/oai/", {"verb": "Identify"})  # warm: imports, URL resolver, first connection
    for verb, prefix in (("ListIdentifiers", "oai_dc"), ("ListRecords", "oai_dc"), ("ListRecords", "memories")):
        r = harvest(client, verb, prefix)
        assert r["headers"] == args.items, r
        print(f"{verb:16} {prefix:9} {r['responses']:4} responses  median {r['median_ms']:7.1f} ms  "
              f"worst {r['worst_ms']:7.1f} ms  {r['queries']:3} queries/response  harvest {r['total_s']:.1f} s")
    incremental(client)
    return 0


def incremental(client) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from exhibitions.oai.protocol import stamp

    since = stamp(timezone.now() + timedelta(seconds=1))  # truncated to the second: past in 1.1 s
    time.sleep(1.1)
    changed = change_some(0.01)
    r = harvest(client, "ListIdentifiers", "oai_dc", since)
    assert r["headers"] == changed, (r, changed)
    print(f"{'ListIdentifiers':16} {'from=':9} {r['responses']:4} responses  median {r['median_ms']:7.1f} ms  "
          f"worst {r['worst_ms']:7.1f} ms  {r['queries']:3} queries/response  ({changed} changed records)")


if __name__ == "__main__":
    raise SystemExit(main())

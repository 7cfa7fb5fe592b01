"""Research access benchmark: what the IIIF Authorization Flow 2.0 services cost per request.

    .venv/bin/python bench/research.py [--requests 300]

Embedded defaults in a fresh temporary var/ directory (SQLite unless DATABASE_URL is set). One
synthetic photograph goes through the real media pipeline and is shared for research only (never
published); one researcher is approved. Through Django's test client (the whole middleware stack),
median and p95 per request of: the probe with a token (access and consent read from the database
every time, nothing cached), the research manifest (described), info.json, the image bytes from
private storage (audited), and the token service page; a public 404 manifest as the baseline.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.iiif import setup_django, synthetic_jpeg  # noqa: E402


def fixture():
    import io

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from archive import services
    from archive.models import Item, ItemMedia
    from archive.research import services as research
    from media_pipeline import services as media

    User = get_user_model()
    archivist = User.objects.create_user("bench-archivist", password="x", is_staff=True)
    user = User.objects.create_user("bench-researcher", password="x")
    access = research.apply(user, institution="Bench", purpose="Bench", agreement_accepted=True)
    research.approve(access, actor=archivist, expires_at=timezone.now() + timedelta(days=1))
    item = Item.objects.create(kind=Item.Kind.PHOTOGRAPH, status=Item.Status.PUBLISHED, title={"en": "Bench"},
                               published_at=timezone.now())
    services.record_consent(item, scopes=["research"], actor_label="bench", propagate=False)
    asset = media.process(media.intake(io.BytesIO(synthetic_jpeg()), "bench.jpg"))
    use = ItemMedia.objects.create(item=item, asset=asset, role=ItemMedia.Role.PHOTO)
    return user, item, use


def timed(call, n: int) -> tuple[float, float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    import os

    os.environ.setdefault("LOG_LEVEL", "ERROR")  # the baseline's 404s are not news
    setup_django()
    import json
    import re

    from django.test import Client

    user, item, use = fixture()
    client = Client()
    client.force_login(user)
    page = client.get("/iiif/research/auth/token", {"messageId": "b", "origin": "https://viewer.example.org"})
    token = json.loads(re.search(rb'id="iiif-token-message" type="application/json">(.*?)</script>',
                                 page.content).group(1))["accessToken"]
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    base = f"/iiif/research/item/{item.pk}"
    image = f"{base}/image/{use.pk}"

    def image_bytes():
        response = client.get(f"{image}/full/max/0/default.jpg", **bearer)
        assert response.status_code == 200
        b"".join(response.streaming_content)

    cases = [
        ("probe (token, 200)", lambda: client.get(f"{image}/probe", **bearer)),
        ("manifest (described)", lambda: client.get(f"{base}/manifest", **bearer)),
        ("info.json", lambda: client.get(f"{image}/info.json")),
        ("image bytes (audited)", image_bytes),
        ("token service page", lambda: client.get("/iiif/research/auth/token",
                                                   {"messageId": "b", "origin": "https://viewer.example.org"})),
        ("baseline: public 404 manifest", lambda: client.get("/iiif/item/00000000-0000-0000-0000-000000000000/manifest")),
    ]
    print(f"{'request':34} {'median ms':>10} {'p95 ms':>8}  ({args.requests} each)")
    for name, call in cases:
        call()  # warm
        median, p95 = timed(call, args.requests)
        print(f"{name:34} {median:10.2f} {p95:8.2f}")


if __name__ == "__main__":
    main()

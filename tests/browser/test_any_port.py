"""`make run` on another port: images and deep zoom load in Chromium (issue 20, "any clone, any port").

Real commands, as a newcomer types them, in a throw-away var dir: `make demo PORT=A` seeds the demo
(its info.json files say port A), then `make run PORT=B` with SITE_URL unset serves it on port B
(the base follows PORT, and rebase_media repairs what was written under A). Chromium opens a
photograph's page: every image, info.json and tile answers 200, all from port B, and OpenSeadragon
drew pixels on its canvas.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
PY = ROOT / ".venv" / "bin" / "python"
# The suite already runs on an installed tree: `install` and `messages` are not remade (-o), so
# compilemessages never rewrites the .mo files under tests running beside this one.
MAKE = ["make", "-o", "install", "-o", "messages"]

FIND_PHOTO = r"""
import json, django
django.setup()
from archive import consent
from archive.models import Item
items = consent.visible_items("web").filter(kind=Item.Kind.PHOTOGRAPH, content_warnings=[])
print(json.dumps([str(pk) for pk in items.values_list("pk", flat=True) if consent.allows(Item.objects.get(pk=pk), "iiif")][:1]))
"""


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"make run exited with {process.returncode}:\n{process.stdout.read()[-3000:]}")
        try:
            if urllib.request.urlopen(url, timeout=2).status == 200:  # noqa: S310 (loopback)
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"make run did not answer at {url} within {seconds:.0f} s")


@pytest.fixture
def archive_env():
    var_dir = Path(tempfile.mkdtemp(prefix="memories-anyport-"))
    env = {k: v for k, v in os.environ.items()
           if k not in ("SITE_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "S3_PUBLIC_BUCKET", "S3_PRIVATE_BUCKET",
                        "ELASTICSEARCH_URL", "CACHE_URL")}
    env.update(MEMORIES_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="memorial.settings")
    yield env
    subprocess.run(["rm", "-rf", str(var_dir)], check=False)


def test_make_run_on_another_port_serves_images_and_deep_zoom(chromium, archive_env):
    seeded_at, port = free_port(), free_port()
    subprocess.run([*MAKE, "demo", f"PORT={seeded_at}"], cwd=ROOT, env=archive_env, check=True,
                   stdout=subprocess.DEVNULL, timeout=600)
    photo = json.loads(subprocess.run([str(PY), "-c", FIND_PHOTO], cwd=ROOT, env=archive_env, check=True,
                                      capture_output=True, text=True).stdout.strip().splitlines()[-1])
    assert photo, "the demo has no photograph shown on the web and through IIIF"
    server = subprocess.Popen([*MAKE, "run", f"PORT={port}"], cwd=ROOT, env=archive_env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    responses: list[tuple[str, int]] = []
    page.on("response", lambda r: responses.append((r.url, r.status)))
    try:
        wait_for(f"{base}/en/", server)
        page.goto(f"{base}/en/items/{photo[0]}/")
        page.locator(".viewer__stage").hover()  # the zoom is fetched when the visitor reaches for the photo
        page.wait_for_function(
            "() => performance.getEntriesByType('resource').some(e => /\\/iiif\\/.+\\/default\\.jpg$/.test(e.name))")
        # OpenSeadragon draws the tiles on its canvas: some pixel there is not blank.
        page.wait_for_function("""() => {
            const c = document.querySelector('.openseadragon-canvas canvas');
            if (!c || !c.width) return false;
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            for (let i = 3; i < d.length; i += 4 * 97) if (d[i] > 0) return true;
            return false;
        }""")
        page.wait_for_timeout(500)
    finally:
        context.close()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    media = [(url, status) for url, status in responses if "/media/" in url]
    info = [(url, status) for url, status in media if url.endswith("/info.json")]
    tiles = [(url, status) for url, status in media if "/iiif/" in url and url.endswith("/default.jpg")]
    assert info and tiles and len(media) > len(info) + len(tiles), responses  # pictures, info.json, tiles
    assert all(status == 200 and url.startswith(base + "/") for url, status in media), media
    assert not [url for url, _status in responses if f":{seeded_at}/" in url]  # nothing asked of the old port

"""Mirador (from npm) in Debian's Chromium opens one of our item manifests and loads its tiles.

No bypass of our Content Security Policy: the page is served as visitors get it.
"""

import os
from urllib.parse import quote

import pytest
from django.urls import reverse

from tests.iiif.media import photo_item

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live server thread + Playwright's loop


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mirador_loads_an_item_manifest_and_its_tiles(chromium, live_server, settings):
    settings.SITE_URL = live_server.url  # ids in the manifest and info.json point at this server
    item, use = photo_item(width=1400, height=1000)
    manifest = live_server.url + reverse("iiif:manifest", kwargs={"item_id": item.pk})

    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    responses = []
    page.on("response", lambda r: responses.append((r.url, r.status)))
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        with page.expect_response(lambda r: "/iiif/" in r.url and r.url.endswith("/default.jpg"), timeout=45_000):
            page.goto(f"{live_server.url}/en/viewer/?manifest={quote(manifest, safe='')}")
        page.wait_for_timeout(1500)  # let the first screenful of tiles arrive
        title = page.locator("#mirador").inner_text()
    finally:
        context.close()

    service = f"/{use.asset.public_token}/iiif/"
    tiles = [(url, status) for url, status in responses if service in url and url.endswith("/default.jpg")]
    assert tiles, responses
    assert all(status == 200 for _, status in tiles), tiles
    assert any(url == manifest and status == 200 for url, status in responses)
    assert any(url.endswith(service + "info.json") and status == 200 for url, status in responses)
    assert item.title["en"] in title  # Mirador shows the manifest's label
    assert not errors, errors

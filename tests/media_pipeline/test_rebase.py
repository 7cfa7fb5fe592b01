"""manage.py rebase_media: info.json written under one public base is rewritten for the next one
(the site restarted on another port, host or domain), and never re-created for closed tiles."""

import io
import json

import pytest
from django.core.management import call_command

from media_pipeline import services
from tests.media_pipeline import makers

pytestmark = pytest.mark.django_db


def rebase() -> str:
    out = io.StringIO()
    call_command("rebase_media", stdout=out)
    return out.getvalue()


def info(media_storage, asset) -> dict:
    asset.refresh_from_db()
    return json.loads((media_storage["public"] / f"p/{asset.public_token}/iiif/info.json").read_text())


def test_info_json_follows_the_new_base_and_closed_tiles_stay_closed(settings, ingest, media_storage):
    settings.SITE_URL = "http://127.0.0.1:8000"
    shown, closed = (ingest(makers.jpeg(640, 480), f"{n}.jpg") for n in ("shown", "closed"))
    for asset in (shown, closed):
        services.process(asset)
        services.publish(asset)
    services.publish(closed, tiles=False)  # the IIIF scope withdrawn since: no image service
    assert info(media_storage, shown)["id"].startswith("http://127.0.0.1:8000/media/")

    settings.SITE_URL = "http://127.0.0.1:8123"
    assert "1 of 1 published image services re-based to http://127.0.0.1:8123." in rebase()
    assert info(media_storage, shown)["id"] == services.image_service_id(shown)
    assert info(media_storage, shown)["id"].startswith("http://127.0.0.1:8123/media/p/")
    closed.refresh_from_db()
    assert not (media_storage["public"] / f"p/{closed.public_token}/iiif").exists()
    assert "0 of 1 published" in rebase()  # already right: nothing rewritten

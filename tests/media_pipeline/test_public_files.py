"""Public files for another base and another reader: manage.py rebase_media rewrites info.json
written under one public base for the next one, and public files are readable by a web server (nginx).
A retracted image service is never re-created by a re-base."""

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


def test_public_files_made_from_private_temporary_files_are_readable_by_a_web_server(media_storage, tmp_path):
    # A tile fetched from S3 lands in a 0600 temporary file; linked into the public folder as is,
    # nginx (another user) answered 403 for every tile (seen in tests/stack).
    import os
    import stat

    from django.core.files.storage import storages

    from media_pipeline import storage

    for n, kw in enumerate(({"link": True}, {}, {"move": True})):
        src = tmp_path / f"fetched-{n}.jpg"
        src.write_bytes(b"synthetic tile")
        src.chmod(0o600)
        storage.put_file(storages["public"], f"p/token/iiif/{n}.jpg", str(src), **kw)
        mode = stat.S_IMODE(os.stat(media_storage["public"] / f"p/token/iiif/{n}.jpg").st_mode)
        assert mode == 0o644, (kw, oct(mode))

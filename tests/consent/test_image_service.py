"""The IIIF image service (info.json and level-0 tiles) belongs to the `iiif` scope (DESIGN.md):
an item open to the web but not to IIIF shows its photograph, without deep zoom and without any
tile in public storage; adding and removing `iiif` publishes and retracts the tiles."""

import os

import pytest

from archive import services
from media_pipeline import services as media
from tests.consent import surfaces_render as render
from tests.iiif.media import photo_item

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _tiles_on_disk(asset) -> bool:
    from django.conf import settings

    root = settings.STORAGES["public"]["OPTIONS"]["location"]
    return os.path.isdir(os.path.join(root, media.public_prefix(asset), "iiif"))


def _consent(item, scopes, capture):
    with capture(execute=True):
        services.record_consent(item, scopes=scopes, actor_label="test")
    item.refresh_from_db()


def test_tiles_follow_the_iiif_scope(client, fresh_storage, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "http://testserver"
    item, use = photo_item(600, 400)
    _consent(item, ["web"], django_capture_on_commit_callbacks)
    asset = use.asset
    asset.refresh_from_db()
    page = client.get(render._url("item-detail", item_id=item.pk)).content.decode()
    assert asset.is_published and "web" in media.public_urls(asset)
    assert "iiif" not in media.public_urls(asset) and not _tiles_on_disk(asset)
    assert "data-iiif-info" not in page and media.public_urls(asset)["web_jpeg"].split("testserver")[-1] in page

    _consent(item, ["web", "iiif"], django_capture_on_commit_callbacks)
    asset.refresh_from_db()
    info = media.public_urls(asset)["iiif"].split("testserver")[-1] + "/info.json"
    assert _tiles_on_disk(asset) and client.get(info).status_code == 200
    assert "data-iiif-info" in client.get(render._url("item-detail", item_id=item.pk)).content.decode()

    _consent(item, ["web"], django_capture_on_commit_callbacks)
    asset.refresh_from_db()
    assert client.get(info).status_code == 404  # the old tile URLs die with their token
    assert not _tiles_on_disk(asset) and asset.is_published and "web" in media.public_urls(asset)

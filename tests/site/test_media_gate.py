"""The media gate (memorial/fastpath.py, MEDIA_GATE_PATH): nginx serves public media from disk and
asks it first (deploy/nginx.conf, auth_request). A closed file must be refused the moment the
change commits, and at its public_until with no sweep, even though its bytes are still on disk."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from media_pipeline import publication
from media_pipeline import services as media
from memorial.fastpath import MEDIA_GATE_PATH, FastPath
from tests.iiif.media import photo_item
from tests.site.test_fast_path import _tile, teapot
from tests.wsgi import call

pytestmark = pytest.mark.django_db


@pytest.fixture
def nginx_fronted(fresh_storage, settings):
    # As in compose.yaml: nginx serves the public folder, Python does not.
    settings.SERVE_PUBLIC_MEDIA = False
    settings.SITE_URL = "http://testserver"
    return fresh_storage


def gate(app, uri: str, **kw) -> int:
    return call(app, MEDIA_GATE_PATH, headers={"X-Original-URI": uri}, **kw).status


def test_the_gate_follows_the_published_state_not_the_disk(nginx_fronted):
    _item, use = photo_item(600, 400)
    tile = _tile(use.asset, nginx_fronted["public"])
    info = tile.split("/iiif/")[0] + "/iiif/info.json"
    app = FastPath(teapot)
    assert gate(app, tile) == 204 and gate(app, info) == 204
    # Whatever the host or scheme nginx's subrequest carries, the answer is about the file only.
    assert gate(app, tile, host="elsewhere.example", scheme="http") == 204
    assert call(app, tile).status == 418  # Python does not serve the file itself here

    # A consent change closes the published state in its transaction; the bytes wait for the task.
    publication.close([use.asset])
    assert os.path.exists(os.path.join(nginx_fronted["public"], tile.removeprefix("/media/")))
    assert gate(app, tile) == 403 and gate(app, info) == 403
    media.retract(use.asset)
    assert gate(app, tile) == 403


def test_expiry_and_closed_tiles_are_refused_at_read_time(nginx_fronted):
    _item, use = photo_item(600, 400)
    asset = use.asset
    tile = _tile(asset, nginx_fronted["public"])
    app = FastPath(teapot)
    publication.set_public_until([asset], timezone.now() - timedelta(seconds=1))
    assert gate(app, tile) == 403
    publication.set_public_until([asset], None)
    assert gate(app, tile) == 204
    publication.close([asset], tiles_only=True)
    assert gate(app, tile) == 403


def test_only_public_media_uris_pass(nginx_fronted):
    _item, use = photo_item(600, 400)
    tile = _tile(use.asset, nginx_fronted["public"])
    app = FastPath(teapot)
    for uri in ["", "/static/x.css", tile.replace("/media/", "/other/"), "/media/p/", "/media/p/unknown/x.jpg",
                "/media/" + use.asset.master_key]:
        assert gate(app, uri) == 403, uri
    # nginx passes $request_uri: raw, with a query; the gate judges the file nginx maps it to.
    token = use.asset.public_token
    assert gate(app, tile + "?x=1") == 204
    assert gate(app, tile.replace(token, f"{token}/../{token}")) == 204
    assert gate(app, tile.replace("/media/p/", "/media//p/./")) == 204
    assert gate(app, tile.replace(token, token.replace(token[0], f"%{ord(token[0]):02X}", 1))) == 204
    assert gate(app, "/media/p/unknown/../../../private/" + use.asset.master_key) == 403
    assert call(app, MEDIA_GATE_PATH, method="POST", headers={"X-Original-URI": tile}).status == 418

"""memorial/fastpath.py: files and built IIIF documents answered in front of Django, with the same
headers, the same consent and nothing outside public storage.

The WSGI application is called as a server calls it. Where a test must tell which layer answered,
Django is replaced by a stand-in that answers 418: whatever reaches it was *not* served by the
fast path (Django would then answer as before: 404 for a missing file)."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.utils import timezone

from archive import services
from media_pipeline import services as media
from memorial.fastpath import FastPath
from tests.factories import ItemFactory
from tests.iiif.media import photo_item
from tests.wsgi import call

pytestmark = pytest.mark.django_db


def teapot(environ, start_response):
    start_response("418 I'm a teapot", [("Content-Type", "text/plain")])
    return [b"django"]


@pytest.fixture
def public_media(fresh_storage, settings):
    settings.SERVE_PUBLIC_MEDIA = True
    settings.SITE_URL = "http://testserver"
    return fresh_storage


def _tile(asset, public_root) -> str:
    """The URL path of one real tile of `asset` (not a whole-image size)."""
    prefix = os.path.join(public_root, "p", asset.public_token, "iiif")
    for d, _dirs, files in os.walk(prefix):
        if "/full/" not in d + "/" and "default.jpg" in files:
            return "/media/" + os.path.relpath(os.path.join(d, "default.jpg"), public_root)
    raise AssertionError("no tile")


def test_tiles_are_served_with_the_security_headers_conditional_and_by_range(public_media):
    _item, use = photo_item(1200, 800)
    path = _tile(use.asset, public_media["public"])
    app = FastPath(teapot)
    with open(os.path.join(public_media["public"], path.removeprefix("/media/")), "rb") as fh:
        data = fh.read()

    whole = call(app, path)
    assert whole.status == 200 and whole.body == data
    h = whole.headers
    assert h["content-type"] == "image/jpeg" and h["content-length"] == str(len(data))
    assert h["access-control-allow-origin"] == "*" and h["x-content-type-options"] == "nosniff"
    assert "sandbox" in h["content-security-policy"] and h["x-frame-options"] == "DENY"
    assert h["cache-control"] == "public, max-age=60" and h["referrer-policy"] and h["permissions-policy"]
    assert h["cross-origin-resource-policy"] == "cross-origin"

    assert call(app, path, headers={"If-None-Match": h["etag"]}).status == 304
    assert call(app, path, headers={"If-Modified-Since": h["last-modified"]}).status == 304
    head = call(app, path, method="HEAD")
    assert head.status == 200 and head.body == b"" and head.headers["content-length"] == str(len(data))

    part = call(app, path, headers={"Range": "bytes=10-19"})
    assert part.status == 206 and part.body == data[10:20]
    assert part.headers["content-range"] == f"bytes 10-19/{len(data)}"
    assert call(app, path, headers={"Range": "bytes=-5"}).body == data[-5:]
    assert call(app, path, headers={"Range": "bytes=5-"}).body == data[5:]
    late = call(app, path, headers={"Range": f"bytes={len(data)}-"})
    assert late.status == 416 and late.headers["content-range"] == f"bytes */{len(data)}"
    # Numbers no file reaches, and ranges of an empty file, get the whole file (never a crash).
    for huge in ("bytes=" + "9" * 5000 + "-", "bytes=0-" + "9" * 5000, "bytes=-" + "9" * 5000):
        answer = call(app, path, headers={"Range": huge})
        assert answer.status == 200 and answer.body == data
    empty = os.path.join(public_media["public"], os.path.dirname(path.removeprefix("/media/")), "empty.txt")
    open(empty, "w").close()
    nothing = call(app, os.path.dirname(path) + "/empty.txt", headers={"Range": "bytes=-5"})
    assert nothing.status == 200 and nothing.body == b"" and "content-range" not in nothing.headers
    # A stale If-Range gets the whole, current file.
    assert call(app, path, headers={"Range": "bytes=0-1", "If-Range": '"old"'}).body == data

    info = call(app, os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(path)))) + "/info.json")
    assert info.status == 200 and info.headers["content-type"] == "application/json"


def test_only_plain_files_inside_public_storage_are_served(public_media, tmp_path):
    _item, use = photo_item(600, 400)
    asset = use.asset
    app = FastPath(teapot)
    public = public_media["public"]
    secret = tmp_path / "secret.txt"
    secret.write_text("not public")
    os.symlink(secret, os.path.join(public, "link.txt"))
    os.makedirs(os.path.join(public, ".hidden"))
    with open(os.path.join(public, ".hidden", "x.txt"), "w") as fh:
        fh.write("hidden")
    private_master = asset.master_key
    for path in ["/media/../private/" + private_master, "/media/p/../../private/" + private_master,
                 "/media/link.txt", "/media/.hidden/x.txt", "/media//etc/passwd", "/media/p/",
                 "/media/p/" + asset.public_token, "/media/p/nothing-here.jpg", "/media/a\x00b.jpg",
                 "/media/p\\..\\x.jpg"]:
        answer = call(app, path)
        assert answer.status == 418, path  # left to Django, which answers 404 (tested below)
    django = FastPath(WSGIHandler())
    assert call(django, "/media/link.txt").status == 404
    assert call(django, "/media/p/nothing-here.jpg").status == 404


def test_a_retracted_tile_is_gone_at_once(public_media):
    _item, use = photo_item(600, 400)
    path = _tile(use.asset, public_media["public"])
    app = FastPath(WSGIHandler())
    assert call(app, path).status == 200
    media.retract(use.asset)
    assert call(app, path).status == 404


def test_files_are_left_to_django_for_an_unknown_host_or_when_https_is_due(public_media, settings):
    _item, use = photo_item(600, 400)
    path = _tile(use.asset, public_media["public"])
    assert call(FastPath(teapot), path, host="evil.example").status == 418
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    app = FastPath(teapot)
    assert call(app, path).status == 418  # Django redirects to HTTPS
    secure = call(app, path, scheme="https")
    assert secure.status == 200 and secure.headers["strict-transport-security"].startswith("max-age=")


def test_collected_static_files_are_served_by_whitenoise_with_security_headers(settings, tmp_path):
    root = tmp_path / "static"
    (root / "css").mkdir(parents=True)
    (root / "css" / "site.css").write_text("body { color: black; }\n" * 50)
    settings.STATIC_ROOT = str(root)
    settings.DEBUG = False
    settings.WHITENOISE_AUTOREFRESH = False
    app = FastPath(teapot)
    answer = call(app, "/static/css/site.css")
    assert answer.status == 200 and answer.body.startswith(b"body { color: black; }")
    assert answer.headers["x-content-type-options"] == "nosniff" and answer.headers["referrer-policy"]
    assert call(app, "/static/css/missing.css").status == 418


# --- IIIF documents ---------------------------------------------------------------------------------

def test_manifests_are_replayed_until_any_change_and_a_withdrawal_is_never_replayed(public_media):
    item, _use = photo_item(600, 400, title={"en": "A replayed synthetic square"})
    app = FastPath(WSGIHandler())
    path = f"/iiif/item/{item.pk}/manifest"
    first = call(app, path)
    assert first.status == 200 and first.headers["x-page-cache"] == "miss"
    second = call(app, path)
    assert second.headers["x-page-cache"] == "hit" and second.body == first.body
    assert "A replayed synthetic square" in second.text
    assert second.headers["access-control-allow-origin"] == "*"
    assert second.headers["content-type"].startswith("application/ld+json")
    assert call(app, path, headers={"If-None-Match": second.headers["etag"]}).status == 304
    assert call(app, path, method="HEAD").body == b""
    top = call(app, "/iiif/collection/top")
    assert top.status == 200 and call(app, "/iiif/collection/top").headers["x-page-cache"] == "hit"

    services.record_consent(item, scopes=["web"], propagate=False, actor_label="test")  # iiif withdrawn
    gone = call(app, path)
    assert gone.status == 404 and "x-page-cache" not in gone.headers
    assert call(app, path).status == 404
    assert "A replayed synthetic square" not in call(app, "/iiif/collection/top").text


def test_a_consent_expiry_ends_the_replay_without_any_write(public_media, monkeypatch):
    now = timezone.now()
    item = ItemFactory(title={"en": "Expiring synthetic letter"}, consent={"expires_at": now + timedelta(minutes=10)})
    app = FastPath(WSGIHandler())
    path = f"/iiif/item/{item.pk}/manifest"
    assert call(app, path).status == 200 and call(app, path).headers["x-page-cache"] == "hit"
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(minutes=11))
    assert call(app, path).status == 404


def test_visitors_with_a_session_and_other_iiif_paths_go_to_django(public_media, settings):
    item = ItemFactory()
    app = FastPath(WSGIHandler())
    path = f"/iiif/item/{item.pk}/manifest"
    cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}=abc"}
    for _ in range(2):
        assert "x-page-cache" not in call(app, path, headers=cookie).headers
        assert "x-page-cache" not in call(app, "/iiif/activity/all-changes").headers
        assert "x-page-cache" not in call(app, f"/iiif/item/{item.pk}/search", query="q=x").headers
    settings.PAGE_CACHE_ENABLED = False
    assert "x-page-cache" not in call(FastPath(WSGIHandler()), path).headers


@pytest.mark.django_db(transaction=True)  # the bump runs after a real commit, as in production
def test_when_the_generation_cannot_be_bumped_this_process_forgets_its_copies(public_media, monkeypatch, caplog):
    from archive import generation

    item, _use = photo_item(600, 400, title={"en": "A synthetic square, bump refused"})
    app = FastPath(WSGIHandler())
    path = f"/iiif/item/{item.pk}/manifest"
    call(app, path)
    assert call(app, path).headers["x-page-cache"] == "hit"

    def locked(*args, **kwargs):
        from django.db import OperationalError

        raise OperationalError("database is locked")

    monkeypatch.setattr(generation, "_write_token", locked)
    services.record_consent(item, scopes=["web"], propagate=False, actor_label="test")  # iiif withdrawn
    assert "could not be bumped" in caplog.text
    assert call(app, path).status == 404  # not replayed, although the shared token did not move


def test_copies_are_made_again_after_the_page_cache_timeout(public_media, settings):
    item = ItemFactory()
    settings.PAGE_CACHE_TIMEOUT = 0
    app = FastPath(WSGIHandler())
    path = f"/iiif/item/{item.pk}/manifest"
    assert [call(app, path).headers["x-page-cache"] for _ in range(2)] == ["miss", "miss"]



def _persistent_connection(monkeypatch):
    """The default connection reopened as production runs it: kept 60 s, health-checked."""
    from django.db import connection

    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", True)
    connection.close()
    connection.ensure_connection()
    return connection


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # real connections, closed and opened as under gunicorn
def test_a_replayed_manifest_costs_the_token_query_only(public_media, monkeypatch):
    """With health checks on, Django pings (SELECT 1) before a request's first query; for a replayed
    manifest the token query is the only query and doubles as the check, so no ping is made."""
    connection = _persistent_connection(monkeypatch)
    item = ItemFactory(title={"en": "A synthetic postcard, one round trip"})
    pings = []
    real_is_usable = connection.is_usable
    monkeypatch.setattr(connection, "is_usable", lambda: pings.append(1) or real_is_usable())
    app = FastPath(WSGIHandler())
    path = f"/iiif/item/{item.pk}/manifest"
    assert call(app, path, as_server=True).status == 200
    opened = connection.connection
    pings.clear()
    hit = call(app, path, as_server=True)
    assert hit.status == 200 and hit.headers["x-page-cache"] == "hit"
    assert pings == [] and connection.connection is opened


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_connection_killed_under_the_fast_path_is_replaced(public_media, monkeypatch):
    """The server ends the session (a restart, a failover): the next manifest still answers, on a
    new connection, and replays again after it. Only a database server has a session to end."""
    import psycopg
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no server session to end; this runs in make test's PostgreSQL pass")
    connection = _persistent_connection(monkeypatch)
    item = ItemFactory(title={"en": "A synthetic postcard, connection lost"})
    app = FastPath(WSGIHandler())
    path = f"/iiif/item/{item.pk}/manifest"
    assert call(app, path, as_server=True).status == 200
    assert call(app, path, as_server=True).headers["x-page-cache"] == "hit"
    opened = connection.connection
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [opened.info.backend_pid])
    after = call(app, path, as_server=True)
    assert after.status == 200 and "connection lost" in after.text
    assert connection.connection is not opened
    assert call(app, path, as_server=True).headers["x-page-cache"] == "hit"

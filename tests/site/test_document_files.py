"""memorial/document_files.py: built IIIF documents written for nginx to send from disk, and never
sent once a change or a time boundary has made them stale.

nginx reads `<IIIF_DOCUMENT_ROOT>/live/<path>.json` (deploy/nginx.conf); these tests look at what
is in the live folder, which is exactly what nginx could send. tests/ops/test_nginx_documents.py
does the same through a real nginx and gunicorn."""

from __future__ import annotations

import gzip
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.utils import timezone

from archive import generation, services
from archive.models import Generation
from memorial import document_files
from memorial.fastpath import DOCUMENT_GATE_PATH, FastPath
from tests.factories import ItemFactory
from tests.wsgi import call

pytestmark = pytest.mark.django_db
PAGE = "/iiif/collection/items/1"  # the first page of the items collection


@pytest.fixture
def root(settings, tmp_path) -> Path:
    settings.SITE_URL = "http://testserver"
    settings.IIIF_DOCUMENT_ROOT = str(tmp_path / "documents")
    return tmp_path / "documents"


def _live(root: Path) -> Path:
    return root / os.readlink(root / "live")


def _on_disk(root: Path, path: str) -> Path:
    return _live(root) / (path.lstrip("/") + ".json")


def test_a_built_manifest_is_on_disk_until_its_item_is_withdrawn(root):
    item = ItemFactory(title={"en": "A synthetic letter, sent from disk"})
    app = FastPath(WSGIHandler())
    path = f"/iiif/item/{item.pk}/manifest"
    assert call(app, DOCUMENT_GATE_PATH).status == 204  # nginx's first question makes the live folder
    answer = call(app, path)
    assert answer.status == 200
    file = _on_disk(root, path)
    assert file.read_bytes() == answer.body
    assert gzip.decompress(file.with_name(file.name + ".gz").read_bytes()) == answer.body
    listing = call(app, PAGE)
    assert listing.status == 200 and b"A synthetic letter, sent from disk" in listing.body
    assert _on_disk(root, PAGE).read_bytes() == listing.body
    before = _live(root)

    services.record_consent(item, scopes=["web"], propagate=False, actor_label="test")  # iiif withdrawn
    assert _live(root) != before  # renewed before the call returned
    assert not _on_disk(root, path).exists() and not _on_disk(root, PAGE).exists()
    assert call(app, path).status == 404
    assert not _on_disk(root, path).exists()  # a 404 is never written
    assert b"sent from disk" not in call(app, PAGE).body
    assert b"sent from disk" not in _on_disk(root, PAGE).read_bytes()


def test_a_document_rendered_across_a_change_lands_in_a_folder_out_of_service(root):
    item = ItemFactory()
    path = f"/iiif/item/{item.pk}/manifest"
    document_files.renew(generation.current_token())
    django = WSGIHandler()

    def change_while_rendering(environ, start_response):
        answer = django(environ, start_response)
        generation.bump()  # another process commits a change after this render read the database
        return answer

    assert call(FastPath(change_while_rendering), path).status == 200
    assert not _on_disk(root, path).exists()
    written = [p for p in root.glob(f"*/iiif/item/{item.pk}/manifest.json")]
    assert len(written) == 1 and written[0].parents[3] != _live(root)


def test_the_gate_renews_the_folder_after_a_time_boundary_an_old_age_or_a_foreign_token(root, settings,
                                                                                           monkeypatch):
    now = timezone.now()
    item = ItemFactory(consent={"expires_at": now + timedelta(minutes=10)})
    app = FastPath(WSGIHandler())
    path = f"/iiif/item/{item.pk}/manifest"
    assert document_files.ensure_fresh()
    first = _live(root)
    assert call(app, path).status == 200 and _on_disk(root, path).exists()
    assert document_files.ensure_fresh() and _live(root) == first  # nothing has changed

    later = time.time() + 11 * 60  # past the consent's expiry: no write has happened
    monkeypatch.setattr(document_files.time, "time", lambda: later)
    assert document_files.ensure_fresh()
    assert _live(root) != first and not _on_disk(root, path).exists()
    monkeypatch.undo()

    second = _live(root)
    Generation.objects.update(token="set-by-a-process-whose-renewal-failed")  # not watched: no bump
    assert document_files.ensure_fresh() and _live(root) != second
    third = _live(root)
    settings.PAGE_CACHE_TIMEOUT = 0
    assert document_files.ensure_fresh() and _live(root) != third


def test_a_copy_kept_in_memory_from_before_the_folder_is_made_again(root):
    item = ItemFactory()
    app = FastPath(WSGIHandler())
    path = f"/iiif/item/{item.pk}/manifest"
    document_files.renew(generation.current_token())
    assert call(app, path).headers["x-page-cache"] == "miss"
    assert call(app, path).headers["x-page-cache"] == "hit"
    document_files.renew(generation.current_token())  # as the gate does at a time boundary
    assert call(app, path).headers["x-page-cache"] == "miss"  # it may predate the boundary
    assert _on_disk(root, path).exists()


def test_queries_sessions_and_no_root_write_nothing(root, settings):
    item = ItemFactory()
    app = FastPath(WSGIHandler())
    path = f"/iiif/item/{item.pk}/manifest"
    document_files.renew(generation.current_token())
    assert call(app, path, query="x=1").status == 200
    assert call(app, path, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}=abc"}).status == 200
    assert not _on_disk(root, path).exists()

    settings.IIIF_DOCUMENT_ROOT = ""
    assert call(app, DOCUMENT_GATE_PATH).status == 403  # nothing on disk to vouch for
    assert document_files.renew("t") and document_files.live_name() is None


def test_a_failed_renewal_takes_the_live_folder_out_of_service(root, monkeypatch, caplog):
    item = ItemFactory()
    app = FastPath(WSGIHandler())
    path = f"/iiif/item/{item.pk}/manifest"
    document_files.renew(generation.current_token())
    call(app, path)
    assert _on_disk(root, path).exists()

    def refused(*args, **kwargs):
        raise OSError("read-only file system")

    monkeypatch.setattr(document_files.os, "symlink", refused)
    services.record_consent(item, scopes=["web"], propagate=False, actor_label="test")
    assert "no fresh folder" in caplog.text
    assert document_files.live_name() is None and not (root / "live").exists()  # nginx sends nothing
    assert call(app, DOCUMENT_GATE_PATH).status == 403  # and asks the archive for every document


def test_folders_out_of_service_are_removed_after_the_grace(root, monkeypatch):
    monkeypatch.setattr(document_files, "GRACE", 0)
    for _ in range(3):
        document_files.renew("t")
        time.sleep(0.001)
    assert sorted(p.name for p in root.iterdir()) == sorted(["live", document_files.live_name()])


def test_after_an_erasure_no_folder_but_a_fresh_one_is_left_and_none_is_made_again(root):
    document_files.renew("t")
    old = document_files.live_name()
    document_files.write(old, "/iiif/collection/top", b"{}", time.time_ns())
    document_files.purge()  # what the erasure's surface runs after its commit
    assert [p.name for p in root.iterdir() if p.name != "live"] == [document_files.live_name()]
    document_files.write(old, "/iiif/collection/top", b"{}", time.time_ns())  # a writer finishing late
    assert not (root / old).exists()


def test_a_burst_of_writes_looks_for_old_folders_once(root, monkeypatch):
    monkeypatch.setattr(document_files, "_pruned", [float("-inf")])
    listed = []
    before = len(list(root.iterdir())) if root.exists() else 0
    real = document_files.os.listdir
    monkeypatch.setattr(document_files.os, "listdir", lambda path: listed.append(path) or real(path))
    for _ in range(50):  # 50 commits in a row, as an ingest makes them
        assert document_files.renew("t")
    assert len(listed) == 1 and len(list(root.iterdir())) - max(before, 1) == 50  # none removed yet

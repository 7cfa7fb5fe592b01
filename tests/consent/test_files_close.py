"""A consent change that closes a surface closes the public file URLs of the affected media before
the call returns, with no worker running (the database task backend, whose queue nobody runs): 404
through the fast path and through Django's file view, conditional requests included."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from archive import services
from archive.models import ItemMedia, RemovalReport
from memorial.settings import TASK_QUEUES  # the named task queues (settings.TASKS)
from tests.consent.files import Ask, file_urls, public_item

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
TOKEN = "t" * 43


@pytest.fixture
def stopped_worker(settings, fresh_storage):
    settings.SERVE_PUBLIC_MEDIA = True
    settings.SITE_URL = "http://testserver"
    item = public_item(TOKEN)
    # Published; from now on tasks are only queued (no db_worker runs in these tests).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
    return item, file_urls(item, str(fresh_storage["public"]))


def _open_everywhere(ask: Ask, urls: dict[str, str]) -> dict[str, tuple[str | None, str | None]]:
    etags = {}
    for key, path in urls.items():
        fast, fast_tag = ask.fast(path)
        slow, slow_tag = ask.django(path)
        assert (fast, slow) == (200, 200), key
        etags[key] = (fast_tag, slow_tag)
    return etags


def _assert_closed(ask: Ask, urls: dict[str, str], etags, keys) -> None:
    for key in keys:
        path = urls[key]
        fast_tag, slow_tag = etags[key]
        assert ask.fast(path)[0] == 404, key
        assert ask.fast(path, fast_tag)[0] == 404, key
        assert ask.django(path)[0] == 404, key
        assert ask.django(path, slow_tag)[0] == 404, key


def _assert_open(ask: Ask, urls: dict[str, str], keys) -> None:
    for key in keys:
        assert ask.fast(urls[key])[0] == 200, key
        assert ask.django(urls[key])[0] == 200, key


def _narrow(item, **fields):
    current = item.current_consent
    scopes = fields.pop("scopes", [s for s in ("web", "search", "iiif", "exhibition") if getattr(current, f"scope_{s}")])
    services.record_consent(item, scopes=scopes, actor_label="test", name_display=current.name_display,
                            display_name=current.display_name, **fields)


def test_withdrawal_through_the_private_link(client, stopped_worker):
    item, urls = stopped_worker
    ask = Ask(client)
    etags = _open_everywhere(ask, urls)
    assert client.post(f"/api/consent/{TOKEN}/withdraw").status_code == 200
    assert RemovalReport.objects.get(item=item, trigger="withdrawal").completed_at is None  # no worker ran
    _assert_closed(ask, urls, etags, urls)


def test_erasure_through_the_private_link(client, stopped_worker):
    item, urls = stopped_worker
    ask = Ask(client)
    etags = _open_everywhere(ask, urls)
    assert client.post(f"/api/consent/{TOKEN}/erase").status_code == 200
    _assert_closed(ask, urls, etags, urls)


def test_web_scope_removed(client, stopped_worker):
    item, urls = stopped_worker
    ask = Ask(client)
    etags = _open_everywhere(ask, urls)
    _narrow(item, scopes=["search", "iiif"])
    _assert_closed(ask, urls, etags, urls)


def test_iiif_scope_removed_closes_the_image_service_only(client, stopped_worker):
    item, urls = stopped_worker
    ask = Ask(client)
    etags = _open_everywhere(ask, urls)
    _narrow(item, scopes=["web", "search"])
    service = [k for k in urls if k.endswith((":info.json", ":tile"))]
    _assert_closed(ask, urls, etags, service)
    _assert_open(ask, urls, [k for k in urls if k not in service])


def test_excluded_media_closes_that_media_only(client, stopped_worker):
    item, urls = stopped_worker
    ask = Ask(client)
    etags = _open_everywhere(ask, urls)
    photo = ItemMedia.objects.get(item=item, role=ItemMedia.Role.PHOTO)
    _narrow(item, excluded_media=[photo.pk])
    _assert_closed(ask, urls, etags, [k for k in urls if k.startswith(f"{photo.pk}:")])
    _assert_open(ask, urls, [k for k in urls if not k.startswith(f"{photo.pk}:")])


def test_pause_closes_every_file(client, stopped_worker):
    item, urls = stopped_worker
    ask = Ask(client)
    etags = _open_everywhere(ask, urls)
    _narrow(item, embargo_until=timezone.now() + timedelta(days=30))
    _assert_closed(ask, urls, etags, urls)


def test_expiry_closes_every_file_with_no_write_at_all(client, stopped_worker):
    item, urls = stopped_worker
    ask = Ask(client)
    expires = timezone.now() + timedelta(seconds=2)
    _narrow(item, expires_at=expires)  # the consent as given, before the moment: still public
    etags = _open_everywhere(ask, urls)
    time.sleep(max(0.0, (expires - timezone.now()).total_seconds()) + 0.05)
    _assert_closed(ask, urls, etags, urls)


@pytest.mark.parametrize("decision", ["reject", "request_changes"])
def test_unpublishing_closes_every_file(client, stopped_worker, decision, django_user_model):
    from archive import moderation

    item, urls = stopped_worker
    ask = Ask(client)
    etags = _open_everywhere(ask, urls)
    curator = django_user_model.objects.create_user("curator-unpublish")
    getattr(moderation, decision)(item, actor=curator, reason="A third party is recognisable (synthetic).")
    _assert_closed(ask, urls, etags, urls)

"""The generation token kept in the common cache (Redis, as in production): read there without a
database query, moved by every bump before the writing call returns, and the database still answers
when the key is gone or the cache is down. A real redis-server (scripts/with_test_services.py)."""

import os
import socket

import pytest
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive import generation, services
from memorial.fastpath import FastPath
from tests.factories import ItemFactory
from tests.wsgi import call

pytestmark = pytest.mark.django_db


def _redis_cache(location: str) -> dict:
    return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}


@pytest.fixture
def redis_cache(settings):
    url = os.environ.get("MEMORIES_TEST_REDIS_URL")
    if not url:
        pytest.fail("MEMORIES_TEST_REDIS_URL is not set: run under scripts/with_test_services.py "
                    "(Debian's redis-server; .ci/run installs it)")
    own = url.rsplit("/", 1)[0] + f"/{1 + os.getpid() % 15}"
    settings.CACHES = {**settings.CACHES, "redis_cache": _redis_cache(own)}
    settings.GENERATION_CACHE = "redis_cache"
    caches["redis_cache"].delete(generation.CACHE_KEY)
    yield caches["redis_cache"]
    caches["redis_cache"].delete(generation.CACHE_KEY)


def test_the_token_is_read_from_redis_and_moved_by_every_write(redis_cache, settings):
    settings.SITE_URL = "http://testserver"
    item = ItemFactory(title={"en": "A synthetic lantern, token in Redis"})
    first = generation.current_token()  # from the database, then put in the cache
    assert first == generation._database_token("default") == redis_cache.get(generation.CACHE_KEY)
    with CaptureQueriesContext(connection) as queries:
        assert generation.current_token() == first
    assert len(queries) == 0  # no database round trip for the token

    app = FastPath(WSGIHandler())
    path = f"/iiif/item/{item.pk}/manifest"
    assert call(app, path).status == 200 and call(app, path).headers["x-page-cache"] == "hit"
    services.record_consent(item, scopes=["web"], propagate=False, actor_label="test")  # iiif withdrawn
    moved = redis_cache.get(generation.CACHE_KEY)
    assert moved != first and moved == generation._database_token("default")
    assert call(app, path).status == 404  # never replayed under the new token


def test_the_database_answers_when_the_key_is_gone(redis_cache):
    token = generation._database_token("default")
    redis_cache.delete(generation.CACHE_KEY)
    assert generation.current_token() == token
    assert redis_cache.get(generation.CACHE_KEY) == token  # put back for the next reader


def test_the_database_answers_when_the_cache_is_down(settings, caplog):
    with socket.socket() as s:  # a port where nothing listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.CACHES = {**settings.CACHES, "down": _redis_cache(f"redis://127.0.0.1:{port}/0")}
    settings.GENERATION_CACHE = "down"
    token = generation.current_token()
    assert token is not None and token == generation._database_token("default")
    generation.bump()  # the database moves on; the cache's refusal is logged, not raised
    assert generation.current_token() != token
    assert "Generation not written" in caplog.text  # logged, not raised


def test_per_process_memory_never_holds_the_token():
    """The embedded default (a per-process cache) keeps the token in the database only."""
    from django.conf import settings as live

    assert live.CACHES["default"]["BACKEND"].endswith("LocMemCache") and live.GENERATION_CACHE == ""

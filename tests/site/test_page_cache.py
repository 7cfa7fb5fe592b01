"""The anonymous page cache (memorial/pagecache.py): fast, and never ahead of consent.

Every test requests a page twice first and checks the second answer came from the cache, so that
what follows proves an invalidation, not a cache that was never used.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from archive import contributions, generation, services
from archive.models import Contribution, Item
from archive.search import get_backend
from memorial import pagecache
from tests.factories import ExhibitionEntryFactory, ExhibitionFactory, ItemFactory
from tests.search.helpers import documents

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def url(name, *args, lang="en"):
    with translation.override(lang):
        return reverse(name, args=args)


def cached_twice(client, path):
    """Request `path` twice; the second answer must be a cache hit. Returns the HTML."""
    first = client.get(path)
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss", path
    second = client.get(path)
    assert second["X-Page-Cache"] == "hit", path
    return second.content.decode()


def nonce_of(response):
    return re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)


def freeze(monkeypatch, at):
    monkeypatch.setattr(timezone, "now", lambda: at)


# --- hits ----------------------------------------------------------------------------------------

def test_a_hit_is_the_same_page_with_a_fresh_nonce(client):
    item = ItemFactory()
    path = url("iiif-viewer") + f"?manifest=/iiif/item/{item.pk}/manifest"
    first = client.get(path)
    second = client.get(path)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    old, new = nonce_of(first), nonce_of(second)
    assert old != new
    body1, body2 = first.content.decode(), second.content.decode()
    assert f'content="{old}"' in body1 and f'content="{new}"' in body2 and old not in body2
    assert body2 == body1.replace(old, new)
    # Headers set by middlewares inside the cache survive a hit.
    assert second["X-Frame-Options"] == "DENY" and second["Content-Type"].startswith("text/html")


def test_key_includes_language_and_query_string(client):
    ItemFactory(title={"en": "An English title (synthetic)", "fr": "Un titre français (synthétique)"})
    en = cached_twice(client, url("home", lang="en"))
    fr = cached_twice(client, url("home", lang="fr"))
    assert 'lang="en"' in en and 'lang="fr"' in fr
    a = cached_twice(client, url("search") + "?q=title")
    b = client.get(url("search") + "?q=nothing-like-this")
    assert b["X-Page-Cache"] == "miss" and a != b.content.decode()


# --- writes invalidate at once -------------------------------------------------------------------

def _placed_item(title):
    contribution = Contribution.objects.create(token_hash="f" * 64)
    item = ItemFactory(title={"en": title}, contribution=contribution)
    exhibition = ExhibitionFactory()
    ExhibitionEntryFactory(exhibition=exhibition, item=item)
    get_backend().index(documents({"item": item}))
    return contribution, item, exhibition


def _public_paths(item, exhibition):
    return {
        "home": url("home"),
        "exhibition": url("exhibition-detail", exhibition.slug),
        "item": url("item-detail", item.pk),
        "search": url("search") + "?q=lanternsynthetic",
    }


def test_withdrawal_reaches_every_cached_page_at_once(client):
    contribution, item, exhibition = _placed_item("A lanternsynthetic kept")
    paths = _public_paths(item, exhibition)
    for path in paths.values():
        assert str(item.pk) in cached_twice(client, path)  # every page links the item

    contributions.withdraw(contribution)

    for name, path in paths.items():
        response = client.get(path)
        if name == "item":
            assert response.status_code == 404
        else:
            assert response["X-Page-Cache"] == "miss", name
            assert str(item.pk) not in response.content.decode(), name


def test_a_narrower_consent_reaches_cached_pages(client):
    _, item, exhibition = _placed_item("A lanternsynthetic lamp")
    paths = _public_paths(item, exhibition)
    for path in paths.values():
        assert str(item.pk) in cached_twice(client, path)
    services.record_consent(item, scopes=["iiif"], propagate=False, actor_label="test")
    assert client.get(paths["item"]).status_code == 404
    for name in ("home", "exhibition", "search"):
        assert str(item.pk) not in client.get(paths[name]).content.decode(), name


def test_queryset_update_without_signals_invalidates(client):
    # Publication code uses QuerySet.update(), which sends no signal: the write itself is watched.
    item = ItemFactory(title={"en": "A retracted synthetic kite"})
    assert "A retracted synthetic kite" in cached_twice(client, url("home"))
    Item.objects.filter(pk=item.pk).update(status=Item.Status.REJECTED)
    assert "A retracted synthetic kite" not in client.get(url("home")).content.decode()


def test_an_exhibition_edit_invalidates(client):
    exhibition = ExhibitionFactory(title={"en": "Before the edit (synthetic)"})
    path = url("exhibition-detail", exhibition.slug)
    assert "Before the edit (synthetic)" in cached_twice(client, path)
    exhibition.title = {"en": "After the edit (synthetic)"}
    exhibition.save()
    assert "After the edit (synthetic)" in client.get(path).content.decode()


def test_a_change_made_in_another_process_invalidates(client):
    item = ItemFactory(title={"en": "Written elsewhere (synthetic)"})
    path = url("item-detail", item.pk)
    cached_twice(client, path)
    # Another process's write: this process's connection does not see it as a write of its own...
    wrappers = connection.execute_wrappers
    wrappers.remove(generation._watch_writes)
    try:
        Item.objects.filter(pk=item.pk).update(title={"en": "Rewritten elsewhere (synthetic)"})
    finally:
        wrappers.append(generation._watch_writes)
    assert client.get(path)["X-Page-Cache"] == "hit"  # (what the shared token is there for)
    # ...and that process bumped the shared row after its commit.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE archive_generation SET token = %s WHERE id = 1", ["elsewhere"])
    response = client.get(path)
    assert response["X-Page-Cache"] == "miss"
    assert "Rewritten elsewhere (synthetic)" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_token_changes_after_commit_not_before_and_not_on_rollback():
    item = ItemFactory()
    before = pagecache.current_token()
    with transaction.atomic():
        Item.objects.filter(pk=item.pk).update(place="Elsewhere (synthetic)")
        Item.objects.filter(pk=item.pk).update(place="Elsewhere again (synthetic)")
        assert pagecache.current_token() == before  # no row lock held for the whole transaction
    after = pagecache.current_token()
    assert after != before
    with pytest.raises(RuntimeError), transaction.atomic():
        Item.objects.filter(pk=item.pk).update(place="Never (synthetic)")
        raise RuntimeError
    assert pagecache.current_token() == after


def test_only_public_tables_are_watched():
    assert pagecache.touches_public_content('UPDATE "archive_item" SET "title" = %s')
    assert pagecache.touches_public_content("INSERT INTO archive_searchdocument (item_id) VALUES (%s)")
    assert pagecache.touches_public_content('DELETE FROM "exhibitions_exhibitionentry" WHERE id = 1')
    assert pagecache.touches_public_content('INSERT OR IGNORE INTO "media_pipeline_mediaasset" VALUES (1)')
    assert not pagecache.touches_public_content('SELECT * FROM "archive_item"')
    assert not pagecache.touches_public_content('INSERT INTO "archive_auditevent" VALUES (1)')
    assert not pagecache.touches_public_content('UPDATE "django_session" SET x = 1')


# --- time passes -----------------------------------------------------------------------------------

def test_an_embargo_ending_shows_the_item_without_any_write(client, monkeypatch):
    now = timezone.now()
    ItemFactory(title={"en": "An embargoed synthetic letter"}, consent={"embargo_until": now + timedelta(hours=1)})
    assert "An embargoed synthetic letter" not in cached_twice(client, url("home"))
    freeze(monkeypatch, now + timedelta(minutes=30))
    assert client.get(url("home"))["X-Page-Cache"] == "hit"  # before the boundary: still cached
    freeze(monkeypatch, now + timedelta(hours=2))
    response = client.get(url("home"))
    assert response["X-Page-Cache"] == "miss"
    assert "An embargoed synthetic letter" in response.content.decode()


def test_a_consent_expiring_hides_the_item_without_any_write(client, monkeypatch):
    now = timezone.now()
    item = ItemFactory(title={"en": "An expiring synthetic letter"}, consent={"expires_at": now + timedelta(hours=1)})
    assert "An expiring synthetic letter" in cached_twice(client, url("home"))
    cached_twice(client, url("item-detail", item.pk))
    freeze(monkeypatch, now + timedelta(hours=2))
    assert "An expiring synthetic letter" not in client.get(url("home")).content.decode()
    assert client.get(url("item-detail", item.pk)).status_code == 404


def test_an_exhibition_window_opening_and_closing(client, monkeypatch):
    now = timezone.now()
    ExhibitionFactory(title={"en": "A scheduled synthetic exhibition"}, publish_at=now + timedelta(hours=1),
                      unpublish_at=now + timedelta(hours=3))
    assert "A scheduled synthetic exhibition" not in cached_twice(client, url("exhibition-list"))
    freeze(monkeypatch, now + timedelta(hours=2))
    assert "A scheduled synthetic exhibition" in cached_twice(client, url("exhibition-list"))
    freeze(monkeypatch, now + timedelta(hours=4))
    assert "A scheduled synthetic exhibition" not in client.get(url("exhibition-list")).content.decode()


def test_entries_never_outlive_the_next_boundary():
    now = timezone.now()
    ItemFactory(consent={"embargo_until": now + timedelta(minutes=7)})
    assert pagecache.next_boundary(now) == now + timedelta(minutes=7)
    assert pagecache.next_boundary(now + timedelta(minutes=8)) > now + timedelta(minutes=8)


# --- who and what is never cached ------------------------------------------------------------------

def test_content_warning_gate_and_the_shown_item_are_both_cached_and_never_mixed(client):
    item = ItemFactory(title={"en": "A warned synthetic photograph"}, content_warnings=["injury"],
                       story={"en": "Behind the gate, cached."})
    path = url("item-detail", item.pk)
    gate = cached_twice(client, path)
    assert "Before you continue" in gate and "Behind the gate" not in gate and "csrfmiddlewaretoken" not in gate
    shown = cached_twice(client, path + "?shown=1")
    assert "Behind the gate, cached." in shown and "Before you continue" not in shown
    assert "Before you continue" in client.get(path).content.decode()  # the gate's entry is its own
    # A cached shown page is never replayed to another site's link.
    assert client.get(path + "?shown=1", HTTP_SEC_FETCH_SITE="cross-site").status_code == 302


def test_a_session_cookie_bypasses_the_cache(client):
    ItemFactory()
    cached_twice(client, url("home"))
    client.cookies[settings.SESSION_COOKIE_NAME] = "anything"
    assert "X-Page-Cache" not in client.get(url("home"))


@pytest.mark.parametrize("path", ["/en/contribute/", "/en/curator/", "/api/items/", "/iiif/collection/top",
                                  "/en/feeds/items/"])
def test_private_and_non_html_paths_are_never_cached(client, path):
    for _ in range(2):
        assert "X-Page-Cache" not in client.get(path)


def test_switched_off_by_setting(client, settings):
    settings.PAGE_CACHE_ENABLED = False
    assert "X-Page-Cache" not in client.get(url("home"))


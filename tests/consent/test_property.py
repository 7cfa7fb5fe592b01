"""Property: whatever an item's consent history, no public surface shows what the policy forbids.

Hypothesis draws consent histories (scopes, name display, embargo and expiry before or after
now, withdrawal, per-media exclusions, published or not). Each history is applied through the
services with propagation run, then every surface that exists is rendered (tests/consent/
surfaces_render.py) and searched for the item's unique title, story, name and media tokens.
"""

from datetime import timedelta
from uuid import uuid4

import pytest
from django.conf import settings
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from archive import consent, services
from archive.models import SURFACES, Item, ItemMedia
from media_pipeline import services as media
from media_pipeline.models import MediaAsset
from memorial.settings import TASK_QUEUES  # the named task queues (settings.TASKS)
from tests.consent import surfaces_render as render
from tests.consent.media import photo
from tests.factories import (
    ContributorFactory,
    ExhibitionEntryFactory,
    ExhibitionFactory,
    ItemFactory,
    RemembranceDayFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

OFFSETS = st.one_of(st.none(), st.sampled_from([-400, -3, -0.01, 0.01, 3, 400]))  # days from now
NAME_DISPLAYS = st.sampled_from(["full", "initials", "pseudonym", "anonymous"])


@st.composite
def histories(draw):
    n_media = draw(st.integers(0, 2))
    versions = []
    for _ in range(draw(st.integers(1, 3))):
        embargo, expiry = draw(OFFSETS), draw(OFFSETS)
        versions.append({
            "scopes": sorted(draw(st.sets(st.sampled_from(SURFACES)))),
            "name_display": draw(NAME_DISPLAYS),
            "embargo": embargo,
            "expiry": expiry,
            "withdrawn": draw(st.booleans()) and draw(st.booleans()),  # rarer
            "excluded": sorted(draw(st.sets(st.integers(0, max(n_media - 1, 0)))) if n_media else []),
        })
    return {"published": draw(st.booleans()) or draw(st.booleans()), "n_media": n_media, "versions": versions}


def _apply(history, capture):
    mark = uuid4().hex[:12]
    markers = {"title": f"lantern{mark}", "story": f"storyword{mark}", "name": f"Qadira Zet{mark}"}
    now = timezone.now()
    item = ItemFactory(
        consent=False, status=Item.Status.PUBLISHED if history["published"] else Item.Status.SUBMITTED,
        title={"en": f"The {markers['title']} kept"}, summary={"en": f"About the {markers['title']}"},
        story={"en": f"A synthetic {markers['story']} told here."},
        contributor=ContributorFactory(name=markers["name"]),
    )
    uses = []
    with capture(execute=True):
        for i in range(history["n_media"]):
            asset = media.intake(photo(seed=i), f"photo-{i}.jpg")
            media.process(asset)
            uses.append(ItemMedia.objects.create(item=item, asset=asset, role="photo", position=i,
                                                 alt_text={"en": f"alt {markers['title']}"}))
    tokens = {use.pk: set() for use in uses}
    for version in history["versions"]:
        when = {k: now + timedelta(days=version[k]) if version[k] is not None else None for k in ("embargo", "expiry")}
        with capture(execute=True):
            services.record_consent(
                item, scopes=version["scopes"], name_display=version["name_display"],
                display_name=markers["name"] if version["name_display"] != "anonymous" else "",
                embargo_until=when["embargo"], expires_at=when["expiry"], withdrawn=version["withdrawn"],
                excluded_media=[uses[i].pk for i in version["excluded"]], actor_label="test",
            )
        render.prime_fast_path(item.pk)
        for use in uses:
            use.asset.refresh_from_db()
            tokens[use.pk] |= {use.asset.public_token, *use.asset.stale_tokens}
            if use.asset.is_published:
                tokens[use.pk] |= set(media.public_urls(use.asset).values())
    item = Item.objects.select_related("current_consent").get(pk=item.pk)
    return item, markers, uses, tokens


@given(history=histories())
@hsettings(max_examples=40, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_no_surface_shows_what_consent_forbids(history, client, django_capture_on_commit_callbacks):
    item, markers, uses, tokens = _apply(history, django_capture_on_commit_callbacks)
    # Place it where curators would: an exhibition on a remembrance day.
    day = RemembranceDayFactory()
    exhibition = ExhibitionFactory(remembrance_day=day)
    ExhibitionEntryFactory(exhibition=exhibition, item=item)
    allowed = consent.surfaces_now(item)
    c = item.current_consent
    full_name_ok = c.name_display in ("full", "pseudonym")
    public_media = {m.pk for m in consent.allowed_media(item, "web")}

    rendered = {
        "web": render.web(client, item.pk, markers["title"]),
        # A prefix of the marker: the page echoes the query, the full marker may only come from the item.
        "search": render.search(client, item.pk, markers["title"][:-4]),
        "iiif": render.iiif(client, item.pk, markers["title"], exhibition.slug),
        "exhibition": render.exhibition(client, item.pk, markers["title"], exhibition.slug),
        "memorial_wall": render.memorial_wall(client, item.pk, markers["title"], day.slug),
    }
    for surface, pages in rendered.items():
        forbidden = set()
        if not allowed[surface]:
            forbidden |= {markers["title"], markers["story"], markers["name"]}
        elif not full_name_ok:
            forbidden.add(markers["name"])
        for use in uses:
            if use.pk not in public_media or not allowed[surface]:
                forbidden |= tokens[use.pk]
        if surface == "memorial_wall" or surface == "exhibition":
            # Pages shared by several surfaces: only what this item's consent opens anywhere may show.
            forbidden -= {t for t in forbidden if any(allowed[s] for s in ("web", "iiif", "exhibition"))
                          and t in (markers["title"], markers["story"])}
            if surface == "exhibition" and allowed["memorial_wall"] and full_name_ok:
                forbidden.discard(markers["name"])
        for label, text in pages.items():
            for secret in forbidden:
                assert secret not in text, f"{surface}/{label} shows {secret!r} for consent {c.scopes}"

    # The renderers really render: what is allowed shows up.
    api_item = rendered["web"]["api item"]
    if allowed["web"]:
        assert markers["title"] in api_item
        assert str(item.pk) in rendered["web"]["sitemap"]
    else:
        assert str(item.pk) not in rendered["web"]["sitemap"]
    if allowed["iiif"] and "manifest" in rendered["iiif"]:
        assert markers["title"] in rendered["iiif"]["manifest"]
    # Structured data and harvesting render the item where consent opens them (so the checks above
    # look at real output), and nothing more.
    if allowed["web"]:
        assert markers["title"] in rendered["web"]["item page JSON-LD"]
    if "OAI-PMH oai_dc" in rendered["iiif"]:
        assert (markers["title"] in rendered["iiif"]["OAI-PMH oai_dc"]) == allowed["iiif"]
        assert (markers["title"] in rendered["iiif"]["OAI-PMH memories"]) == allowed["iiif"]
    # The API's links open exactly the surfaces the policy opens (the exhibition is live).
    if allowed["web"]:
        links = client.get(f"/api/items/{item.pk}/").json()["links"]
        assert (links["manifest"] is not None) == allowed["iiif"], c.scopes
        assert {s["media"] for s in links["image_services"]} <= {m.pk for m in consent.allowed_media(item, "iiif")}
        assert [e["slug"] for e in links["exhibitions"]] == ([exhibition.slug] if allowed["exhibition"] else [])

    # Media files: published exactly when the web may show them, and nothing else is in public storage.
    public_root = settings.STORAGES["public"]["OPTIONS"]["location"]
    import os

    iiif_media = {m.pk for m in consent.allowed_media(item, "iiif")}
    for use in uses:
        asset = MediaAsset.objects.get(pk=use.asset_id)
        if use.pk in public_media:
            assert asset.is_published and media.public_urls(asset)
            # The image service (tiles, info.json) only where IIIF is allowed as well.
            tiles = os.path.join(public_root, media.public_prefix(asset), "iiif")
            assert os.path.isdir(tiles) == (use.pk in iiif_media), (c.scopes, use.pk)
        else:
            assert media.public_urls(asset) == {}
            for token in tokens[use.pk]:
                if "/" not in token:
                    assert not os.path.exists(os.path.join(public_root, media.public_prefix(asset, token)))


IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": TASK_QUEUES}}
QUEUED = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}


def _public_files(uses, public_root) -> dict[str, tuple[int, bool]]:
    """Every file public storage holds for the uses' current tokens: URL path -> (use, is a tile/info)."""
    import os

    found = {}
    for use in uses:
        asset = MediaAsset.objects.get(pk=use.asset_id)
        if not asset.is_published:
            continue
        folder = os.path.join(public_root, media.public_prefix(asset))
        for d, _dirs, files in os.walk(folder):
            for name in files:
                rel = os.path.relpath(os.path.join(d, name), public_root)
                found[settings.MEDIA_PUBLIC_URL + rel] = (use.pk, "/iiif/" in f"/{rel}")
    return found


@given(history=histories())
@hsettings(max_examples=25, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_files_and_facets_follow_the_last_change_with_no_worker(history, client, settings,
                                                                 django_capture_on_commit_callbacks):
    """The history up to its last version is propagated; the last one is only queued (no worker).
    Every file that was public answers exactly as the policy says now (fast path and Django's view,
    conditional requests too), and the search facets count the item only where a hit may show it."""
    from django.core.handlers.wsgi import WSGIHandler

    from archive.search import selectors
    from archive.search.base import SearchQuery
    from memorial.fastpath import FastPath
    from tests.wsgi import call

    settings.SERVE_PUBLIC_MEDIA, settings.SITE_URL, settings.TASKS = True, "http://testserver", IMMEDIATE
    # Open first (published, every scope), so that there are public files for the history to close.
    opened = {"scopes": list(SURFACES), "name_display": "full", "embargo": None, "expiry": None,
              "withdrawn": False, "excluded": []}
    *before, last = [opened, *history["versions"]]
    history = {**history, "published": True, "n_media": max(1, history["n_media"])}
    item, markers, uses, _tokens = _apply({**history, "versions": before}, django_capture_on_commit_callbacks)
    public_root = settings.STORAGES["public"]["OPTIONS"]["location"]
    files = _public_files(uses, public_root)
    stack = FastPath(WSGIHandler())
    etags = {path: call(stack, path).headers.get("etag") for path in files}

    settings.TASKS = QUEUED
    now = timezone.now()
    when = {k: now + timedelta(days=last[k]) if last[k] is not None else None for k in ("embargo", "expiry")}
    with django_capture_on_commit_callbacks(execute=True):
        services.record_consent(
            item, scopes=last["scopes"], name_display=last["name_display"], display_name="",
            embargo_until=when["embargo"], expires_at=when["expiry"], withdrawn=last["withdrawn"],
            excluded_media=[uses[i].pk for i in last["excluded"]], actor_label="test")
    item = Item.objects.select_related("current_consent").get(pk=item.pk)
    web = {m.pk for m in consent.allowed_media(item, "web")}
    iiif = {m.pk for m in consent.allowed_media(item, "iiif")}
    for path, (use_pk, image_service) in files.items():
        expected = 200 if use_pk in web and (not image_service or use_pk in iiif) else 404
        assert call(stack, path).status == expected, (path, item.current_consent.scopes)
        assert call(stack, path, headers={"If-None-Match": etags[path]}).status == (304 if expected == 200 else 404)
        assert client.get(path).status_code == expected, path

    found = selectors.search(SearchQuery(text=markers["title"]))
    counted = sum(b.count for b in found.facets.get("kind", []))
    if not consent.allows(item, "search"):
        assert found.total == 0 and counted == 0 and all(not b for b in found.facets.values())
    else:
        assert counted == found.total <= 1

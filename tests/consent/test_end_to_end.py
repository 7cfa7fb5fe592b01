"""Submit -> approve -> public everywhere -> withdraw by the private link -> gone everywhere
after one propagation run, old file URLs dead, a Delete in the change stream, and a receipt
whose removal report lists every surface."""

import json

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from archive import surfaces
from archive.models import Item, RemovalReport
from exhibitions.models import Activity
from media_pipeline import services as media
from media_pipeline.models import MediaAsset
from tests.consent import surfaces_render as render
from tests.consent.media import photo
from tests.factories import ExhibitionEntryFactory, ExhibitionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TITLE = "The kettle from the station café"


def local(url: str) -> str:
    return url.replace(settings.SITE_URL, "")


def test_withdrawal_reaches_every_surface(django_user_model, django_capture_on_commit_callbacks):
    api = APIClient()
    # 1. A contributor submits a story with a photo (processing runs after commit).
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/contributions/", {
            "kind": "object_story", "title": TITLE, "story": "A synthetic story of a dented kettle.",
            "language": "en", "files": [photo("kettle.jpg", size=(600, 400))],
            "consent": json.dumps({"scopes": ["web", "search", "exhibition", "iiif"], "name_display": "pseudonym",
                                   "display_name": "Kettle Keeper"}),
        }, format="multipart")
    assert response.status_code == 201, response.content
    token = response.json()["manage_url"].rstrip("/").rsplit("/", 1)[-1]
    item = Item.objects.get(pk=response.json()["items"][0])
    asset = MediaAsset.objects.get(uses__item=item)
    assert asset.status == MediaAsset.Status.READY, asset.failure_reason

    # 2. A curator approves it and places it in an exhibition.
    curator = django_user_model.objects.create_user("e2e-curator", password="x")
    curator.user_permissions.add(Permission.objects.get(codename="publish_item"))
    api.force_authenticate(curator)
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(f"/api/curator/contributions/{item.pk}/approve").status_code == 200
    exhibition = ExhibitionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        ExhibitionEntryFactory(exhibition=exhibition, item=item)
    api.force_authenticate(None)

    # 3. It is public on every surface, its tiles and derivatives are served.
    asset.refresh_from_db()
    urls = media.public_urls(asset)
    files = [local(u) for name, u in urls.items() if name != "iiif"]
    info = local(urls["iiif"]) + "/info.json"
    tile = local(urls["iiif"]) + "/full/max/0/default.jpg"
    for url in [*files, info, tile]:
        assert api.get(url).status_code == 200, url
    before = {
        "item page": render._url("item-detail", item_id=item.pk),
        "api item": f"/api/items/{item.pk}/",
        "manifest": render._url("iiif:manifest", item_id=str(item.pk)),
        "exhibition": render._url("exhibition-detail", slug=exhibition.slug),
        "search": f"{render._url('api-search')}?q=kettle",
    }
    for label, url in before.items():
        response = api.get(url)
        assert response.status_code == 200, label
        assert TITLE in response.content.decode() or "kettle" in response.content.decode().lower(), label
    assert str(item.pk) in api.get("/api/search/?q=kettle").content.decode()

    # 4. The contributor withdraws through the private link: one propagation run.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api.post(f"/api/consent/{token}/withdraw")
    assert response.status_code == 200
    assert len(callbacks) == 1  # one propagation task queued for the one item

    # 5. Gone from every surface; old file URLs are dead.
    assert api.get(before["item page"]).status_code == 404
    assert api.get(before["api item"]).status_code == 404
    assert api.get(before["manifest"]).status_code == 404
    assert TITLE not in api.get(before["exhibition"]).content.decode()
    assert str(item.pk) not in api.get("/api/search/?q=kettle").content.decode()
    for url in [*files, info, tile]:
        assert api.get(url).status_code == 404, url
    # The change stream holds a Delete for the manifest.
    assert Activity.objects.filter(item_id_ref=item.pk, type="Delete").exists()
    stream = render.iiif(api, item.pk, "kettle")
    assert any('"Delete"' in text and str(item.pk) in text for text in stream.values())

    # 6. The receipt's removal report lists each surface with the time it was cleared.
    report = RemovalReport.objects.get(item=item, trigger="withdrawal")
    assert report.attempts == 1 and report.completed_at is not None
    receipt = api.get(f"/api/consent/{token}/receipt").json()["receipt"]
    cleared = receipt["items"][0]["removal_report"]["surfaces"]
    assert {e["surface"] for e in cleared} == {s.name for s in surfaces.registered()} >= {
        "web", "search", "exhibition", "iiif"}
    assert all(e["cleared_at"] for e in cleared)

"""An item with every kind of public file (photo: web.jpg, thumbnails, info.json, tiles; a recording
and its .vtt), published as the propagation task publishes, and the ways to ask for its files:
through the fast path in front of Django (memorial.wsgi's stack) and through Django's own view."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

from archive.models import Contribution, Item, ItemMedia
from archive.surfaces_web import web_handler
from media_pipeline import services as media
from memorial.fastpath import FastPath
from tests.iiif.media import VTT, ready
from tests.media_pipeline import makers
from tests.wsgi import call


def public_item(token: str = "", **consent) -> Item:
    """A published item with a photo, a recording and its transcript, files published by the `web`
    surface handler (what the worker runs), under a contribution managed with `token`."""
    from archive.contributions import hash_token
    from tests.factories import ItemFactory

    contribution = Contribution.objects.create(token_hash=hash_token(token or "x" * 43))
    item = ItemFactory(kind=Item.Kind.TESTIMONY, contribution=contribution,
                       consent={"scopes": ["web", "search", "iiif", "exhibition"], **consent})
    photo = ItemMedia.objects.create(item=item, asset=ready(makers.jpeg(1200, 800), "square.jpg", publish=False),
                                     role=ItemMedia.Role.PHOTO, alt_text={"en": "Candles (synthetic)"})
    voice = ItemMedia.objects.create(item=item, asset=ready(makers.encode_audio("ipod", "aac", seconds=1.0),
                                                            "voice.m4a", publish=False),
                                     role=ItemMedia.Role.RECORDING)
    ItemMedia.objects.create(item=item, asset=ready(VTT.encode(), "voice.vtt", publish=False),
                             role=ItemMedia.Role.TRANSCRIPT, transcribes=voice, language="en")
    web_handler(item)
    assert photo.asset.__class__.objects.get(pk=photo.asset.pk).tiles_public
    return item


def file_urls(item: Item, public_root: str) -> dict[str, str]:
    """Every public file URL path of the item: "<media pk>:<name>" -> path (derivatives, the image
    service's info.json and one real tile)."""
    urls = {}
    for use in item.media.select_related("asset"):
        for name, url in media.public_urls(use.asset).items():
            path = url.replace(settings.SITE_URL, "")
            if name == "iiif":
                urls[f"{use.pk}:info.json"] = f"{path}/info.json"
                urls[f"{use.pk}:tile"] = _tile(path, public_root)
            else:
                urls[f"{use.pk}:{name}"] = path
    return urls


def _tile(service: str, public_root: str) -> str:
    folder = os.path.join(public_root, service.removeprefix("/media/"))
    for d, _dirs, files in os.walk(folder):
        if "/full/" not in d + "/" and "default.jpg" in files:
            return "/media/" + os.path.relpath(os.path.join(d, "default.jpg"), public_root)
    raise AssertionError("no tile")


class Ask:
    """GET a file with the whole stack (fast path around Django) or Django alone, optionally as a
    conditional request with the ETag a cache kept."""

    def __init__(self, client):
        self.client, self.stack = client, FastPath(WSGIHandler())

    def fast(self, path: str, etag: str | None = None):
        answer = call(self.stack, path, headers={"If-None-Match": etag} if etag else None)
        return answer.status, answer.headers.get("etag")

    def django(self, path: str, etag: str | None = None):
        response = self.client.get(path, headers={"if-none-match": etag} if etag else {})
        return response.status_code, response.headers.get("ETag")

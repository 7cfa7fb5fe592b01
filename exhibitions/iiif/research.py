"""IIIF documents for vetted research, behind the IIIF Authorization Flow API 2.0.

A separate set of URLs (/iiif/research/...) that no public collection, activity or page lists.
Images are served through Django from private storage (exhibitions/iiif/research_views.py), never
from public storage or the fast path. Each image carries a probe service (AuthProbeService2) whose
access service (AuthAccessService2, profile "active") is the reading room's sign-in, with a token
service (AuthAccessTokenService2) and a logout service (AuthLogoutService2).

What an item shows is the projection for the `research` surface (archive.consent decides); who may
see it is archive.research's question, asked at every request.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import storages
from django.utils.translation import gettext_noop
from iiif_prezi3 import Annotation, AnnotationPage, Canvas, Manifest
from PIL import Image

from archive.models import Item, ItemMedia
from archive.projection import PublicItem
from exhibitions.iiif.builders import _metadata, _required_statement
from exhibitions.iiif.common import dump, iiif_url, lang_map, provider, ui, ui_format

AUTH_CONTEXT = "http://iiif.io/api/auth/2/context.json"
IMAGE_CONTEXT = "http://iiif.io/api/image/3/context.json"
# The derivative a research image service serves (level 0: one size, the whole image).
IMAGE_DERIVATIVE = "web_jpeg"
NO_ACCESS_HEADING = gettext_noop("No research access")
NO_ACCESS_NOTE = gettext_noop("Your account has no approved, unexpired research access.")


def image_service_id(item_id, media_id) -> str:
    return iiif_url("research_image_base", item_id=item_id, media_id=media_id)


def probe_id(item_id, media_id) -> str:
    return iiif_url("research_probe", item_id=item_id, media_id=media_id)


def access_service() -> dict:
    site = settings.SITE_NAME
    return {
        "id": iiif_url("research_access"),
        "type": "AuthAccessService2",
        "profile": "active",
        "label": ui_format(gettext_noop("Sign in to the %(site)s reading room"), site=site),
        "heading": ui(gettext_noop("For vetted researchers only")),
        "note": ui_format(gettext_noop("Contributors shared this item with %(site)s for approved researchers only. "
                             "Sign in with the account an archivist approved."), site=site),
        "confirmLabel": ui(gettext_noop("Sign in")),
        "service": [
            {"id": iiif_url("research_token"), "type": "AuthAccessTokenService2",
             "errorHeading": ui(NO_ACCESS_HEADING), "errorNote": ui(NO_ACCESS_NOTE)},
            {"id": iiif_url("research_logout"), "type": "AuthLogoutService2",
             "label": ui_format(gettext_noop("Sign out of the %(site)s reading room"), site=site)},
        ],
    }


def probe_service(item_id, media_id) -> dict:
    return {
        "id": probe_id(item_id, media_id),
        "type": "AuthProbeService2",
        "service": [access_service()],
        "errorHeading": ui(gettext_noop("For vetted researchers only")),
        "errorNote": ui(gettext_noop("Sign in with an approved research account to see this image.")),
    }


def probe_result(granted: bool) -> dict:
    """The probe's answer (its own HTTP status is always 200). No `location`: the specification
    allows it only with a 30x status, and the content is at the URL the probe was declared for."""
    if granted:
        return {"@context": AUTH_CONTEXT, "type": "AuthProbeResult2", "status": 200}
    return {"@context": AUTH_CONTEXT, "type": "AuthProbeResult2", "status": 401,
            "heading": ui(gettext_noop("For vetted researchers only")),
            "note": ui(gettext_noop("Sign in with an approved research account to see this image."))}


def image_size(use: ItemMedia) -> tuple[int, int] | None:
    """The served image's pixel size, read from its header in private storage."""
    key = (use.asset.derivatives or {}).get(IMAGE_DERIVATIVE)
    storage = storages["private"]
    if not isinstance(key, str) or not storage.exists(key):
        return None
    with storage.open(key, "rb") as fh, Image.open(fh) as img:
        return img.size


def image_info(item_id, use: ItemMedia, size: tuple[int, int]) -> dict:
    w, h = size
    return {
        "@context": IMAGE_CONTEXT,
        "id": image_service_id(item_id, use.pk),
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": "level0",
        "width": w, "height": h,
        "sizes": [{"width": w, "height": h}],
        "service": [probe_service(item_id, use.pk)],
    }


def _canvas(base: str, item_id, use: ItemMedia, size: tuple[int, int]) -> Canvas:
    w, h = size
    canvas_id = f"{base}/canvas/{use.pk}"
    service = image_service_id(item_id, use.pk)
    body = {"id": f"{service}/full/max/0/default.jpg", "type": "Image", "format": "image/jpeg",
            "width": w, "height": h,
            "service": [probe_service(item_id, use.pk),
                        {"id": service, "type": "ImageService3", "profile": "level0"}]}
    page = AnnotationPage(id=f"{canvas_id}/page", items=[
        Annotation(id=f"{canvas_id}/page/painting", motivation="painting", body=body, target=canvas_id)])
    label = lang_map(use.caption) or lang_map(use.alt_text)
    return Canvas(id=canvas_id, width=w, height=h, items=[page], **({"label": label} if label else {}))


# A recording's served derivative and its IIIF body type, by kind.
RECORDINGS = {"audio": ("audio", "Sound", "audio/mp4"), "video": ("video", "Video", "video/mp4")}


def _recording_canvas(base: str, item_id, use: ItemMedia) -> Canvas | None:
    asset = use.asset
    derivative, kind, fmt = RECORDINGS[asset.kind]
    if not isinstance((asset.derivatives or {}).get(derivative), str) or not asset.duration or asset.duration <= 0:
        return None
    canvas_id = f"{base}/canvas/{use.pk}"
    body = {"id": iiif_url("research_recording", item_id=item_id, media_id=use.pk), "type": kind, "format": fmt,
            "duration": float(asset.duration), "service": [probe_service(item_id, use.pk)]}
    dims = {"width": asset.width, "height": asset.height} if asset.kind == "video" and asset.width else {}
    body.update(dims)
    page = AnnotationPage(id=f"{canvas_id}/page", items=[
        Annotation(id=f"{canvas_id}/page/painting", motivation="painting", body=body, target=canvas_id)])
    label = lang_map(use.caption) or lang_map(use.alt_text)
    return Canvas(id=canvas_id, duration=float(asset.duration), items=[page], **dims,
                  **({"label": label} if label else {}))


def _canvases(base: str, pub: PublicItem) -> list[Canvas]:
    """Images (level-0 image service) and recordings, in media order; each behind its probe."""
    canvases = []
    for use in pub.media:
        canvas = None
        if use.asset.kind == "image":
            size = image_size(use)
            canvas = _canvas(base, pub.id, use, size) if size else None
        elif use.asset.kind in RECORDINGS:
            canvas = _recording_canvas(base, pub.id, use)
        if canvas is not None:
            canvases.append(canvas)
    return canvases


def build_manifest(pub: PublicItem, *, described: bool) -> dict:
    """The research manifest. `described`: the requester is an approved researcher, so the item's
    description is included; anyone else gets the canvases and their auth services only, enough for
    a viewer to start the sign-in flow, and nothing of the contributor's words."""
    base = iiif_url("research_manifest", item_id=pub.id)
    canvases = _canvases(base, pub)
    if not described:
        manifest = Manifest(id=base, label=ui(gettext_noop("Item for vetted research")), provider=provider(), items=canvases)
        return dump(manifest)
    summary = lang_map(pub.story if pub.kind == Item.Kind.OBJECT_STORY else pub.summary) or lang_map(pub.story)
    manifest = Manifest(id=base, label=lang_map(pub.title) or {"none": [pub.id]}, metadata=_metadata(pub),
                        requiredStatement=_required_statement(pub), provider=provider(), items=canvases,
                        **({"summary": summary} if summary else {}))
    return dump(manifest)

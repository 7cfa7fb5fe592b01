"""IIIF Presentation 3 item manifests, built with iiif-prezi3 from the public projection only.

Every document starts from archive.projection.public_projection(item, "iiif") (or the exhibition
selectors filtered through the consent policy): a field or media the consent does not open on
the `iiif` surface cannot reach a manifest, a collection (exhibitions/iiif/collections.py) or a
search answer (exhibitions/iiif/search.py).
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_noop as N_
from iiif_prezi3 import (
    Annotation,
    AnnotationPage,
    Canvas,
    Manifest,
    PlaceholderCanvas,
    ServiceV3,
)

from archive import consent
from archive.models import Item, ItemMedia
from archive.projection import PublicItem, public_projection
from exhibitions.iiif.common import (
    dump,
    iiif_url,
    image_service,
    item_page_url,
    lang_map,
    media_format,
    media_urls,
    provider,
    rights_uri,
    ui,
    ui_format,
)
from media_pipeline.models import MediaAsset

KIND_LABELS = {
    Item.Kind.TESTIMONY: N_("Testimony"),
    Item.Kind.PHOTOGRAPH: N_("Photograph"),
    Item.Kind.OBJECT_STORY: N_("Object story"),
}
WARNING_LABELS = {
    "violence": N_("violence"),
    "injury": N_("injury"),
    "death": N_("death"),
    "weapons": N_("weapons"),
    "distress": N_("distress"),
}


def manifest_id(item_id) -> str:
    return iiif_url("manifest", item_id=item_id)


def _nav_date(pub: PublicItem) -> str | None:
    if not pub.date_start:
        return None
    return f"{pub.date_start.isoformat()}T00:00:00Z"


def _place_text(pub: PublicItem) -> str:
    return pub.place + (f" ({pub.country})" if pub.country else "")


def _subjects_value(subjects: list[dict]) -> dict:
    """One comma-joined line per language any subject has; a subject missing that language falls
    back to English, then to its slug."""
    langs = sorted({k for s in subjects for k in lang_map(s["label"])})
    return {
        lang: [", ".join(lang_map(s["label"]).get(lang, lang_map(s["label"]).get("en", [s["slug"]]))[0] for s in subjects)]
        for lang in langs
    }


def _metadata_rows(pub: PublicItem):
    """(label, value) pairs in display order; a value that is empty is left out by the caller."""
    yield N_("Kind"), ui(KIND_LABELS.get(pub.kind, pub.kind))
    if pub.date_text or pub.date_start:
        yield N_("Date"), {"none": [pub.date_text or pub.date_start.isoformat()]}
    if pub.place:
        yield N_("Place"), {"none": [_place_text(pub)]}
    if pub.event:
        yield N_("Event"), lang_map(pub.event["name"])
    if pub.subjects:
        yield N_("Subjects"), _subjects_value(pub.subjects)
    if pub.kind == Item.Kind.OBJECT_STORY:
        yield N_("Story"), lang_map(pub.story)
    if pub.name:
        yield N_("Shared by"), {"none": [pub.name]}
    if pub.content_warnings:
        yield N_("Content warning"), _warning_text(pub)
    if pub.rights and not rights_uri(pub.rights):
        yield N_("Rights"), {"none": [pub.rights]}


def _metadata(pub: PublicItem) -> list[dict]:
    return [{"label": ui(label), "value": value} for label, value in _metadata_rows(pub) if value]


def _warning_text(pub: PublicItem) -> dict:
    out: dict[str, list[str]] = {}
    for warning in pub.content_warnings:
        for lang, texts in ui(WARNING_LABELS.get(warning, warning)).items():
            out.setdefault(lang, []).append(texts[0])
    return {lang: [", ".join(words)] for lang, words in out.items()}


def _required_statement(pub: PublicItem) -> dict:
    from django.conf import settings

    if pub.name:
        value = ui_format(N_("Shared by %(name)s with %(site)s"), name=pub.name, site=settings.SITE_NAME)
    else:
        value = ui_format(N_("Shared anonymously with %(site)s"), site=settings.SITE_NAME)
    return {"label": ui(N_("Attribution")), "value": value}


def _painting_page(canvas_id: str, body: dict) -> AnnotationPage:
    return AnnotationPage(
        id=f"{canvas_id}/page",
        items=[Annotation(id=f"{canvas_id}/page/painting", motivation="painting", body=body, target=canvas_id)],
    )


def _image_canvas(base: str, media: ItemMedia, asset: MediaAsset) -> Canvas | None:
    urls = media_urls(asset)
    web = urls.get("web_jpeg") or urls.get("web")  # JPEG first: every viewer reads it
    if not web or not asset.width or not asset.height:
        return None  # not published (yet or any more): no canvas rather than a broken one
    canvas_id = f"{base}/canvas/{media.pk}"
    body = {"id": web, "type": "Image", "format": media_format(web, "image/jpeg")}
    service = image_service(asset)
    if service:
        body["service"] = [ServiceV3(id=service, type="ImageService3", profile="level0")]
        # Level 0: the body's id names a size that exists as a static file, dimensions unknown.
    label = lang_map(media.caption) or lang_map(media.alt_text)
    canvas = Canvas(id=canvas_id, width=asset.width, height=asset.height, items=[_painting_page(canvas_id, body)],
                    **({"label": label} if label else {}))
    thumb = urls.get("thumb")
    if thumb:
        canvas.thumbnail = [{"id": thumb, "type": "Image", "format": media_format(thumb, "image/jpeg")}]
    return canvas


def _av_body(src: str, asset: MediaAsset, is_video: bool) -> tuple[dict, dict]:
    """The painting body of a recording, and the dimensions its canvas shares (video only)."""
    body = {"id": src, "type": "Video" if is_video else "Sound",
            "format": media_format(src, "video/mp4" if is_video else "audio/mp4"), "duration": float(asset.duration)}
    dims = {}
    if is_video and asset.width and asset.height:
        dims = {"width": asset.width, "height": asset.height}
        body.update(dims)
    return body, dims


def _transcript_annotation(canvas_id: str, t: ItemMedia) -> Annotation | None:
    vtt = media_urls(t.asset).get("vtt")
    if not vtt:
        return None
    text = {"id": vtt, "type": "Text", "format": "text/vtt",
            "label": ui(N_("Transcript")) if not t.language else {t.language: [_transcript_label(t.language)]}}
    if t.language:
        text["language"] = t.language
    return Annotation(id=f"{canvas_id}/transcripts/{t.pk}", motivation="supplementing", body=text, target=canvas_id)


def _av_canvas(base: str, media: ItemMedia, asset: MediaAsset, transcripts: list[ItemMedia]) -> Canvas | None:
    urls = media_urls(asset)
    is_video = asset.kind == MediaAsset.Kind.VIDEO
    src = urls.get("video") if is_video else urls.get("audio")
    if not src or not asset.duration or asset.duration <= 0:
        return None
    canvas_id = f"{base}/canvas/{media.pk}"
    body, dims = _av_body(src, asset, is_video)
    label = lang_map(media.caption) or lang_map(media.alt_text)
    canvas = Canvas(id=canvas_id, duration=float(asset.duration), items=[_painting_page(canvas_id, body)],
                    **dims, **({"label": label} if label else {}))
    poster = urls.get("poster") or urls.get("thumb")
    if poster:
        canvas.thumbnail = [{"id": poster, "type": "Image", "format": media_format(poster, "image/jpeg")}]
    supplementing = [a for a in (_transcript_annotation(canvas_id, t) for t in transcripts) if a is not None]
    if supplementing:
        canvas.annotations = [AnnotationPage(id=f"{canvas_id}/transcripts", items=supplementing)]
    return canvas


def _transcript_label(lang: str) -> str:
    from django.utils import translation

    with translation.override(lang):
        return translation.gettext("Transcript")


def _placeholder(base: str, pub: PublicItem) -> PlaceholderCanvas:
    """A canvas viewers show before the content: it carries the content warning."""
    pid = f"{base}/placeholder"
    warning = _warning_text(pub)
    text = "; ".join(f"{texts[0]}" for texts in warning.values())
    body = {"type": "TextualBody", "value": text, "format": "text/plain"}
    return PlaceholderCanvas(
        id=pid, width=1600, height=900,
        label=ui(N_("Content warning")), summary=warning,
        items=[AnnotationPage(id=f"{pid}/page", items=[
            Annotation(id=f"{pid}/page/painting", motivation="painting", body=body, target=pid)])],
    )


def search_service_id(item_id) -> str:
    return iiif_url("content_search", item_id=item_id)


def _transcripts_by_media(pub: PublicItem) -> dict[int, list[ItemMedia]]:
    """Each recording's public transcripts, by the recording's ItemMedia pk."""
    media_pks = {m.pk for m in pub.media}
    transcripts_for: dict[int, list[ItemMedia]] = {}
    for m in pub.media:
        if m.role == ItemMedia.Role.TRANSCRIPT and m.transcribes_id in media_pks:
            transcripts_for.setdefault(m.transcribes_id, []).append(m)
    return transcripts_for


def _canvases(base: str, pub: PublicItem) -> tuple[list[Canvas], bool]:
    """The item's canvases in media order, and whether any recording has searchable cues."""
    transcripts_for = _transcripts_by_media(pub)
    canvases = []
    searchable = False
    for m in pub.media:
        if m.role == ItemMedia.Role.TRANSCRIPT:
            continue
        asset = m.asset
        canvas = None
        if asset.kind == MediaAsset.Kind.IMAGE:
            canvas = _image_canvas(base, m, asset)
        elif asset.kind in (MediaAsset.Kind.AUDIO, MediaAsset.Kind.VIDEO):
            transcripts = transcripts_for.get(m.pk, [])
            canvas = _av_canvas(base, m, asset, transcripts)
            searchable = searchable or any(t.asset.cues and media_urls(t.asset) for t in transcripts)
        if canvas is not None:
            canvases.append(canvas)
    return canvases, searchable


def _homepage(item: Item, pub: PublicItem) -> list[dict]:
    lang = pub.original_language if pub.original_language in _site_languages() else "en"
    return [{"id": item_page_url(item.pk, lang), "type": "Text",
             "label": lang_map(pub.title) or {"none": [str(pub.id)]}, "format": "text/html"}]


def _set_optional(manifest: Manifest, base: str, item: Item, pub: PublicItem, canvases: list[Canvas],
                  searchable: bool, at: datetime | None) -> None:
    # Each is set only when present, so the document carries no empty property.
    rights = rights_uri(pub.rights)
    if rights:
        manifest.rights = rights
    nav = _nav_date(pub)
    if nav:
        manifest.navDate = nav
    if consent.allows(item, "web", at):
        manifest.homepage = _homepage(item, pub)
    thumbs = [c.thumbnail[0] for c in canvases if c.thumbnail]
    if thumbs:
        manifest.thumbnail = [thumbs[0]]
    if pub.content_warnings:
        manifest.placeholderCanvas = _placeholder(base, pub)
    if searchable:
        manifest.service = [ServiceV3(id=search_service_id(item.pk), type="SearchService2")]


def build_manifest(item: Item, at: datetime | None = None) -> dict | None:
    """The item's IIIF manifest as a dict, or None where the consent forbids it on `iiif`."""
    pub = public_projection(item, "iiif", at)
    if pub is None:
        return None
    base = manifest_id(item.pk)
    canvases, searchable = _canvases(base, pub)
    summary = lang_map(pub.story if pub.kind == Item.Kind.OBJECT_STORY else pub.summary) or lang_map(pub.story)
    manifest = Manifest(
        id=base,
        label=lang_map(pub.title) or {"none": [str(pub.id)]},
        metadata=_metadata(pub),
        requiredStatement=_required_statement(pub),
        provider=provider(),
        items=canvases,
        **({"summary": summary} if summary else {}),
    )
    _set_optional(manifest, base, item, pub, canvases, searchable, at)
    return dump(manifest)


def _site_languages() -> set[str]:
    from django.conf import settings

    return {code for code, _ in settings.LANGUAGES}

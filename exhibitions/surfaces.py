"""The exhibitions app's surfaces, registered with the archive's registry (archive/surfaces.py).

Public pages filter through the consent policy at read time; these keep what is stored in line
(entry flags for curators, Change Discovery activities, the search facet) and erase what the
exhibitions keep about an erased item.
"""

from __future__ import annotations

from datetime import datetime

from archive import consent, surfaces
from archive.models import Item


class ExhibitionSurface(surfaces.Surface):
    """Placement in exhibitions, the receipt's list of them, the search facet, and erasure.

    Search documents carry the slugs of every *published* exhibition placing the item (scheduled
    ones too, so a document indexed today is right on the remembrance day without a reindex);
    whether an exhibition is live is a read-time question, answered by `facet_values`.
    """

    name = "exhibition"
    label = "Exhibitions"

    def propagate(self, item: Item) -> str:
        from exhibitions.services import consent_sync

        return consent_sync.sync_entries_for_item(item)

    def locate(self, item: Item) -> list[str]:
        """The titles, in the visitor's language, of the exhibitions the public can see now that
        hold the item and whose entries consent lets it show in."""
        from archive.i18n import pick
        from exhibitions.selectors import entries_q, live_exhibitions

        live = live_exhibitions().filter(entries__in=item.exhibition_entries.filter(entries_q()))
        return [pick(exhibition.title).text or exhibition.slug for exhibition in live.distinct().order_by("slug")]

    def linked_data(self, page, request, data: dict) -> None:
        """`isPartOf`: the exhibitions the public can see now that show the item."""
        from exhibitions.linked_data import item_exhibitions

        found = item_exhibitions(page, request)
        if found:
            data["isPartOf"] = found

    def erase(self, item: Item) -> str:
        """An erased item leaves no entry (its caption is the curator's words about the person) and
        no cover; cached IIIF documents that held its texts are dropped once the erasure commits."""

        from exhibitions.models import Exhibition, ExhibitionEntry

        Exhibition.objects.filter(cover__item=item).update(cover=None)
        removed, _by_model = ExhibitionEntry.objects.filter(item=item).delete()
        return f"{removed} exhibition entries removed"

    def contribute(self, item: Item, document: dict) -> None:
        from exhibitions import selectors

        document["exhibitions"] = list(document.get("exhibitions") or []) + selectors.exhibition_slugs_for_item(item)

    def facet_labels(self, facet: str, values: list[str], language: str) -> dict[str, str]:
        if facet != "exhibition":
            return {}
        from archive.i18n import pick
        from exhibitions import selectors

        live = selectors.live_exhibitions().filter(slug__in=values)
        return {e.slug: pick(e.title, language).text or e.slug for e in live}

    def facet_values(self, facet: str, at: datetime | None) -> set[str] | None:
        if facet != "exhibition":
            return None
        from exhibitions import selectors

        return selectors.live_exhibition_slugs(at)

    def links(self, items: list[Item], request, wanted: frozenset[str]) -> dict:
        """The live exhibitions showing each item, where `exhibition` allows it now: one query."""
        if "exhibitions" not in wanted:
            return {}
        from django.urls import reverse

        from exhibitions.iiif.common import iiif_url
        from exhibitions.models import ExhibitionEntry
        from exhibitions.selectors import entries_q, live_q

        allowed = {item.pk: item for item in items if consent.allows(item, "exhibition")}
        out: dict = {pk: {"exhibitions": []} for pk in allowed}
        entries = (ExhibitionEntry.objects.filter(entries_q(), live_q(prefix="exhibition__"), item__in=list(allowed))
                   .select_related("exhibition").order_by("exhibition__slug", "position"))
        for entry in entries:
            excluded = allowed[entry.item_id].current_consent.excluded_media or []
            listed = out[entry.item_id]["exhibitions"]
            if entry.media_id in excluded or any(e["slug"] == entry.exhibition.slug for e in listed):
                continue  # an entry whose chosen media consent excludes is not shown (selectors.public_entries)
            slug = entry.exhibition.slug
            listed.append({
                "slug": slug, "title": entry.exhibition.title or {},
                "url": request.build_absolute_uri(reverse("exhibition-detail", kwargs={"slug": slug})),
                "collection": iiif_url("exhibition_collection", slug=slug),
            })
        return out


class IIIFSurface(surfaces.Surface):
    """Manifests, collections, content search, change discovery: propagation drops cached documents
    and emits Change Discovery activities (Create/Update/Delete) matching the policy now, plus those
    that a future embargo end or expiry will cause."""

    name = "iiif"
    label = "IIIF manifests and change stream"

    def propagate(self, item: Item) -> str:
        from django.utils import timezone

        from exhibitions.iiif import changes
        from exhibitions.models import Exhibition
        from exhibitions.selectors import live_q

        now = timezone.now()
        emitted = changes.sync_item(item, now)
        # Collections that list the item changed too (only those live now and holding it).
        for exhibition in Exhibition.objects.filter(live_q(), entries__item=item).distinct():
            changes.sync_exhibition(exhibition)
        if not emitted:
            return "IIIF already up to date"
        return "IIIF " + ", ".join(f"{a.type} {'scheduled' if a.end_time > now else 'now'}" for a in emitted)


    def linked_data(self, page, request, data: dict) -> None:
        """The IIIF manifest as an encoding of the item, where consent shares it for IIIF."""
        if not page.in_iiif:
            return
        from exhibitions.iiif.common import iiif_url

        data["encoding"] = {"@type": "MediaObject", "contentUrl": iiif_url("manifest", item_id=page.item.id),
                            "encodingFormat": 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'}

    def panels(self, page, request) -> list[str]:
        """"Open in a IIIF viewer" on the item page, where the consent shares the item for IIIF."""
        if not page.in_iiif:
            return []
        from django.template.loader import render_to_string
        from django.urls import reverse

        url = request.build_absolute_uri(reverse("iiif:manifest", args=[page.item.id]))
        return [render_to_string("exhibitions/viewers/iiif_link.html", {"url": url, "kind": "manifest"},
                                 request=request)]

    def links(self, items: list[Item], request, wanted: frozenset[str]) -> dict:
        """The manifest (and the image services of the media `iiif` allows) of each item it shares."""
        from django.db.models import Prefetch, prefetch_related_objects

        from archive.models import ItemMedia
        from exhibitions.iiif.builders import manifest_id
        from exhibitions.iiif.common import image_service

        shared = [item for item in items if consent.allows(item, "iiif")]
        if "image_services" in wanted:  # no-op for items whose media the caller prefetched already
            prefetch_related_objects(shared, Prefetch("media", queryset=ItemMedia.objects.select_related("asset")))
        out: dict = {}
        for item in shared:
            links: dict = {"manifest": manifest_id(item.pk)} if "manifest" in wanted else {}
            if "image_services" in wanted:
                links["image_services"] = [
                    {"media": media.pk, "id": service, "type": "ImageService3", "profile": "level0"}
                    for media in consent.allowed_media(item, "iiif") if (service := image_service(media.asset))
                ]
            out[item.pk] = links
        return out


class ShareCardSurface(surfaces.Surface):
    """Share cards (exhibitions/kit/cards.py) are drawn from consented pictures; a consent change
    or an erasure deletes the stored cards that may show the item, before the exhibition surface
    removes its entries (registered first for that reason)."""

    name = "share_cards"
    label = "Share cards"

    def propagate(self, item: Item) -> str:
        from exhibitions.kit import cards

        return f"{cards.drop_for_item(item)} share cards redrawn"

    def erase(self, item: Item) -> str:
        return self.propagate(item)


def register() -> None:
    """Called once from ExhibitionsConfig.ready()."""
    surfaces.register(ShareCardSurface())
    surfaces.register(ExhibitionSurface())
    surfaces.register(IIIFSurface())

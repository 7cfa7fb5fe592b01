"""manage.py export_bag ITEM|EXHIBITION|--all: BagIt preservation packages, validated after writing.

An item's bag holds its metadata JSON, masters and derivatives (from private storage), consent
history with the evidence of paper consents, its audit trail and its public IIIF manifest (where
consent allows one). An exhibition's bag holds its texts, entries with captions, its IIIF
collection, and each of its items as above under items/<id>/. Lives in exhibitions/ because it
uses the IIIF builders (floors: archive does not import exhibitions).
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from archive import audit
from archive.curator.preservation import PreservationError, make_bag, write_item_payload
from archive.models import Item
from exhibitions.iiif import builders, collections
from exhibitions.models import Exhibition


def _iiif(item: Item, data: Path) -> None:
    manifest = builders.build_manifest(item)
    if manifest is not None:
        (data / "iiif").mkdir(exist_ok=True)
        (data / "iiif" / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))


def export_item(item: Item, out: Path) -> Path:
    dest = out / f"item-{item.pk}"
    make_bag(dest, lambda root: write_item_payload(item, root, _iiif), {
        "External-Identifier": str(item.pk), "External-Description": f"Memories item ({item.kind})"})
    audit.record("preservation.exported", actor_label="system", item=item, target=str(dest.name))
    return dest


def export_exhibition(exhibition: Exhibition, out: Path) -> Path:
    dest = out / f"exhibition-{exhibition.slug}"

    def fill(root: Path) -> None:
        entries = list(exhibition.entries.select_related("item").order_by("position", "id"))
        meta = {
            "slug": exhibition.slug, "title": exhibition.title, "summary": exhibition.summary,
            "introduction": exhibition.introduction, "status": exhibition.status,
            "publish_at": exhibition.publish_at.isoformat() if exhibition.publish_at else None,
            "unpublish_at": exhibition.unpublish_at.isoformat() if exhibition.unpublish_at else None,
            "sections": [{"id": s.pk, "position": s.position, "title": s.title, "text": s.text}
                         for s in exhibition.sections.all()],
            "entries": [{"position": e.position, "item": str(e.item_id), "media": e.media_id, "section": e.section_id,
                         "caption": e.caption} for e in entries],
        }
        (root / "exhibition.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1))
        (root / "iiif").mkdir()
        (root / "iiif" / "collection.json").write_text(
            json.dumps(collections.build_exhibition_collection(exhibition), ensure_ascii=False, indent=1))
        for item_id in dict.fromkeys(e.item_id for e in entries):
            item = Item.objects.get(pk=item_id)
            if item.status != Item.Status.ERASED:
                write_item_payload(item, root / "items" / str(item_id), _iiif)

    make_bag(dest, fill, {"External-Identifier": exhibition.slug, "External-Description": "Memories exhibition"})
    audit.record("preservation.exported", actor_label="system", target=f"exhibition:{exhibition.slug}")
    return dest


class Command(BaseCommand):
    help = "Write BagIt preservation packages for an item (id), an exhibition (slug), or --all."

    def add_arguments(self, parser):
        parser.add_argument("target", nargs="?", help="An item id (UUID) or an exhibition slug.")
        parser.add_argument("--all", action="store_true", help="Every item (except erased) and every exhibition.")
        parser.add_argument("--output", default=None, help="Folder for the bags (default: var/bags).")

    def handle(self, *args, target=None, all=False, output=None, **options):  # noqa: A002
        if bool(target) == bool(all):
            raise CommandError("Give one item id or exhibition slug, or --all.")
        out = Path(output or Path(settings.VAR_DIR) / "bags")
        jobs = []
        if all:
            jobs += [("item", i) for i in Item.objects.exclude(status=Item.Status.ERASED).order_by("created_at")]
            jobs += [("exhibition", e) for e in Exhibition.objects.order_by("slug")]
        else:
            try:
                jobs.append(("item", Item.objects.get(pk=uuid.UUID(target))))
            except (ValueError, Item.DoesNotExist):
                try:
                    jobs.append(("exhibition", Exhibition.objects.get(slug=target)))
                except Exhibition.DoesNotExist:
                    raise CommandError(f"No item or exhibition called {target!r}.") from None
            if jobs[0][0] == "item" and jobs[0][1].status == Item.Status.ERASED:
                raise CommandError("This item was erased: nothing is kept to preserve.")
        written = []
        for kind, obj in tqdm(jobs, desc="bags", unit="bag", disable=len(jobs) < 2 or options["verbosity"] < 1):
            try:
                written.append(export_item(obj, out) if kind == "item" else export_exhibition(obj, out))
            except PreservationError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(f"{len(written)} bag(s) written and validated in {out}")

"""export_bag: BagIt packages of the demo content, validated by bagit after writing."""

import hashlib
import io
import json
from pathlib import Path

import bagit
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from archive.curator import services as curator_services
from archive.models import Item, ItemMedia
from exhibitions.models import Exhibition
from media_pipeline import services as pipeline
from tests.curator.test_redaction import noisy_jpeg, own_storage  # noqa: F401 (fixture)
from tests.factories import ExhibitionEntryFactory, ExhibitionFactory, ItemFactory

pytestmark = pytest.mark.django_db


def test_export_all_on_the_demo_content_writes_valid_bags(tmp_path, archivist):
    call_command("seed_demo", stdout=io.StringIO())
    # One photo through the real pipeline, and a paper consent with evidence, so that masters,
    # derivatives and evidence are all in the packages.
    asset = pipeline.intake(io.BytesIO(noisy_jpeg(640, 480)), "photo.jpg")
    pipeline.process(asset)
    item = Item.objects.filter(status=Item.Status.PUBLISHED).first()
    ItemMedia.objects.create(item=item, asset=asset, role="photo")
    curator_services.record_paper_consent(
        item, actor=archivist, scopes=["web", "iiif", "exhibition"], name_display="anonymous",
        evidence=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 synthetic\n%%EOF"), evidence_ext="pdf")
    out = tmp_path / "bags"
    stdout = io.StringIO()
    call_command("export_bag", "--all", "--output", str(out), stdout=stdout)
    bags = sorted(p for p in out.iterdir() if p.is_dir())
    items = Item.objects.exclude(status=Item.Status.ERASED).count()
    assert len(bags) == items + Exhibition.objects.count()
    assert items >= 40 and f"{len(bags)} bag(s) written and validated" in stdout.getvalue()
    for path in bags:
        bagit.Bag(str(path)).validate()  # raises if anything is missing or altered
    data = out / f"item-{item.pk}" / "data"
    history = json.loads((data / "consent" / "history.json").read_text())
    assert history[-1]["method"] == "paper" and (data / history[-1]["evidence"]).read_bytes().startswith(b"%PDF")
    asset_dir = data / "media" / str(asset.pk)
    meta = json.loads((asset_dir / "asset.json").read_text())
    master = asset_dir / meta["files"]["master"]
    asset.refresh_from_db()
    assert hashlib.sha256(master.read_bytes()).hexdigest() == asset.master_sha256
    assert {"web", "thumb"} <= set(meta["files"])
    assert (data / "iiif" / "manifest.json").exists()
    assert json.loads((data / "item.json").read_text())["id"] == str(item.pk)
    # No contact details of contributors in any package.
    contributor = item.contributor
    if contributor and contributor.contact_email:
        for path in out.rglob("*.json"):
            assert contributor.contact_email not in path.read_text()


def test_exhibition_bag_and_bad_targets(tmp_path):
    tmp_path = tmp_path / "bags"
    exhibition = ExhibitionFactory(slug="objects-that-remember")
    ExhibitionEntryFactory(exhibition=exhibition, item=ItemFactory(), caption={"en": "A caption"})
    call_command("export_bag", "objects-that-remember", "--output", str(tmp_path), stdout=io.StringIO())
    bag = bagit.Bag(str(tmp_path / "exhibition-objects-that-remember"))
    bag.validate()
    meta = json.loads(Path(bag.path, "data", "exhibition.json").read_text())
    assert meta["entries"][0]["caption"] == {"en": "A caption"}
    assert Path(bag.path, "data", "iiif", "collection.json").exists()
    with pytest.raises(CommandError, match="No item or exhibition"):
        call_command("export_bag", "nothing-here", "--output", str(tmp_path))
    with pytest.raises(CommandError):
        call_command("export_bag", "--output", str(tmp_path))
    # A second run replaces the bag; no temporary folder is left behind.
    call_command("export_bag", "objects-that-remember", "--output", str(tmp_path), stdout=io.StringIO())
    assert [p.name for p in tmp_path.iterdir()] == ["exhibition-objects-that-remember"]

"""manage.py ingest (folder and CSV manifest, safe re-runs) and manage.py verify_fixity."""

import io
import os

import pytest
from django.core.management import CommandError, call_command

from archive import consent
from archive.models import Item, ItemMedia
from media_pipeline.models import MediaAsset
from tests.media_pipeline import makers

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, "--no-progress", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_folder_ingest_with_refusals_and_safe_rerun(tmp_path, public_files):
    folder = tmp_path / "import"
    (folder / "sub").mkdir(parents=True)
    (folder / "square.jpg").write_bytes(makers.jpeg(120, 90, gps=True))
    (folder / "sub" / "voice.wav").write_bytes(makers.wav(0.3))
    (folder / "sub" / "voice.vtt").write_text(makers.VTT)
    (folder / "notes.jpg").write_bytes(b"<html><script>alert(1)</script></html>")
    (folder / "empty.png").write_bytes(b"")

    out = run("ingest", str(folder))
    assert "Accepted 2, skipped 0 already in the archive, refused 2." in out
    assert "notes.jpg" in out and "web page" in out and "empty.png" in out and "empty" in out
    photo = Item.objects.get(kind=Item.Kind.PHOTOGRAPH)
    testimony = Item.objects.get(kind=Item.Kind.TESTIMONY)
    assert photo.status == Item.Status.SUBMITTED and not consent.allows(photo, "web")
    assert photo.current_consent.scopes == []  # nothing public without scopes
    uses = {m.role: m for m in testimony.media.all()}
    assert set(uses) == {ItemMedia.Role.RECORDING, ItemMedia.Role.TRANSCRIPT}
    assert uses[ItemMedia.Role.TRANSCRIPT].transcribes == uses[ItemMedia.Role.RECORDING]
    assert all(a.status == MediaAsset.Status.READY for a in MediaAsset.objects.all())
    assert MediaAsset.objects.count() == 3 and public_files() == []

    again = run("ingest", str(folder))
    assert "Accepted 0, skipped 2 already in the archive, refused 2." in again
    assert Item.objects.count() == 2 and MediaAsset.objects.count() == 3


def test_manifest_ingest_with_metadata_and_scopes(tmp_path):
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "a.jpg").write_bytes(makers.jpeg(100, 80))
    (tmp_path / "files" / "b.png").write_bytes(makers.image_bytes("png", 50, 40))
    (tmp_path / "secret.txt").write_text("outside")
    manifest = tmp_path / "files" / "manifest.csv"
    manifest.write_text(
        "file,kind,title,language,story,place,country,alt_text,content_warnings,scopes,name_display,display_name\n"
        "a.jpg,object_story,Une montre,fr,Elle s'est arrêtée.,Paris,fr,Une montre,violence,web;search,pseudonym,Quiet\n"
        "b.png,,Flowers,,,,,,,,,\n"
        "../secret.txt,,x,,,,,,,,,\n"
        "missing.jpg,,x,,,,,,,,,\n"
        "a.jpg,photograph,dup,,,,,,,,,\n"
        "b.png,,bad scope,,,,,,,everywhere,,\n", encoding="utf-8")
    out = run("ingest", str(manifest))
    assert "Accepted 2, skipped 1 already in the archive, refused 3." in out
    assert "leaves the manifest's folder" in out and "no such file" in out
    watch = Item.objects.get(kind=Item.Kind.OBJECT_STORY)
    assert watch.title == {"fr": "Une montre"} and watch.country == "FR" and watch.content_warnings == ["violence"]
    assert watch.current_consent.scopes == ["web", "search"] and watch.current_consent.name_display == "pseudonym"
    assert watch.media.get().alt_text == {"fr": "Une montre"}
    assert not consent.allows(watch, "web")  # awaiting review: consent alone does not publish


def test_ingest_refuses_a_path_that_is_neither(tmp_path):
    with pytest.raises(CommandError):
        run("ingest", str(tmp_path / "nope.txt"))


def test_verify_fixity_reports_changed_and_missing_files(tmp_path, media_storage):
    folder = tmp_path / "imp"
    folder.mkdir()
    for i in range(3):
        (folder / f"p{i}.jpg").write_bytes(makers.jpeg(40 + i, 30))
    run("ingest", str(folder))
    assert "Checked 3 assets: 3 intact, 0 with problems." in run("verify_fixity")
    a, b, _c = MediaAsset.objects.order_by("original_name")
    with open(os.path.join(media_storage["private"], a.original_key), "ab") as fh:
        fh.write(b"x")
    os.unlink(os.path.join(media_storage["private"], b.master_key))
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 assets failed"):
        call_command("verify_fixity", "--no-progress", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "original does not match its recorded checksum" in text and "master is missing" in text
    assert "Checked 3 assets: 1 intact, 2 with problems." in text

"""manage.py ingest PATH: bulk import of a folder, or of a CSV manifest of files and metadata.

Every file goes through the media pipeline's intake (type from the bytes, limits, refusal with a
reason) and is processed; each accepted file (or manifest row) becomes an item *awaiting review*
with a first consent version. Without `scopes` that consent opens nothing: bulk imports are never
public until a curator has looked at them and the consent allows it.

Safe to run again: a file whose sha256 matches an asset already in the archive is skipped, so
nothing is ingested twice.

With --queue the files are taken in (checked, kept in quarantine, item and consent recorded) and
their processing is queued for `manage.py run_worker` (queue "media") instead of done here: several
workers then share a large batch, and a worker killed mid-batch loses nothing (its asset is resumed
from its last finished step by the next sweep; leases keep two workers off one asset).

CSV columns (header row; only `file` is required):
  file, transcript, kind (photograph | testimony | object_story), title, language, story, date_text,
  place, country, alt_text, content_warnings (";"-separated), scopes (";"- or ","-separated
  surfaces), name_display, display_name
Paths in the manifest are relative to the manifest's folder and must stay inside it.
"""

from __future__ import annotations

import csv
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from archive import services
from archive.models import SURFACES, ConsentVersion, Item, ItemMedia
from media_pipeline import services as media
from media_pipeline import tasks as media_tasks
from media_pipeline.exceptions import IntakeError, MediaPipelineError, TransientStorageError

KIND_FOR_MEDIA = {"image": Item.Kind.PHOTOGRAPH, "audio": Item.Kind.TESTIMONY, "video": Item.Kind.TESTIMONY,
                  "transcript": Item.Kind.TESTIMONY}
ROLE_FOR_MEDIA = {"image": ItemMedia.Role.PHOTO, "audio": ItemMedia.Role.RECORDING,
                  "video": ItemMedia.Role.RECORDING, "transcript": ItemMedia.Role.TRANSCRIPT}
TRANSCRIPT_SUFFIXES = {".vtt", ".srt", ".txt"}


@dataclass
class Summary:
    accepted: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.replace(",", ";").split(";") if v.strip()]


class Command(BaseCommand):
    help = "Import a folder of media, or a CSV manifest of files and metadata (re-runs skip what is in)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--language", default="en", help="Language of titles and text without a column.")
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument("--queue", action="store_true",
                            help="Queue processing for run_worker (queue 'media') instead of processing here.")

    def handle(self, *args, path: str, language: str = "en", no_progress: bool = False, queue: bool = False,
               **options):
        source = Path(path)
        if source.is_dir():
            rows = self._folder_rows(source)
            base = source
        elif source.is_file() and source.suffix.lower() == ".csv":
            rows = self._manifest_rows(source)
            base = source.parent
        else:
            raise CommandError(f"{path} is neither a folder nor a .csv manifest.")
        summary = Summary()
        self.queue = queue
        for row in tqdm(rows, disable=no_progress, unit="file", file=self.stderr):
            self._ingest(row, base.resolve(), language, summary)
        self._report(summary)

    # --- sources -------------------------------------------------------------------------------

    def _folder_rows(self, folder: Path) -> list[dict]:
        files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
        stems = {(p.parent, p.stem): p for p in files if p.suffix.lower() not in TRANSCRIPT_SUFFIXES}
        rows, used = [], set()
        for p in files:
            if p.suffix.lower() in TRANSCRIPT_SUFFIXES and (p.parent, p.stem) in stems:
                continue  # attached to the recording of the same name below
            row = {"file": str(p.relative_to(folder))}
            transcript = next((p.with_suffix(s) for s in TRANSCRIPT_SUFFIXES if p.with_suffix(s).exists()), None)
            if transcript is not None and p.suffix.lower() not in TRANSCRIPT_SUFFIXES:
                row["transcript"] = str(transcript.relative_to(folder))
                used.add(transcript)
            rows.append(row)
        return rows

    def _manifest_rows(self, manifest: Path) -> list[dict]:
        with open(manifest, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "file" not in reader.fieldnames:
                raise CommandError("The manifest needs a header row with at least a 'file' column.")
            return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in reader]

    # --- one row -------------------------------------------------------------------------------

    def _resolve(self, base: Path, rel: str) -> Path:
        path = (base / rel).resolve()
        if base not in path.parents:
            raise ValueError(f"{rel}: the path leaves the manifest's folder")
        if not path.is_file():
            raise ValueError(f"{rel}: no such file")
        return path

    def _ingest(self, row: dict, base: Path, language: str, summary: Summary) -> None:
        label = row.get("file", "")
        try:
            main = self._resolve(base, label)
            transcript = self._resolve(base, row["transcript"]) if row.get("transcript") else None
            scopes = _split(row.get("scopes", ""))
            unknown = set(scopes) - set(SURFACES)
            if unknown:
                raise ValueError(f"unknown scopes {', '.join(sorted(unknown))}")
            if row.get("kind") and row["kind"] not in Item.Kind.values:
                raise ValueError(f"unknown kind {row['kind']!r}")
        except (ValueError, KeyError) as exc:
            summary.refused.append((label, str(exc)))
            return
        duplicate = media.find_duplicate(sha256_of(main))
        if duplicate is not None:
            summary.skipped.append((label, f"already ingested (asset {duplicate.pk})"))
            return
        taken = []
        try:
            with transaction.atomic():
                item = self._create(row, main, transcript, scopes, language, taken)
                if self.queue:  # queued once the rows are committed, for run_worker
                    for asset in taken:
                        media_tasks.enqueue_processing(asset)
            for asset in taken if not self.queue else ():
                media.process(asset)
        except IntakeError as exc:
            self._discard(taken)
            summary.refused.append((label, str(exc)))
            return
        except (MediaPipelineError, TransientStorageError) as exc:
            # Kept (the asset records why); a curator sees the failure in the queue.
            summary.refused.append((label, f"accepted but processing failed: {exc}"))
            return
        except BaseException:
            self._discard(taken)
            raise
        summary.accepted.append(f"{label} -> item {item.pk}")

    def _create(self, row, main, transcript, scopes, language, taken) -> Item:
        lang = row.get("language") or language
        with open(main, "rb") as fh:
            asset = media.intake(fh, main.name)
        taken.append(asset)
        kind = row.get("kind") or KIND_FOR_MEDIA[asset.kind]
        title = row.get("title") or os.path.splitext(main.name)[0].replace("_", " ").replace("-", " ")
        item = Item.objects.create(
            kind=kind, status=Item.Status.SUBMITTED, title={lang: title},
            story={lang: row["story"]} if row.get("story") else {}, original_language=lang,
            date_text=row.get("date_text", "")[:100], place=row.get("place", "")[:200],
            country=row.get("country", "")[:2].upper(),
            content_warnings=_split(row.get("content_warnings", "")),
        )
        use = ItemMedia.objects.create(
            item=item, asset=asset, role=ROLE_FOR_MEDIA[asset.kind], position=0, language=lang,
            alt_text={lang: row["alt_text"]} if row.get("alt_text") else {},
        )
        if transcript is not None:
            with open(transcript, "rb") as fh:
                text = media.intake(fh, transcript.name, kinds={"transcript"})
            taken.append(text)
            ItemMedia.objects.create(item=item, asset=text, role=ItemMedia.Role.TRANSCRIPT, position=1,
                                     language=lang, transcribes=use)
        services.record_consent(
            item, scopes=scopes, actor_label="ingest", propagate=False,
            method=ConsentVersion.Method.PAPER, given_by=ConsentVersion.GivenBy.CURATOR_PAPER,
            name_display=row.get("name_display") or ConsentVersion.NameDisplay.ANONYMOUS,
            display_name=row.get("display_name", "")[:200],
        )
        return item

    def _discard(self, taken) -> None:
        for asset in taken:
            try:
                media.discard(asset)
            except Exception as exc:  # report, and go on with the others
                self.stderr.write(f"could not remove asset {asset.pk}: {exc}")

    def _report(self, summary: Summary) -> None:
        for label, reason in summary.skipped:
            self.stdout.write(f"skipped  {label}: {reason}")
        for label, reason in summary.refused:
            self.stdout.write(self.style.WARNING(f"refused  {label}: {reason}"))
        queued = " (processing queued for run_worker)" if self.queue else ""
        self.stdout.write(self.style.SUCCESS(
            f"Accepted {len(summary.accepted)}{queued}, skipped {len(summary.skipped)} already in the archive, "
            f"refused {len(summary.refused)}."))

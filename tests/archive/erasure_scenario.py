"""Run by tests/archive/test_erasure_bytes.py in a child process, with the production settings
(memorial.settings: file SQLite in MEMORIES_VAR_DIR with its WAL, local storage, the database task
queue run by db_worker), so that the files the test scans are the ones the archive really writes.

    python tests/archive/erasure_scenario.py setup STATE.json   # markers in, item described, published
    python tests/archive/erasure_scenario.py erase STATE.json   # POST .../erase, then the worker runs

STATE.json holds the markers (written by the test) and what `setup` leaves for `erase` (the token).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "memorial.settings")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from tests.consent.media import photo  # noqa: E402
from tests.media_pipeline import makers  # noqa: E402


def run_worker() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def setup(state: dict) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from archive import contributions, moderation, redaction
    from archive.curator.services import describe_item
    from archive.models import Item, ItemMedia
    from exhibitions import builder

    m = state["markers"]
    call_command("migrate", verbosity=0)
    curator = get_user_model().objects.create_user("erasure-curator", password="x-unused-x", is_staff=True)
    vtt = ("WEBVTT\n\n1\n00:00:00.000 --> 00:00:00.400\n"
           f"We remember {m['cue']} together.\n")
    files = [photo(name=f"{m['file_name']}.jpg"),
             SimpleUploadedFile("voice.wav", makers.wav(0.5), content_type="audio/wav"),
             SimpleUploadedFile("voice.vtt", vtt.encode(), content_type="text/vtt")]
    sub = contributions.submit_contribution(
        kind="testimony", title=f"Morning of {m['title']}", story=f"We walked {m['story']} home.",
        language="en", files=files, contact_email=f"{m['email']}@example.org",
        contributor_name=f"Ada {m['contributor_name']}",
        consent={"scopes": ["web", "search", "exhibition", "iiif"], "name_display": "full",
                 "display_name": f"Ada {m['display_name']}"},
    )
    run_worker()  # processing: master, derivatives, tiles, transcript cues
    item = Item.objects.get(pk=sub.items[0].pk)
    moderation.request_changes(item, actor=curator, reason=f"Please check {m['moderation_note']}.")
    describe_item(item, actor=curator, subjects=[],
                  language_maps={"title": {"en": f"Morning of {m['title']}"},
                                 "summary": {"en": f"Summary {m['summary']}"},
                                 "story": {"en": f"We walked {m['story']} home. {m['curator_description']}"}},
                  place=f"{m['place']} square")
    ItemMedia.objects.filter(item=item, role="photo").update(alt_text={"en": f"A street, {m['alt_text']}"})
    item.refresh_from_db()
    moderation.approve(item, actor=curator)
    photo_use = ItemMedia.objects.get(item=item, role="photo")
    redaction.add(photo_use, spec={"type": "blur", "box": [0, 0, 20, 20]}, note=f"face of {m['redaction_note']}",
                  actor=curator)
    exhibition = builder.create_exhibition(slug="erasure-test", title={"en": "Erasure test"}, actor=curator)
    entry = builder.add_entry(exhibition, item, actor=curator, caption={"en": f"Caption {m['caption']}"})
    builder.set_caption(entry, {"en": f"Caption {m['caption_changed']}"}, actor=curator)
    run_worker()  # propagation: search document, IIIF
    # The browser that sent the story still holds its receipt in the session.
    session = SessionStore()
    session["contribution_receipt"] = {"contribution": str(sub.contribution.pk)}
    session.create()
    state.update(token=sub.token, item=str(item.pk), session=session.session_key)


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        formatted = self.format(record)
        self.lines.append(f"{record.name} {record.levelname} {formatted} {record.args!r} {record.__dict__!r}")


def erase(state: dict) -> None:
    from django.contrib.sessions.models import Session

    root = logging.getLogger()
    handler = Collect()
    handler.setFormatter(logging.Formatter("%(message)s"))
    previous = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    # Another process's connection (a web worker) stays open: the WAL is not removed by the last
    # connection closing, so what the erasure itself leaves in it is what the test scans.
    var = Path(settings.DATABASES["default"]["NAME"])
    other = sqlite3.connect(var)
    other.execute("SELECT count(*) FROM archive_item").fetchone()
    try:
        response = Client().post(f"/api/consent/{state['token']}/erase")
        assert response.status_code == 200, response.content
        snapshot = Path(state["snapshot"])
        snapshot.mkdir()
        for suffix in ("", "-wal", "-shm", "-journal"):
            if Path(f"{var}{suffix}").exists():
                shutil.copyfile(f"{var}{suffix}", snapshot / f"{var.name}{suffix}")
        run_worker()  # the propagation the erasure queued
    finally:
        other.close()
        root.removeHandler(handler)
        root.setLevel(previous)
    state["logs"] = handler.lines
    state["session_left"] = Session.objects.filter(session_key=state["session"]).exists()
    state["erased"] = response.json()


if __name__ == "__main__":
    phase, path = sys.argv[1], Path(sys.argv[2])
    data = json.loads(path.read_text())
    {"setup": setup, "erase": erase}[phase](data)
    path.write_text(json.dumps(data))
    # Nothing buffered stays behind in this process's connection.
    from django.db import connection

    connection.close()
    print("done")

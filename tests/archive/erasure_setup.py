"""Markers, and an item that holds one in every place the archive keeps words or names
(shared by the SQLite byte scan and the PostgreSQL test)."""

from __future__ import annotations

import json
import secrets
import string

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.consent.media import photo
from tests.media_pipeline import makers

FIELDS = ("title", "story", "summary", "place", "display_name", "contributor_name", "email",
          "curator_description", "caption", "caption_changed", "alt_text", "file_name", "cue",
          "moderation_note", "redaction_note")
# Kept encrypted at rest (archive/fields.py): never readable in the raw bytes, even before erasure.
ENCRYPTED = {"contributor_name", "email"}


def new_markers() -> dict[str, str]:
    """Unguessable words, each with its own random start (FTS5 stores terms prefix-compressed
    against their neighbours) and capitals (the index keeps them lowercased)."""
    letters = string.ascii_lowercase
    return {f: "Zq" + "".join(secrets.choice(letters) for _ in range(3)) + "Marker" + secrets.token_hex(5)
            for f in FIELDS}


def needles(marker: str) -> set[bytes]:
    """The marker as it may be stored: UTF-8, JSON-escaped, and as FTS5's lowercased token."""
    return {marker.encode(), json.dumps(marker)[1:-1].encode(), marker.lower().encode()}


def populate(state: dict, *, run_tasks=lambda: None) -> None:
    """Put every marker where the archive keeps it: submission, processing, curator description,
    moderation note, alt text, redaction note, exhibition caption (changed: audit before/after)."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from archive import contributions, moderation, redaction
    from archive.curator.services import describe_item
    from archive.models import Item, ItemMedia
    from exhibitions.services import builder

    m = state["markers"]
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
    run_tasks()  # processing: master, derivatives, tiles, transcript cues
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
    run_tasks()  # propagation: search document, IIIF
    # The browser that sent the story still holds its receipt in the session.
    session = SessionStore()
    session["contribution_receipt"] = {"contribution": str(sub.contribution.pk)}
    session.create()
    state.update(token=sub.token, item=str(item.pk), session=session.session_key)



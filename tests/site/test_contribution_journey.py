"""The contributor journey through the test client, with no JavaScript at all: story, files,
choices, review, receipt (private link shown once), approval, management (narrow, pause, resume,
withdraw) with a confirmation before each change."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from archive import moderation
from archive.models import Contribution, Item

pytestmark = pytest.mark.django_db


def url(name, *args, lang="en"):
    with translation.override(lang):
        return reverse(name, args=args)


STORY = {
    "kind": "object_story", "title": "A synthetic umbrella", "story": "I kept the umbrella. (Synthetic.)",
    "language": "en", "relationship": "survivor", "contributor_name": "Sam Sample",
}


def _submit(client, consent=None, files=None):
    assert client.post(url("contribute"), STORY)["Location"] == url("contribute-files")
    response = client.post(url("contribute-files"), {"continue": "1", **({"files": files} if files else {})})
    assert response.status_code == 302, response.content.decode()[:2000]
    choices = {"scopes": ["web", "search"], "name_display": "initials", "display_name": "Sam Sample",
               "contact_email": "sam@example.org", **(consent or {})}
    response = client.post(url("contribute-consent"), choices)
    assert response["Location"] == url("contribute-review")
    return client.post(url("contribute-review"), {"confirm": "on"})


def test_story_step_validates_and_keeps_what_was_typed(client):
    page = client.get(url("contribute")).content.decode()
    assert "Leave this site quickly" in page and "data-quick-exit" in page
    response = client.post(url("contribute"), {**STORY, "story": "   ", "title": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("This field is required.") == 2 and 'aria-invalid="true"' in html
    assert Item.objects.count() == 0


def test_review_requires_confirmation_and_consent_step_explains_each_scope(client):
    client.post(url("contribute"), STORY)
    client.post(url("contribute-files"), {"continue": "1"})
    html = client.get(url("contribute-consent")).content.decode()
    for consequence in ("Anyone can read your story", "Other archives&#x27; viewers", "never public"):
        assert consequence in html
    bad = client.post(url("contribute-consent"), {"scopes": ["web"], "name_display": "full", "display_name": "",
                                                  "embargo_until": "2001-01-01"})
    assert "Please write the name to show" in bad.content.decode()
    assert "Please choose a date in the future" in bad.content.decode()
    client.post(url("contribute-consent"), {"scopes": ["web"], "name_display": "anonymous"})
    review = client.post(url("contribute-review"), {})
    assert review.status_code == 200 and "Please tick this box" in review.content.decode()
    assert Item.objects.count() == 0


def test_full_journey_without_javascript(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _submit(client)
    assert response["Location"] == url("contribute-receipt")
    item = Item.objects.get()
    contribution = Contribution.objects.get()
    assert item.status == Item.Status.SUBMITTED

    # The receipt shows the private link once; it is not in the session afterwards.
    receipt = client.get(url("contribute-receipt")).content.decode()
    link = re.search(r'href="(http://testserver/en/manage/[^"/]+/)"', receipt).group(1)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert "We show it only this once." in receipt
    assert token not in str(dict(client.session))
    again = client.get(url("contribute-receipt")).content.decode()
    assert token not in again and "was shown once" in again
    # ... and by e-mail, since an address was given.
    assert len(mail.outbox) == 1 and link in mail.outbox[0].body

    # Not public before review.
    assert client.get(url("item-detail", item.pk)).status_code == 404
    curator = get_user_model().objects.create_superuser("curator", "c@example.org", "pw")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(item, actor=curator)
    page = client.get(url("item-detail", item.pk)).content.decode()
    assert "A synthetic umbrella" in page and "S. S." in page and "Sam Sample" not in page

    # The management page lists where it appears now.
    manage = client.get(link)
    assert manage.status_code == 200 and manage["Cache-Control"].startswith("no-store") or "no-store" in manage["Cache-Control"]
    assert manage["Referrer-Policy"] == "no-referrer"
    assert "Show it on this website: <strong>yes</strong>" in manage.content.decode()

    # Narrow: the first post says what will happen, the second does it.
    choice = {"scopes": ["web"], "name_display": "anonymous", "display_name": ""}
    confirm = client.post(url("manage-change", token, "narrow"), choice)
    assert confirm.status_code == 200 and "From now on your story may appear only here" in confirm.content.decode()
    item.refresh_from_db()
    assert item.current_consent.scope_search
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url("manage-change", token, "narrow"), {**choice, "confirm": "yes"})
    assert done["Location"] == url("manage", token)
    item.refresh_from_db()
    assert item.current_consent.scopes == ["web"]
    page = client.get(url("item-detail", item.pk)).content.decode()
    assert "S. S." not in page and "An anonymous contributor" in page

    # Pause until a future date: gone now; resume: back.
    day = (timezone.localdate() + timezone.timedelta(days=30)).isoformat()
    assert "come back by itself" in client.post(url("manage-change", token, "pause"), {"embargo_until": day}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("manage-change", token, "pause"), {"embargo_until": day, "confirm": "yes"})
    assert client.get(url("item-detail", item.pk)).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("manage-change", token, "resume"), {"confirm": "yes"})
    assert client.get(url("item-detail", item.pk)).status_code == 200

    # Withdraw, after a confirmation that says what will happen.
    confirm = client.post(url("manage-change", token, "withdraw")).content.decode()
    assert "Your story will disappear now" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("manage-change", token, "withdraw"), {"confirm": "yes"})
    assert client.get(url("item-detail", item.pk)).status_code == 404
    manage = client.get(link).content.decode()
    assert "Your story is withdrawn" in manage and "Withdraw my story" not in manage
    assert contribution.items.get().current_consent.withdrawn


@pytest.mark.parametrize("token", ["not-a-token", "A" * 43, "../../etc/passwd"])
def test_wrong_tokens_are_404(client, token):
    assert client.get(f"/en/manage/{token}/").status_code == 404
    assert client.post(f"/en/manage/{token}/withdraw/", {"confirm": "yes"}).status_code == 404
    assert client.get(f"/en/receipt/{token}/").status_code == 404


def test_receipt_page_by_token(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _submit(client, consent={"contact_email": ""})
    receipt = client.get(url("contribute-receipt")).content.decode()
    link = re.search(r'href="(http://testserver/en/manage/[^"/]+/)"', receipt).group(1)
    token = link.rstrip("/").rsplit("/", 1)[1]
    page = client.get(url("receipt", token))
    assert page.status_code == 200 and "A synthetic umbrella" in page.content.decode()
    assert page["X-Robots-Tag"].startswith("noindex")
    assert not mail.outbox


def test_hostile_file_is_refused_with_a_clear_message_and_nothing_is_left(client, settings, fresh_storage):
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    from media_pipeline.models import MediaAsset

    hostile = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    client.post(url("contribute"), STORY)
    assert client.post(url("contribute-files"), {"continue": "1", "files": hostile}).status_code == 302
    client.post(url("contribute-consent"), {"scopes": ["web"], "name_display": "anonymous"})
    review = client.post(url("contribute-review"), {"confirm": "on"})
    assert review.status_code == 200
    html = review.content.decode()
    assert "photo.jpg" in html and "refused" in html and "Change my files" in html
    assert Item.objects.count() == 0 and Contribution.objects.count() == 0 and MediaAsset.objects.count() == 0
    public = Path(settings.STORAGES["public"]["OPTIONS"]["location"])
    assert not public.exists() or not any(p.is_file() for p in public.rglob("*"))
    # The contributor removes the file and sends the story without it.
    files = client.session["contribution_draft"]["files"]
    client.post(url("contribute-files"), {"remove": files[0]["id"]})
    assert client.session["contribution_draft"]["files"] == []
    assert client.post(url("contribute-review"), {"confirm": "on"})["Location"] == url("contribute-receipt")
    private = Path(settings.STORAGES["private"]["OPTIONS"]["location"]) / "contribution-drafts"
    assert not private.exists() or not any(private.iterdir())


def test_files_over_the_pipeline_limits_are_refused_at_once(client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_PIPELINE = {"MAX_FILE_BYTES": 1024 * 1024, "MAX_SUBMISSION_BYTES": 2 * 1024 * 1024}
    client.post(url("contribute"), STORY)
    big = SimpleUploadedFile("big.jpg", b"\xff" * (1024 * 1024 + 1))
    html = client.post(url("contribute-files"), {"continue": "1", "files": big}).content.decode()
    assert "big.jpg" in html and "larger than 1 MB" in html
    for n in range(2):
        part = SimpleUploadedFile(f"part{n}.jpg", b"\xff" * (900 * 1024))
        assert client.post(url("contribute-files"), {"add_more": "1", "files": part}).status_code == 302
    third = SimpleUploadedFile("part2.jpg", b"\xff" * (900 * 1024))
    html = client.post(url("contribute-files"), {"continue": "1", "files": third}).content.decode()
    assert "Together your files would be larger than 2 MB" in html
    assert len(client.session["contribution_draft"]["files"]) == 2


def test_abandoned_drafts_are_cleared_when_a_new_story_starts(client, settings):
    import os
    import time
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(url("contribute"), STORY)
    client.post(url("contribute-files"), {"continue": "1", "files": SimpleUploadedFile("a.jpg", b"\xff" * 10)})
    (draft,) = client.session["contribution_draft"]["files"]
    held = Path(settings.STORAGES["private"]["OPTIONS"]["location"]) / draft["key"]
    recent = SimpleUploadedFile("b.jpg", b"\xff" * 10)
    client.post(url("contribute-files"), {"continue": "1", "files": recent})
    kept = Path(settings.STORAGES["private"]["OPTIONS"]["location"]) / client.session["contribution_draft"]["files"][1]["key"]
    old = time.time() - 2 * 24 * 3600
    os.utime(held, (old, old))
    type(client)().post(url("contribute"), STORY)  # another visitor starts a story
    assert not held.exists() and kept.exists()


def test_a_draft_file_purged_before_sending_is_a_clear_error_not_a_crash(client, settings, fresh_storage):
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.media_pipeline import makers

    photo = SimpleUploadedFile("candles.jpg", makers.jpeg(64, 48), content_type="image/jpeg")
    client.post(url("contribute"), STORY)
    client.post(url("contribute-files"), {"continue": "1", "files": photo})
    client.post(url("contribute-consent"), {"scopes": ["web"], "name_display": "anonymous"})
    # The day-old purge (or an operator) removed the draft file while the visitor was away.
    key = client.session["contribution_draft"]["files"][0]["key"]
    (Path(settings.STORAGES["private"]["OPTIONS"]["location"]) / key).unlink()
    review = client.post(url("contribute-review"), {"confirm": "on"})
    assert review.status_code == 200
    assert "candles.jpg" in review.content.decode() and "no longer here" in review.content.decode()
    assert Item.objects.count() == 0 and Contribution.objects.count() == 0
    # The draft forgot the missing file: sending again works, without it.
    assert client.session["contribution_draft"]["files"] == []
    assert client.post(url("contribute-review"), {"confirm": "on"})["Location"] == url("contribute-receipt")

"""Issue 13: consent is given, never assumed, and every promise on the contributor's pages holds.

No scope is ticked until the person ticks it (every language, first visit and back navigation);
the name appears exactly as it will be shown ("N. T." for initials); the management page can
erase, after a confirmation that says what goes; the state sentence never contradicts itself;
the receipt lists the exhibitions the story is in.
"""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from archive import contributions, moderation
from archive.models import Contribution, Item
from tests.factories import ExhibitionEntryFactory, ExhibitionFactory

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
FULL_NAME = "Nadia Testperson"  # synthetic
STORY = {"kind": "object_story", "title": "A synthetic scarf", "story": "I kept the scarf. (Synthetic.)",
         "relationship": "survivor", "contributor_name": ""}


def url(name, *args, lang="en"):
    with translation.override(lang):
        return reverse(name, args=args)


class _Checkboxes(HTMLParser):
    """Every <input name="scopes"> of a page, with whether it is checked."""

    def __init__(self):
        super().__init__()
        self.scopes: dict[str, bool] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") == "scopes":
            self.scopes[attrs["value"]] = "checked" in attrs


def scope_boxes(html: str) -> dict[str, bool]:
    parser = _Checkboxes()
    parser.feed(html)
    return parser.scopes


def start(client, lang="en"):
    assert client.post(url("contribute", lang=lang), {**STORY, "language": lang})["Location"] == url(
        "contribute-files", lang=lang)
    assert client.post(url("contribute-files", lang=lang), {"continue": "1"}).status_code == 302


def choose(client, lang="en", **choice):
    data = {"name_display": "anonymous", "display_name": "", **choice}
    response = client.post(url("contribute-consent", lang=lang), data)
    assert response.status_code == 302, response.content.decode()[:3000]


def send(client, **choice):
    start(client)
    choose(client, **choice)
    assert client.post(url("contribute-review"), {"confirm": "on"})["Location"] == url("contribute-receipt")
    receipt = client.get(url("contribute-receipt")).content.decode()
    token = re.search(r'/en/manage/([^"/]+)/', receipt).group(1)
    return Contribution.objects.get(), token, receipt


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_scope_is_ticked_before_the_person_ticks_it(lang):
    client = Client()
    start(client, lang)
    first = scope_boxes(client.get(url("contribute-consent", lang=lang)).content.decode())
    assert set(first) == {"web", "search", "exhibition", "iiif", "memorial_wall", "research"}
    assert not any(first.values()), first

    # Through to the check step with nothing ticked, then back: still nothing ticked.
    choose(client, lang)
    assert client.get(url("contribute-review", lang=lang)).status_code == 200
    back = scope_boxes(client.get(url("contribute-consent", lang=lang)).content.decode())
    assert not any(back.values()), back

    # A form sent back with an error keeps exactly what was ticked, and no more.
    error = client.post(url("contribute-consent", lang=lang), {"scopes": ["iiif"], "name_display": "full"})
    assert error.status_code == 200
    assert {s for s, on in scope_boxes(error.content.decode()).items() if on} == {"iiif"}

    # Going back after choosing shows the person's own choice, nothing added.
    choose(client, lang, scopes=["research"])
    again = scope_boxes(client.get(url("contribute-consent", lang=lang)).content.decode())
    assert {s for s, on in again.items() if on} == {"research"}


class _RenderedForm(HTMLParser):
    """What a browser without JavaScript sends for a form left as rendered: checked boxes and
    radios, text fields with their values."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag != "input" or not attrs.get("name") or attrs["name"] == "csrfmiddlewaretoken":
            return
        if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
            return
        self.data.setdefault(attrs["name"], []).append(attrs.get("value") or "")


def test_a_story_sent_without_ticking_anything_has_no_scope(client):
    start(client)
    form = _RenderedForm()
    form.feed(client.get(url("contribute-consent")).content.decode())
    assert client.post(url("contribute-consent"), form.data)["Location"] == url("contribute-review")
    review = client.get(url("contribute-review")).content.decode()
    assert "Nowhere in public: only our team will read it." in review
    assert client.post(url("contribute-review"), {"confirm": "on"}).status_code == 302
    assert Item.objects.get().current_consent.scopes == []


def test_initials_are_shown_as_they_will_appear_on_check_step_receipt_and_management_page(client):
    start(client)
    choose(client, scopes=["web"], name_display="initials", display_name=FULL_NAME)
    review = client.get(url("contribute-review")).content.decode()
    assert 'class="name-shown">N. T.</strong>' in review and FULL_NAME not in review
    assert client.post(url("contribute-review"), {"confirm": "on"}).status_code == 302
    receipt = client.get(url("contribute-receipt")).content.decode()
    assert 'class="name-shown">N. T.</strong>' in receipt and FULL_NAME not in receipt
    token = re.search(r'/en/manage/([^"/]+)/', receipt).group(1)
    manage = client.get(url("manage", token)).content.decode()
    # The full name stays only in the change form's field (the contributor's own private page).
    shown = manage.split('id="narrow-heading"')[0]
    assert 'class="name-shown">N. T.</strong>' in shown and FULL_NAME not in shown
    private_receipt = client.get(url("receipt", token)).content.decode()
    assert 'class="name-shown">N. T.</strong>' in private_receipt and FULL_NAME not in private_receipt


def test_erase_from_the_management_page_only_after_confirming(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        contribution, token, _receipt = send(client, scopes=["web"], name_display="full", display_name=FULL_NAME)
    manage = client.get(url("manage", token)).content.decode()
    assert url("manage-change", token, "erase") in manage

    # Never by a link or a GET, never from another site's form.
    assert client.get(url("manage-change", token, "erase")).status_code == 405
    assert Client(enforce_csrf_checks=True).post(url("manage-change", token, "erase"),
                                                 {"confirm": "yes"}).status_code == 403

    # The first post only says what will go, and that it cannot be undone.
    confirm = client.post(url("manage-change", token, "erase"))
    assert confirm.status_code == 200 and confirm["Cache-Control"].find("no-store") >= 0
    text = confirm.content.decode()
    for promise in ("the title and the words of your story", "your photos, recordings and transcripts",
                    "your name, your e-mail address", "This cannot be undone", "Yes, erase everything for good"):
        assert promise in text
    contribution.refresh_from_db()
    assert contribution.erased_at is None and Item.objects.get().title == {"en": "A synthetic scarf"}

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url("manage-change", token, "erase"), {"confirm": "yes"})
    assert done["Location"] == url("manage", token)
    contribution.refresh_from_db()
    item = Item.objects.get()
    assert contribution.erased_at is not None and item.status == Item.Status.ERASED and item.title == {}

    after = client.get(url("manage", token)).content.decode()
    assert "Your story is erased." in after and "Erased. Its words, names and files have been deleted" in after
    assert FULL_NAME not in after and "A synthetic scarf" not in after
    for gone in ("Erase my story", "Withdraw my story", "Change where it may appear", "Your story is withdrawn"):
        assert gone not in after
    # Once erased, a late confirmation changes nothing and says why.
    late = client.post(url("manage-change", token, "erase"), {"confirm": "yes"}, follow=True).content.decode()
    assert "there is nothing left to change" in late


STATE_MARKERS = {
    "submitted": "Waiting for our team to read it.",
    "published": "Reviewed and published, only where you agreed",
    "private": "Reviewed. As you chose, it appears nowhere in public.",
    "embargoed": "it is hidden everywhere until",
    "withdrawn": "Withdrawn. It does not appear anywhere in public.",
    "erased": "Erased. Its words, names and files have been deleted",
}
CONTRADICTIONS = ("Reviewed and published as you chose", "Withdrawn</dd>")


def _to_state(state, contribution, curator):
    item = contribution.items.get()
    if state == "submitted":
        return
    moderation.approve(item, actor=curator)
    if state == "private":
        contributions.change_consent(contribution, scopes=[])
    elif state == "embargoed":
        contributions.change_consent(contribution, embargo_until=timezone.now() + timedelta(days=9))
    elif state == "withdrawn":
        contributions.withdraw(contribution)
    elif state == "erased":
        contributions.erase(contribution)


def test_management_page_and_receipt_say_one_state_and_never_its_contrary(django_capture_on_commit_callbacks):
    curator = get_user_model().objects.create_superuser("curator", "c@example.org", "pw")
    for state in STATE_MARKERS:
        Item.objects.all().delete()
        Contribution.objects.all().delete()
        client = Client()
        with django_capture_on_commit_callbacks(execute=True):
            contribution, token, _receipt = send(client, scopes=["web", "search"])
            _to_state(state, contribution, curator)
        for page in (url("manage", token), url("receipt", token)):
            html = client.get(page).content.decode()
            found = {name for name, marker in STATE_MARKERS.items() if marker in html}
            assert found == {state}, (state, page, found)
            for contrary in CONTRADICTIONS:
                assert contrary not in html, (state, page, contrary)


def test_receipt_lists_the_exhibitions_the_story_is_in(client, django_capture_on_commit_callbacks):
    curator = get_user_model().objects.create_superuser("curator", "c@example.org", "pw")
    with django_capture_on_commit_callbacks(execute=True):
        contribution, token, _receipt = send(client, scopes=["web", "exhibition"])
        moderation.approve(contribution.items.get(), actor=curator)
    item = contribution.items.get()
    live = ExhibitionFactory(title={"en": "Lights kept burning", "fr": "Lumières gardées allumées"})
    ExhibitionEntryFactory(exhibition=live, item=item)
    draft = ExhibitionFactory(title={"en": "A draft not yet public"}, status="draft")
    ExhibitionEntryFactory(exhibition=draft, item=item)
    over = ExhibitionFactory(title={"en": "An exhibition that has closed"},
                             unpublish_at=timezone.now() - timedelta(days=1))
    ExhibitionEntryFactory(exhibition=over, item=item)
    ExhibitionFactory(title={"en": "Another exhibition without this story"})

    english = client.get(url("receipt", token)).content.decode()
    assert "Lights kept burning" in english and "It is shown in these exhibitions:" in english
    for absent in ("A draft not yet public", "An exhibition that has closed", "Another exhibition"):
        assert absent not in english
    french = client.get(url("receipt", token, lang="fr")).content.decode()
    assert "Lumières gardées allumées" in french

    # Not allowed in exhibitions any more: no longer listed, though the entry is still there.
    with django_capture_on_commit_callbacks(execute=True):
        contributions.change_consent(contribution, scopes=["web"])
    assert "Lights kept burning" not in client.get(url("receipt", token)).content.decode()

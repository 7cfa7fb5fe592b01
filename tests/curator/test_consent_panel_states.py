"""Issue 13: the curator consent panel renders for every consent state, the paper-consent form
chooses nothing in advance, and the moderation queue shows a name exactly as it will appear."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from archive import contributions, services
from archive.models import ConsentVersion, Item, RemovalReport
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOW = timezone.now()


def _report(item, **fields):
    return RemovalReport.objects.create(item=item, consent_version=item.current_consent, requested_at=NOW, **fields)


def _erased():
    submission = contributions.submit_contribution(
        kind="testimony", title="A synthetic erased story", story="Words (synthetic).", language="en", files=[],
        consent={"scopes": ["web"], "name_display": "full", "display_name": "Ida Placeholder"})
    contributions.erase(submission.contribution)
    return submission.items[0]


STATES = {
    "none": lambda: ItemFactory(consent=False),
    "given": lambda: ItemFactory(),
    "narrowed": lambda: _narrowed(),
    "embargoed": lambda: ItemFactory(consent={"embargo_until": NOW + timedelta(days=3)}),
    "expired": lambda: ItemFactory(consent={"expires_at": NOW - timedelta(days=1)}),
    "withdrawn": lambda: ItemFactory(consent={"scopes": [], "withdrawn": True}),
    "erased": _erased,
    "report pending": lambda: _with_report(),
    "report complete": lambda: _with_report(completed_at=NOW, surfaces=[
        {"surface": "search", "label": "Search", "cleared_at": NOW.isoformat(), "detail": "removed from the index"}]),
    "report failed": lambda: _with_report(surfaces=[
        {"surface": "iiif", "label": "IIIF", "error": "storage unreachable", "failed_at": NOW.isoformat(), "attempt": 2}]),
}


def _narrowed():
    item = ItemFactory()
    services.record_consent(item, scopes=["web"], propagate=False, actor_label="test", name_display="initials",
                            display_name="Ida Placeholder")
    return item


def _with_report(**fields):
    item = ItemFactory()
    _report(item, **fields)
    return item


def test_consent_panel_renders_for_every_state(archivist, as_user):
    client = as_user(archivist)
    for state, make in STATES.items():
        item = make()
        response = client.get(f"/en/curator/items/{item.pk}/consent")
        assert response.status_code == 200, state
        title = response.text.split("<title>", 1)[1].split("</title>", 1)[0]
        assert "<section" not in title and "erasure" not in title, (state, title)
        if state == "report failed":
            assert "storage unreachable" in response.text
        if state == "report complete":
            assert "removed from the index" in response.text


def test_consent_panel_says_why_each_surface_is_closed_in_words(archivist, as_user):
    client = as_user(archivist)
    embargoed = ItemFactory(consent={"scopes": ["web", "search"], "embargo_until": NOW + timedelta(days=3)})
    html = client.get(f"/en/curator/items/{embargoed.pk}/consent").text
    day = timezone.localtime(NOW + timedelta(days=3)).strftime("%Y-%m-%d")
    assert f"Web page and its media: not shown (under embargo until {day}" in html
    narrowed = _narrowed()  # web only
    html = client.get(f"/en/curator/items/{narrowed.pk}/consent").text
    assert "Web page and its media: <strong>shown</strong>" in html
    assert "Memorial wall (name): not shown (the consent does not include it)" in html
    assert ">memorial_wall<" not in html and "memorial_wall:" not in html  # labels, never the codes
    withdrawn = STATES["withdrawn"]()
    assert "not shown (consent withdrawn)" in client.get(f"/en/curator/items/{withdrawn.pk}/consent").text


class _Choices(HTMLParser):
    def __init__(self):
        super().__init__()
        self.checked, self.selected, self.in_name_select = [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "checkbox" and "checked" in attrs:
            self.checked.append(attrs.get("name"))
        if tag == "select":
            self.in_name_select = attrs.get("name") == "name_display"
        if tag == "option" and self.in_name_select and "selected" in attrs:
            self.selected.append(attrs.get("value"))


def paper(**overrides):
    data = {"display_name": "Noor Fictif", "given_by_name": "Noor Fictif",
            "evidence": SimpleUploadedFile("signed.pdf", PDF, content_type="application/pdf")}
    data.update(overrides)
    return data


def test_paper_consent_form_chooses_nothing_in_advance(archivist, as_user):
    client = as_user(archivist)
    item = ItemFactory()
    before = item.current_consent.number
    parser = _Choices()
    parser.feed(client.get(f"/en/curator/items/{item.pk}/consent").text)
    assert parser.checked == [] and parser.selected in ([], [""])

    # Nothing ticked and no name choice: refused, nothing recorded, no default taken.
    refused = client.post(f"/en/curator/items/{item.pk}/consent", paper())
    assert refused.status_code == 200
    assert "Tick where the signed form allows the item to appear" in refused.text
    assert "Choose how the signed form says the name is shown." in refused.text
    item.refresh_from_db()
    assert item.current_consent.number == before

    # "None of these places", said explicitly, is a choice: recorded with no scope.
    done = client.post(f"/en/curator/items/{item.pk}/consent", paper(no_scope="on", name_display="initials"))
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.current_consent.number == before + 1 and item.current_consent.scopes == []
    assert item.current_consent.method == ConsentVersion.Method.PAPER


def test_queue_shows_initials_as_they_will_appear(moderator, as_user):
    ItemFactory(status=Item.Status.SUBMITTED, published_at=None, title={"en": "A synthetic submission"},
                consent={"scopes": ["web"], "name_display": "initials", "display_name": "Nadia Testperson"})
    text = as_user(moderator).get("/en/curator/queue/").text
    assert "N. T." in text and "Nadia Testperson" not in text

"""Sections of the builder move by drag too (the handle before their heading), besides the buttons:
the order is posted whole, checked, audited; bad orders change nothing."""

import json
import os

import pytest
from django.test import Client

from archive.models import AuditEvent
from exhibitions.models import ExhibitionSection
from tests.browser.drag import centre, html5_drag, polled
from tests.factories import ExhibitionFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def _exhibition():
    exhibition = ExhibitionFactory(title={"en": "Synthetic rooms"})
    for n, name in enumerate(("First room", "Second room", "Third room")):
        ExhibitionSection.objects.create(exhibition=exhibition, position=n, title={"en": name})
    return exhibition


def _titles(exhibition):
    return [s.title["en"] for s in exhibition.sections.order_by("position", "id")]


def _post(client, exhibition, order):
    return client.post(f"/en/curator/exhibitions/{exhibition.pk}/sections/reorder", json.dumps({"order": order}),
                       content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize("order", ["partial", "duplicate", "foreign", "words"])
def test_a_bad_order_changes_nothing(curator, as_user, order):
    exhibition = _exhibition()
    ids = list(exhibition.sections.order_by("position").values_list("pk", flat=True))
    sent = {"partial": ids[:2], "duplicate": [ids[0], ids[0], ids[1]], "foreign": [*ids[:2], 999999],
            "words": ["a", "b", "c"]}[order]
    response = _post(as_user(curator), exhibition, sent)
    assert response.status_code == 400 and response.json()["error"]
    assert _titles(exhibition) == ["First room", "Second room", "Third room"]
    assert not AuditEvent.objects.filter(action="exhibition.section_moved").exists()


@pytest.mark.django_db
def test_the_whole_order_is_saved_and_audited(curator, moderator, as_user):
    exhibition = _exhibition()
    ids = list(exhibition.sections.order_by("position").values_list("pk", flat=True))
    assert _post(as_user(moderator), exhibition, ids[::-1]).status_code == 403
    response = _post(as_user(curator), exhibition, [ids[2], ids[0], ids[1]])
    assert response.status_code == 200 and response.json()["order"] == [ids[2], ids[0], ids[1]]
    assert _titles(exhibition) == ["Third room", "First room", "Second room"]
    event = AuditEvent.objects.get(action="exhibition.section_moved")
    assert event.before == {"order": ids} and event.after == {"order": [ids[2], ids[0], ids[1]]}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_drag_a_section_by_its_handle(chromium, live_server, curator):
    exhibition = _exhibition()
    client = Client()
    client.force_login(curator)
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 1400})
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    try:
        page.goto(f"/en/curator/exhibitions/{exhibition.pk}/")
        def path():
            target = page.locator("section[data-section-id]", has_text="First room").bounding_box()
            handle = page.locator("section[data-section-id]", has_text="Third room").locator(".cw-section-handle")
            return [centre(handle.bounding_box()), (target["x"] + 60, target["y"] + 30),
                    (target["x"] + 60, target["y"] + 5)]

        html5_drag(page, path, lambda: polled(page, "document.getElementById('order-status').textContent",
                                              "Third room: moved to place 1 / 3", 5))
        assert _titles(exhibition) == ["Third room", "First room", "Second room"]
        assert page.locator("button", has_text="Section up").first.is_disabled()  # the buttons follow
        page.reload()
        assert page.locator("section[data-section-id] h3").all_inner_texts() == ["Third room", "First room", "Second room"]
        # The keyboard's path is still there: "Section down" on the first moves it back.
        page.locator("button", has_text="Section down").first.focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**#section-*")
        assert _titles(exhibition) == ["First room", "Third room", "Second room"]
    finally:
        context.close()

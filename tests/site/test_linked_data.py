"""Schema.org JSON-LD on item, exhibition and remembrance-day pages: parsed and expanded with pyld;
types and fields as expected, names as consent displays them, nothing consent hides, user text
unable to end the script block, and the block carrying the response's CSP nonce."""

from __future__ import annotations

import pytest
from django.urls import reverse

from archive import services
from tests.factories import ExhibitionEntryFactory, ExhibitionFactory, ItemFactory, RemembranceDayFactory
from tests.iiif.media import photo_item, recorded_testimony
from tests.site.linked_data import SCHEMA, blocks, expand, value, values

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def page_data(client, url: str) -> dict:
    # Twice: the second answer may be the page cache's replay, whose nonce must be this response's.
    for _attempt in (1, 2):
        response = client.get(url)
        assert response.status_code == 200
        (found,) = blocks(response.content)
        data, nonce = found
        assert nonce and f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    (node,) = expand(data)
    return node


def item_url(item) -> str:
    return reverse("item-detail", args=[item.pk])


def test_a_photograph_in_an_exhibition(client):
    item, _use = photo_item()
    exhibition = ExhibitionFactory()
    ExhibitionEntryFactory(exhibition=exhibition, item=item)
    node = page_data(client, item_url(item))
    assert node["@type"] == [SCHEMA + "Photograph"]
    assert value(node, "name") == item.title["en"]
    creator = node[SCHEMA + "creator"][0]
    assert creator["@type"] == [SCHEMA + "Person"] and value(creator, "name") == "Alex Example"
    assert values(node, "image") and all(url.startswith("http") for url in values(node, "image"))
    part = node[SCHEMA + "isPartOf"][0]
    assert part["@type"] == [SCHEMA + "ExhibitionEvent"] and value(part, "name") == exhibition.title["en"]
    assert value(node[SCHEMA + "encoding"][0], "contentUrl").endswith(f"/iiif/item/{item.pk}/manifest")


@pytest.mark.parametrize("video, kind", [(False, "AudioObject"), (True, "VideoObject")])
def test_a_recorded_testimony_carries_its_transcript(client, video, kind):
    item, _recording, _transcript = recorded_testimony(video=video)
    node = page_data(client, item_url(item))
    assert node["@type"] == [SCHEMA + kind]
    assert "a stranger was holding my hand" in value(node, "transcript")
    assert value(node, "contentUrl").startswith("http") and value(node, "duration").startswith("PT")


def test_names_as_consent_displays_them_and_nothing_consent_closes(client):
    item = ItemFactory(consent={"scopes": ["web", "exhibition"], "name_display": "initials",
                                "display_name": "Alex Example"})
    ExhibitionEntryFactory(exhibition=ExhibitionFactory(), item=item)
    response = client.get(item_url(item))
    (data, _nonce), = blocks(response.content)
    assert data["creator"]["name"] == "A. E."
    assert "Alex" not in str(data) and "encoding" not in data  # iiif not granted: no manifest
    services.record_consent(item, scopes=["web"], actor_label="test", name_display="anonymous")
    (data, _nonce), = blocks(client.get(item_url(item)).content)
    assert "creator" not in data and "isPartOf" not in data  # no exhibition placement any more


def test_user_text_cannot_end_the_script_block(client):
    hostile = '</script><script>alert(1)</script><!-- & "quoted"'
    item = ItemFactory(title={"en": hostile}, summary={"en": hostile})
    response = client.get(item_url(item))
    assert b"<script>alert(1)" not in response.content
    (data, _nonce), = blocks(response.content)
    assert data["name"] == hostile and data["description"] == hostile


def test_an_exhibition_features_only_what_consent_shows(client):
    shown, withdrawn = ItemFactory(), ItemFactory()
    day = RemembranceDayFactory()
    exhibition = ExhibitionFactory(remembrance_day=day)
    for item in (shown, withdrawn):
        ExhibitionEntryFactory(exhibition=exhibition, item=item)
    services.record_consent(withdrawn, scopes=[], withdrawn=True, actor_label="test")
    node = page_data(client, reverse("exhibition-detail", args=[exhibition.slug]))
    assert node["@type"] == [SCHEMA + "ExhibitionEvent"]
    featured = [value(w, "name") for w in node[SCHEMA + "workFeatured"]]
    assert featured == [shown.title["en"]]
    assert value(node[SCHEMA + "superEvent"][0], "name") == day.name["en"]
    assert withdrawn.title["en"] not in client.get(reverse("exhibition-detail", args=[exhibition.slug])).content.decode()


def test_a_remembrance_day_is_a_yearly_event(client):
    day = RemembranceDayFactory()
    exhibition = ExhibitionFactory(remembrance_day=day)
    node = page_data(client, reverse("remembrance-day", args=[day.slug]))
    assert node["@type"] == [SCHEMA + "Event"]
    assert value(node, "startDate").endswith("-08-21")
    schedule = node[SCHEMA + "eventSchedule"][0]
    assert value(schedule, "repeatFrequency") == "P1Y" and value(schedule, "byMonthDay") == 21
    assert value(node[SCHEMA + "subEvent"][0], "name") == exhibition.title["en"]


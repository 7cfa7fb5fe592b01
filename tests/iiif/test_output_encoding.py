"""Contributor markup in IIIF documents reaches viewers as text: values a viewer may render as
HTML are escaped inside a <span> (text for Mirador and for the specification alike), labels stay
plain text, the bytes carry no "<" at all, and every document still validates."""

import html
import json

import pytest
from django.urls import reverse

from archive.models import Item
from tests.factories import ExhibitionEntryFactory, ExhibitionFactory, ItemFactory
from tests.iiif import schema
from tests.iiif.media import recorded_testimony
from tests.security.hostile import MARKUP_NAME, MARKUP_STORY, MARKUP_TITLE

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def validator():
    return schema.validator()


def _errors(validator, doc) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}" for e in validator.iter_errors(doc)]


def _fetch(client, path) -> dict:
    response = client.get(path)
    assert response.status_code == 200, path
    assert b"<" not in response.content and b">" not in response.content, path
    return json.loads(response.content)


def _shown_as_text(value: str, original: str) -> None:
    """What Mirador (DOMPurify) and a specification-following viewer both show: the original."""
    assert value.startswith("<span>") and value.endswith("</span>"), value
    inner = value[len("<span>"):-len("</span>")]
    assert "<" not in inner and ">" not in inner
    assert html.unescape(inner) == original


def _hostile():
    return ItemFactory(kind=Item.Kind.OBJECT_STORY, title={"en": MARKUP_TITLE}, summary={},
                       story={"en": MARKUP_STORY}, place="<i>Square</i>",
                       consent={"display_name": MARKUP_NAME, "name_display": "full"})


def test_manifest_values_are_escaped_text_and_validate(client, validator):
    item = _hostile()
    doc = _fetch(client, reverse("iiif:manifest", kwargs={"item_id": item.pk}))
    assert _errors(validator, doc) == []
    assert doc["label"] == {"en": [MARKUP_TITLE]}  # a label is plain text: never parsed
    _shown_as_text(doc["summary"]["en"][0], MARKUP_STORY)
    values = {row["label"]["en"][0]: row["value"] for row in doc["metadata"]}
    _shown_as_text(values["Story"]["en"][0], MARKUP_STORY)
    _shown_as_text(values["Place"]["none"][0], "<i>Square</i>")
    _shown_as_text(values["Shared by"]["none"][0], MARKUP_NAME)
    statement = doc["requiredStatement"]["value"]["en"][0]
    assert statement.startswith("<span>Shared by &lt;b&gt;Rana&lt;/b&gt;")
    values_kind = values["Kind"]["en"][0]
    assert values_kind == "Object story"  # ordinary text is left as it is


def test_collection_labels_and_summaries_are_escaped(client, validator):
    exhibition = ExhibitionFactory(title={"en": MARKUP_TITLE}, summary={"en": MARKUP_STORY})
    ExhibitionEntryFactory(exhibition=exhibition, position=1, item=_hostile())
    doc = _fetch(client, reverse("iiif:exhibition_collection", kwargs={"slug": exhibition.slug}))
    assert _errors(validator, doc) == []
    assert doc["label"] == {"en": [MARKUP_TITLE]} and doc["items"][0]["label"] == {"en": [MARKUP_TITLE]}
    _shown_as_text(doc["summary"]["en"][0], MARKUP_STORY)
    for path in (reverse("iiif:items_collection"), reverse("iiif:items_page", kwargs={"page": 1}),
                 reverse("iiif:top_collection")):
        assert _errors(validator, _fetch(client, path)) == []


def test_content_search_hits_are_escaped(client):
    item, _recording, transcript = recorded_testimony()
    transcript.asset.cues = [{"start": 0.0, "end": 0.5, "text": "stranger <img src=x onerror=alert(1)> <i>hand</i>"}]
    transcript.asset.save(update_fields=["cues"])
    page = _fetch(client, reverse("iiif:content_search", kwargs={"item_id": item.pk}) + "?q=stranger")
    [hit] = page["items"]
    _shown_as_text(hit["body"]["value"], "stranger <img src=x onerror=alert(1)> <i>hand</i>")
    assert hit["body"]["format"] == "text/html"

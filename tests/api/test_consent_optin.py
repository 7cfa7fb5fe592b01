"""Issue 13: the API never assumes consent. A submission without `scopes` is refused with a
translated message and leaves nothing; an explicit empty list is a choice: private to the team."""

import json

import pytest
from rest_framework.test import APIClient

from archive.models import ConsentVersion, Contribution, Item

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def submit(consent: dict, language: str = "en"):
    data = {"kind": "testimony", "title": "What I saw that morning", "story": "A synthetic testimony.",
            "language": "en", "consent": json.dumps(consent)}
    return APIClient().post("/api/contributions/", data, format="multipart", HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.parametrize(("language", "words"), [
    ("en", "Say where the story may appear"),
    ("fr", "Indiquez où le récit peut apparaître"),
    ("es", "Indique dónde puede aparecer la historia"),
])
def test_missing_scopes_is_a_400_that_says_so_and_leaves_nothing(language, words):
    response = submit({"name_display": "anonymous"}, language)
    assert response.status_code == 400, response.content
    detail = response.json()["detail"]
    assert words in str(detail) and "[]" in str(detail)
    assert not Item.objects.exists() and not Contribution.objects.exists() and not ConsentVersion.objects.exists()

    # An explicit empty list is a choice, not an absence: the story is kept private to the team.
    response = submit({"scopes": [], "name_display": "anonymous"}, language)
    assert response.status_code == 201, response.content
    assert Item.objects.get().current_consent.scopes == []


@pytest.mark.parametrize("consent", [
    {"scopes": ["\ud800"], "name_display": "anonymous"},
    {"scopes": ["web"], "name_display": "anonymous", "\udfff": 1},
])
def test_an_unknown_scope_or_field_with_a_lone_surrogate_is_a_400_not_a_500(consent):
    # json.dumps writes the surrogate as \ud800, which JSON parsers accept: the error must still render.
    response = submit(consent)
    assert response.status_code == 400, response.content
    assert "\\ud800" in response.content.decode() or "\\udfff" in response.content.decode()
    assert not Item.objects.exists() and not Contribution.objects.exists()

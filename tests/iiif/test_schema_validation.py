"""Every IIIF document the demo content produces validates against the official IIIF schema.

The schema and the official examples are kept in tests/iiif/schema/. One test seeds the demo and walks the top collection down to every manifest, so seed_demo runs once.
"""

import json

import pytest
from django.conf import settings
from django.core.management import call_command

from archive import consent
from exhibitions import selectors
from tests.iiif import schema


@pytest.fixture(scope="module")
def validator():
    return schema.validator()


def _errors(validator, doc) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}" for e in validator.iter_errors(doc)]


@pytest.mark.parametrize("name", ["example-broken_simple_image.json", "example-rights_lang_issues.json"])
def test_the_validator_rejects_known_broken_documents(validator, name):
    assert _errors(validator, schema.example(name))


def test_the_validator_accepts_the_official_good_example(validator):
    assert _errors(validator, schema.example("example-full_example.json")) == []


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_content_validates_from_the_top_collection_down(client, validator):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    site = settings.SITE_URL.rstrip("/")

    def fetch(url: str) -> dict:
        assert url.startswith(site + "/iiif/"), url
        response = client.get(url[len(site):])
        assert response.status_code == 200, url
        assert response["Access-Control-Allow-Origin"] == "*"
        doc = json.loads(response.content)
        assert _errors(validator, doc) == [], (url, _errors(validator, doc)[:5])
        return doc

    seen: dict[str, dict] = {}
    queue = [site + "/iiif/collection/top"]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        doc = seen[url] = fetch(url)
        if doc["type"] == "Collection":
            queue.extend(ref["id"] for ref in doc["items"])

    manifests = {url: d for url, d in seen.items() if d["type"] == "Manifest"}
    collections = {url: d for url, d in seen.items() if d["type"] == "Collection"}
    # Every item the policy allows on IIIF is reachable, and nothing else is.
    expected = {f"{site}/iiif/item/{pk}/manifest" for pk in consent.visible_items("iiif").values_list("pk", flat=True)}
    assert set(manifests) == expected and len(expected) >= 10
    live = {e.slug for e in selectors.live_exhibitions()}
    assert {u.rsplit("/", 1)[-1] for u in collections if "/exhibition/" in u} == live
    assert "next-remembrance-day" not in live  # the scheduled one stays out until its day
    # The demo has content in several languages, and they reach the manifests.
    languages = {lang for d in manifests.values() for lang in d["label"]}
    assert {"en", "ar", "fr"} <= languages
    assert any("placeholderCanvas" in d for d in manifests.values())
    # Canvases: once the media pipeline publishes demo media, every canvas must be validated too.
    canvases = [c for d in manifests.values() for c in d["items"]]
    media_items = [i for i in consent.visible_items("iiif") if i.media.exists()]
    if media_items:
        assert canvases, "demo items have media but no manifest has a canvas"

"""OAI-PMH at /oai/: the verbs, the protocol's error codes for bad requests (never a 500), sets,
and what consent lets a harvester see, read at request time with no worker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from lxml import etree

from archive import services
from archive.contributions import management
from archive.models import Contribution, Item
from exhibitions.oai import records
from tests.factories import ExhibitionEntryFactory, ExhibitionFactory, ItemFactory
from tests.oai.rules import NS, check, error_code

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def oai(client, **params):
    response = client.get("/oai/", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    return response.content


@pytest.fixture
def items(db):
    shared = [ItemFactory(kind=kind) for kind in (Item.Kind.PHOTOGRAPH, Item.Kind.TESTIMONY, Item.Kind.OBJECT_STORY)]
    web_only = ItemFactory(consent={"scopes": ["web", "search"]})
    unpublished = ItemFactory(status=Item.Status.SUBMITTED, published_at=None)
    return shared, web_only, unpublished


@pytest.mark.parametrize("params, code", [
    ({}, "badVerb"),
    ({"verb": "Harvest"}, "badVerb"),
    ({"verb": ["Identify", "Identify"]}, "badVerb"),
    ({"verb": "Identify", "extra": "1"}, "badArgument"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
    ({"verb": "ListRecords"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "memories"]}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-13-45"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-02-30"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-01-01T00:00:00.5Z"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-01-01",
      "until": "2026-01-02T00:00:00Z"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-01-02", "until": "2026-01-01"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2999-01-01"}, "noRecordsMatch"),
    ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "kind:weapon"}, "noRecordsMatch"),
    ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken"),
    ({"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"}, "badArgument"),
    ({"verb": "ListSets", "resumptionToken": "x"}, "badResumptionToken"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:memories.localhost:item/nope"},
     "idDoesNotExist"),
    ({"verb": "ListMetadataFormats", "identifier": "oai:elsewhere.org:item/1"}, "idDoesNotExist"),
])
def test_bad_requests_get_the_protocols_error_codes(client, items, params, code):
    assert error_code(oai(client, **params)) == code


@pytest.mark.parametrize("query, code", [
    ("verb=GetRecord&metadataPrefix=oai_dc&identifier=" + "%00%ED%A0%80%3C%26%3E%FF" * 50, "idDoesNotExist"),
    ("verb=%00%FF", "badVerb"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=%00", "badArgument"),
    ("verb=ListRecords&resumptionToken=%ED%A0%80", "badResumptionToken"),
    ("verb=ListIdentifiers&metadataPrefix=oai_dc&set=%00%3C", "noRecordsMatch"),
])
def test_hostile_bytes_are_answered_in_the_protocol(client, items, query, code):
    response = client.get("/oai/?" + query)
    assert response.status_code == 200
    assert error_code(response.content) == code


def test_post_is_answered_like_get(client, items):
    response = client.post("/oai/", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    assert response.status_code == 200
    assert len(check(response.content).findall(".//o:header", NS)) == 3


def test_identify_says_persistent_deletions_and_second_granularity(client, items):
    root = check(oai(client, verb="Identify"))
    assert root.findtext(".//o:deletedRecord", namespaces=NS) == "persistent"
    assert root.findtext(".//o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert root.findtext(".//o:protocolVersion", namespaces=NS) == "2.0"
    assert root.findtext(".//o:baseURL", namespaces=NS).endswith("/oai/")


def test_only_what_the_iiif_scope_shares_is_listed(client, items):
    shared, web_only, unpublished = items
    root = check(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc"))
    listed = {h.findtext("o:identifier", namespaces=NS) for h in root.iter(f"{{{NS['o']}}}header")}
    assert listed == {records.identifier(i.pk) for i in shared}


def test_narrowing_turns_a_record_into_a_deleted_header_at_once(client, items):
    item = items[0][0]
    body = oai(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=records.identifier(item.pk))
    assert b"A wristwatch kept" in body
    identifiers = [e.text for e in check(body).iter(f"{{{NS['dc']}}}identifier")]
    assert identifiers[1].endswith(f"/en/items/{item.pk}/")  # the page in the item's own language
    services.record_consent(item, scopes=["web"], actor_label="test", name_display="full",
                            display_name="Alex Example")  # no worker runs in this test
    body = oai(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=records.identifier(item.pk))
    header = check(body).find(".//o:header", NS)
    assert header.get("status") == "deleted"
    assert b"wristwatch" not in body and b"Alex" not in body


def test_an_erased_item_is_a_deleted_header_with_nothing_identifying(client, items):
    item = ItemFactory(kind=Item.Kind.TESTIMONY, consent={"display_name": "Robin Erasable"},
                       contribution=Contribution.objects.create(token_hash="e" * 64))
    title = item.title["en"].encode()
    assert b"Robin Erasable" in oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    management.erase(item.contribution, actor_label="test")
    for prefix in ("oai_dc", "memories"):
        body = oai(client, verb="ListRecords", metadataPrefix=prefix)
        root = check(body)
        erased = [h for h in root.iter(f"{{{NS['o']}}}header")
                  if h.findtext("o:identifier", namespaces=NS) == records.identifier(item.pk)]
        assert len(erased) == 1 and erased[0].get("status") == "deleted"
        assert [c.text for c in erased[0].findall("o:setSpec", NS)] == [f"kind:{item.kind}"]
        assert title not in body and b"Robin" not in body and item.summary["en"].encode() not in body


def test_sets_are_kinds_and_live_exhibitions(client, items):
    shared = items[0]
    exhibition = ExhibitionFactory(slug="objects")
    ExhibitionFactory(slug="later", publish_at=timezone.now() + timedelta(days=3))
    ExhibitionEntryFactory(exhibition=exhibition, item=shared[0])
    specs = [e.text for e in check(oai(client, verb="ListSets")).iter(f"{{{NS['o']}}}setSpec")]
    assert {"kind", "kind:photograph", "exhibition", "exhibition:objects"} <= set(specs)
    assert "exhibition:later" not in specs
    root = check(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="exhibition:objects"))
    assert [h.findtext("o:identifier", namespaces=NS) for h in root.iter(f"{{{NS['o']}}}header")] == [
        records.identifier(shared[0].pk)]
    root = check(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="kind:testimony"))
    assert len(root.findall(".//o:header", NS)) == 1
    assert error_code(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="exhibition:later")) == \
        "noRecordsMatch"


def test_from_and_until_select_by_datestamp(client, items):
    item = items[0][0]
    later = timezone.now() + timedelta(seconds=5)
    Item.objects.filter(pk=item.pk).update(updated_at=later + timedelta(minutes=2))
    since = later.strftime("%Y-%m-%dT%H:%M:%SZ")
    root = check(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": since}))
    assert [h.findtext("o:identifier", namespaces=NS) for h in root.iter(f"{{{NS['o']}}}header")] == [
        records.identifier(item.pk)]
    root = check(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until=since))
    assert len(root.findall(".//o:header", NS)) == 2


def test_resumption_tokens_page_by_keyset_and_expire(client, items, settings):
    settings.OAI_PAGE_SIZE = 2
    root = check(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc"))
    token = root.find(".//o:resumptionToken", NS)
    assert token.get("completeListSize") == "3" and token.get("cursor") == "0" and token.text
    root = check(oai(client, verb="ListIdentifiers", resumptionToken=token.text))
    last = root.find(".//o:resumptionToken", NS)
    assert last.text is None and last.get("cursor") == "2" and len(root.findall(".//o:header", NS)) == 1
    # A ListIdentifiers token does not continue ListRecords; an altered one is refused.
    assert error_code(oai(client, verb="ListRecords", resumptionToken=token.text)) == "badResumptionToken"
    assert error_code(oai(client, verb="ListIdentifiers", resumptionToken=token.text[:-2])) == "badResumptionToken"
    settings.OAI_TOKEN_SECONDS = -1
    assert error_code(oai(client, verb="ListIdentifiers", resumptionToken=token.text)) == "badResumptionToken"


def test_the_memories_format_validates_and_carries_language_maps_and_the_manifest(client, items):
    item = items[0][0]
    body = oai(client, verb="GetRecord", metadataPrefix="memories", identifier=records.identifier(item.pk))
    root = check(body)  # validates the record against memories-record-1.xsd
    record = root.find(".//m:record", NS)
    titles = {t.get("{http://www.w3.org/XML/1998/namespace}lang"): t.text for t in record.findall("m:title", NS)}
    assert titles == item.title
    assert record.findtext("m:manifest", namespaces=NS).endswith(f"/iiif/item/{item.pk}/manifest")
    assert len(record.findall("m:page", NS)) == 6
    assert record.findtext("m:creator", namespaces=NS) == "Alex Example"


def test_names_follow_the_consents_name_display(client, items):
    item = items[0][0]
    services.record_consent(item, scopes=["web", "iiif"], actor_label="test", name_display="initials",
                            display_name="Alex Example")
    body = oai(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=records.identifier(item.pk))
    assert check(body).findtext(".//dc:creator", namespaces=NS) == "A. E."
    assert b"Alex" not in body


def test_text_that_xml_cannot_carry_does_not_break_the_response(client, items):
    item = items[0][0]
    Item.objects.filter(pk=item.pk).update(title={"en": "Bell\x07 </dc:title><x>", "bad key!": "t"})
    body = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    titles = [t.text for t in check(body).iter(f"{{{NS['dc']}}}title")]
    assert "Bell </dc:title><x>" in titles
    etree.fromstring(oai(client, verb="ListRecords", metadataPrefix="memories"))

"""Bags carry Dublin Core (data/dc.xml) and PREMIS 3 events for the consent history
(data/consent/premis.xml) beside the JSON, listed in the bag's manifests and validated: bagit
validation, XML well-formedness, and PREMIS 3's structure rules checked here (no package ships
the PREMIS or Dublin Core XML schemas). Agents are roles; no name, account or address."""

from __future__ import annotations

import io

import bagit
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from lxml import etree

from archive import services
from archive.contributions import management
from archive.curator import preservation_xml
from archive.curator import services as curator_services
from archive.models import ConsentVersion, Contribution
from tests.factories import ContributorFactory, ItemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

P = "{http://www.loc.gov/premis/v3}"
DC = "{http://purl.org/dc/elements/1.1/}"
EVENT_ORDER = ["eventIdentifier", "eventType", "eventDateTime", "eventDetailInformation",
               "eventOutcomeInformation", "linkingAgentIdentifier", "linkingObjectIdentifier"]


def check_premis(root) -> None:
    """PREMIS 3's rules for what we write: object(s), then events, then agents, each in its order."""
    assert root.tag == f"{P}premis" and root.get("version") == "3.0"
    kinds = [etree.QName(c).localname for c in root]
    assert kinds == sorted(kinds, key=["object", "event", "agent", "rightsStatement"].index)
    assert kinds[0] == "object"
    agents = {a.findtext(f"{P}agentIdentifier/{P}agentIdentifierValue") for a in root.iter(f"{P}agent")}
    for event in root.iter(f"{P}event"):
        parts = [etree.QName(c).localname for c in event]
        assert parts == sorted(parts, key=EVENT_ORDER.index) and parts[:3] == EVENT_ORDER[:3]
        assert event.findtext(f"{P}linkingAgentIdentifier/{P}linkingAgentIdentifierValue") in agents


@pytest.fixture
def history(archivist):
    contributor = ContributorFactory(name="Samira Privatename", contact_email="samira@example.org")
    item = ItemFactory(contributor=contributor, contribution=Contribution.objects.create(token_hash="b" * 64),
                       consent={"display_name": "Samira Privatename", "given_by_name": "Samira Privatename"})
    services.record_consent(item, scopes=["web", "iiif"], actor_label="contributor", name_display="initials",
                            display_name="Samira Privatename", propagate=False)
    curator_services.record_paper_consent(
        item, actor=archivist, scopes=["web", "iiif", "exhibition"], name_display="full",
        display_name="Samira Privatename", given_by_name="Guardian Privatename",
        evidence=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 synthetic\n%%EOF"), evidence_ext="pdf")
    return item


def test_an_items_bag_carries_dublin_core_and_premis_events(history, archivist, tmp_path):
    management.withdraw(history.contribution, actor_label="contributor")
    out = tmp_path / "bags"
    call_command("export_bag", str(history.pk), "--output", str(out), stdout=io.StringIO())
    bag_dir = out / f"item-{history.pk}"
    bag = bagit.Bag(str(bag_dir))
    bag.validate()
    assert {"data/dc.xml", "data/consent/premis.xml"} <= set(bag.payload_entries())
    manifest = (bag_dir / "manifest-sha256.txt").read_text()
    assert "data/dc.xml" in manifest and "data/consent/premis.xml" in manifest

    premis = etree.parse(str(bag_dir / "data" / "consent" / "premis.xml")).getroot()
    check_premis(premis)
    events = list(premis.iter(f"{P}event"))
    versions = list(ConsentVersion.objects.filter(item=history).order_by("number"))
    assert [e.findtext(f"{P}eventType") for e in events] == [
        "consent given", "consent narrowed", "consent widened", "consent withdrawn"]
    assert [e.findtext(f"{P}eventDateTime") for e in events] == [v.created_at.isoformat() for v in versions]
    assert events[2].findtext(f"{P}linkingAgentIdentifier/{P}linkingAgentIdentifierValue") == \
        "curator recording a signed paper form"
    assert "scopes: web, exhibition, iiif" in events[2].findtext(f"{P}eventDetailInformation/{P}eventDetail")
    text = (bag_dir / "data" / "consent" / "premis.xml").read_text()
    for secret in ("Privatename", "Samira", "samira@example.org", archivist.get_username()):
        assert secret not in text

    dc = etree.parse(str(bag_dir / "data" / "dc.xml")).getroot()
    titles = {t.get("{http://www.w3.org/XML/1998/namespace}lang"): t.text for t in dc.iter(f"{DC}title")}
    assert titles == history.title
    assert dc.findtext(f"{DC}identifier") == f"urn:uuid:{history.pk}"
    assert dc.find(f"{DC}creator") is None  # withdrawn: consent shows no name anywhere now


def test_the_creator_is_the_name_as_consent_shows_it(history):
    dc = etree.fromstring(preservation_xml.dublin_core(history))
    assert dc.findtext(f"{DC}creator") == "Samira Privatename"  # the paper form: full name, web open
    services.record_consent(history, scopes=["web"], actor_label="contributor", name_display="initials",
                            display_name="Samira Privatename", propagate=False)
    dc = etree.fromstring(preservation_xml.dublin_core(history))
    assert dc.findtext(f"{DC}creator") == "S. P."


def test_an_erasure_is_an_event_of_the_system_with_no_words_left(history):
    management.erase(history.contribution, actor_label="contributor")
    history.refresh_from_db()
    root = etree.fromstring(preservation_xml.premis_events(history))
    check_premis(root)
    types = [e.findtext(f"{P}eventType") for e in root.iter(f"{P}event")]
    assert types[-2:] == ["consent withdrawn", "erasure"]
    assert b"Privatename" not in preservation_xml.premis_events(history)
    assert b"Privatename" not in preservation_xml.dublin_core(history)

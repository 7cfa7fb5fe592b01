"""The protocol's rules, checked on a response's bytes (no package ships the OAI-PMH and oai_dc
XML schemas, so the rules of OAI-PMH 2.0 sections 2-4 and of oai_dc are checked here instead);
the archive's own `memories` format is validated against its XML schema."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
MEMORIES = "urn:memories:oai:record:1"
NS = {"o": OAI, "oai_dc": OAI_DC, "dc": DC, "m": MEMORIES}
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
IDENTIFIER = re.compile(r"^oai:[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+:[a-zA-Z0-9\-_.!~*'();/?:@&=+$,%]+$")
SET_SPEC = re.compile(r"^([A-Za-z0-9\-_.!~*'()])+(:[A-Za-z0-9\-_.!~*'()]+)*$")
DC_ELEMENTS = {"title", "creator", "subject", "description", "publisher", "contributor", "date", "type",
               "format", "identifier", "source", "language", "relation", "coverage", "rights"}
VERBS = {"Identify", "ListMetadataFormats", "ListSets", "GetRecord", "ListIdentifiers", "ListRecords"}
ERRORS = {"badArgument", "badResumptionToken", "badVerb", "cannotDisseminateFormat", "idDoesNotExist",
          "noRecordsMatch", "noMetadataFormats", "noSetHierarchy"}
SCHEMA = Path(__file__).resolve().parents[2] / "exhibitions" / "oai" / "schemas" / "memories-record-1.xsd"
_memories_schema = None


def memories_schema() -> etree.XMLSchema:
    global _memories_schema
    if _memories_schema is None:
        _memories_schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    return _memories_schema


def check(body: bytes) -> etree._Element:
    """Parse an OAI-PMH response and check the protocol's rules; returns the root."""
    root = etree.fromstring(body)
    assert root.tag == f"{{{OAI}}}OAI-PMH"
    children = [c for c in root if isinstance(c.tag, str)]
    assert [etree.QName(c).localname for c in children[:2]] == ["responseDate", "request"]
    assert STAMP.match(children[0].text)
    assert children[1].text.startswith("http")
    rest = children[2:]
    if etree.QName(rest[0]).localname == "error":
        assert all(etree.QName(e).localname == "error" and e.get("code") in ERRORS for e in rest)
        if {e.get("code") for e in rest} & {"badVerb", "badArgument"}:
            assert not children[1].attrib, "no attributes are echoed with badVerb or badArgument"
        return root
    assert len(rest) == 1 and etree.QName(rest[0]).localname in VERBS
    for address in root.iter(f"{{{OAI}}}adminEmail"):
        assert re.match(r"^\S+@(\S+\.)+\S+$", address.text), address.text
    assert children[1].get("verb") == etree.QName(rest[0]).localname
    for header in root.iter(f"{{{OAI}}}header"):
        _check_header(header)
    for metadata in root.iter(f"{{{OAI}}}metadata"):
        _check_metadata(metadata)
    for token in root.iter(f"{{{OAI}}}resumptionToken"):
        assert int(token.get("cursor")) >= 0 and int(token.get("completeListSize")) >= 1
        if token.text:
            assert STAMP.match(token.get("expirationDate"))
    return root


def _check_header(header) -> None:
    parts = [etree.QName(c).localname for c in header if isinstance(c.tag, str)]
    assert parts[:2] == ["identifier", "datestamp"] and set(parts[2:]) <= {"setSpec"}
    assert IDENTIFIER.match(header.findtext("o:identifier", namespaces=NS))
    assert STAMP.match(header.findtext("o:datestamp", namespaces=NS))
    assert header.get("status") in (None, "deleted")
    for spec in header.findall("o:setSpec", NS):
        assert SET_SPEC.match(spec.text)
    record = header.getparent()
    if header.get("status") == "deleted" and etree.QName(record).localname == "record":
        assert record.find("o:metadata", NS) is None, "a deleted record carries no metadata"


def _check_metadata(metadata) -> None:
    (body,) = [c for c in metadata if isinstance(c.tag, str)]
    if body.tag == f"{{{OAI_DC}}}dc":
        for element in body:
            assert etree.QName(element).namespace == DC
            assert etree.QName(element).localname in DC_ELEMENTS
            assert len(element) == 0 and element.text
    else:
        assert body.tag == f"{{{MEMORIES}}}record"
        schema = memories_schema()
        assert schema.validate(etree.fromstring(etree.tostring(body))), schema.error_log


def error_code(body: bytes) -> str | None:
    root = check(body)
    found = root.find("o:error", NS)
    return found.get("code") if found is not None else None

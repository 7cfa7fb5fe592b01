"""Standard metadata in the bags beside the archive's own JSON: Dublin Core for the item and
PREMIS 3 events for its consent history, so a preservation system can read them without our code.

PREMIS names agents by their role (the contributor, a guardian, family, a curator recording a paper
form, the archive's system), never by a person's name or account; the event details say what the
consent opened, not who the person is. The Dublin Core creator is the name as consent displays it
on the web now, or none.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from archive import consent
from archive.models import ConsentVersion, Item

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
PREMIS = "http://www.loc.gov/premis/v3"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")
DCMI_TYPE = {Item.Kind.TESTIMONY: "Sound", Item.Kind.PHOTOGRAPH: "StillImage", Item.Kind.OBJECT_STORY: "Text"}
AGENT_ROLES = {
    ConsentVersion.GivenBy.SELF: "contributor",
    ConsentVersion.GivenBy.GUARDIAN: "guardian of a minor contributor",
    ConsentVersion.GivenBy.FAMILY: "family of a deceased victim",
    ConsentVersion.GivenBy.CURATOR_PAPER: "curator recording a signed paper form",
}
SYSTEM = "archive system"

for _prefix, _uri in (("oai_dc", OAI_DC), ("dc", DC), ("premis", PREMIS), ("xsi", XSI)):
    ET.register_namespace(_prefix, _uri)


def _text(value) -> str:
    return _NOT_XML.sub("", str(value))


def _sub(parent, ns: str, tag: str, value=None, lang: str | None = None, **attrs) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ns}}}{tag}", {k: _text(v) for k, v in attrs.items()})
    if value is not None:
        el.text = _text(value)
    if lang and _LANGUAGE_TAG.match(str(lang)):
        el.set(XML_LANG, str(lang))
    return el


def _xml(root: ET.Element) -> bytes:
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


def dublin_core(item: Item) -> bytes:
    root = ET.Element(f"{{{OAI_DC}}}dc", {f"{{{XSI}}}schemaLocation":
                                          f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"})
    for field, element in (("title", "title"), ("summary", "description")):
        for lang, value in sorted((getattr(item, field) or {}).items()):
            if value:
                _sub(root, DC, element, value, lang)
    name = consent.shown_name(item, "web")
    if name:
        _sub(root, DC, "creator", name)
    for subject in item.subjects.all():
        for lang, value in sorted((subject.label or {}).items()):
            if value:
                _sub(root, DC, "subject", value, lang)
    if item.date_start or item.date_text:
        _sub(root, DC, "date", item.date_start.isoformat() if item.date_start else item.date_text)
    _sub(root, DC, "type", DCMI_TYPE.get(item.kind, "Text"))
    _sub(root, DC, "identifier", f"urn:uuid:{item.pk}")
    _sub(root, DC, "language", item.original_language)
    if item.event_id:
        for lang, value in sorted((item.event.name or {}).items()):
            if value:
                _sub(root, DC, "relation", value, lang)
    for place in (item.place, item.country):
        if place:
            _sub(root, DC, "coverage", place)
    if item.rights:
        _sub(root, DC, "rights", item.rights)
    return _xml(root)


def consent_event_type(version: ConsentVersion, previous: ConsentVersion | None) -> str:
    """given, withdrawn, narrowed, widened or changed (scopes kept, other terms changed)."""
    if version.withdrawn:
        return "consent withdrawn"
    if previous is None or previous.withdrawn:
        return "consent given"
    now, before = set(version.scopes), set(previous.scopes)
    if now < before:
        return "consent narrowed"
    if now > before:
        return "consent widened"
    return "consent changed"


def _detail(version: ConsentVersion) -> str:
    parts = [f"scopes: {', '.join(version.scopes) or 'none'}", f"name shown: {version.name_display}",
             f"method: {version.method}"]
    if version.embargo_until:
        parts.append(f"embargo until {version.embargo_until.isoformat()}")
    if version.expires_at:
        parts.append(f"expires {version.expires_at.isoformat()}")
    if version.excluded_media:
        parts.append(f"media excluded: {len(version.excluded_media)}")
    return "; ".join(parts)


def _event(root, item: Item, number: str, kind: str, when, detail: str, agent: str) -> None:
    event = _sub(root, PREMIS, "event")
    ident = _sub(event, PREMIS, "eventIdentifier")
    _sub(ident, PREMIS, "eventIdentifierType", "local")
    _sub(ident, PREMIS, "eventIdentifierValue", f"{item.pk}/{number}")
    _sub(event, PREMIS, "eventType", kind)
    _sub(event, PREMIS, "eventDateTime", when.isoformat())
    _sub(_sub(event, PREMIS, "eventDetailInformation"), PREMIS, "eventDetail", detail)
    link = _sub(event, PREMIS, "linkingAgentIdentifier")
    _sub(link, PREMIS, "linkingAgentIdentifierType", "role")
    _sub(link, PREMIS, "linkingAgentIdentifierValue", agent)
    _sub(link, PREMIS, "linkingAgentRole", "authorizer")
    obj = _sub(event, PREMIS, "linkingObjectIdentifier")
    _sub(obj, PREMIS, "linkingObjectIdentifierType", "UUID")
    _sub(obj, PREMIS, "linkingObjectIdentifierValue", str(item.pk))


def premis_events(item: Item) -> bytes:
    """PREMIS 3: the item as an intellectual entity, one event per consent version (and the
    erasure), and the agents as roles."""
    root = ET.Element(f"{{{PREMIS}}}premis", {"version": "3.0", f"{{{XSI}}}schemaLocation":
                                              f"{PREMIS} http://www.loc.gov/standards/premis/premis.xsd"})
    entity = _sub(root, PREMIS, "object", **{f"{{{XSI}}}type": "premis:intellectualEntity"})
    ident = _sub(entity, PREMIS, "objectIdentifier")
    _sub(ident, PREMIS, "objectIdentifierType", "UUID")
    _sub(ident, PREMIS, "objectIdentifierValue", str(item.pk))
    agents = []
    previous = None
    for version in item.consent_versions.order_by("number"):
        agent = AGENT_ROLES.get(version.given_by, "contributor")
        _event(root, item, f"consent-{version.number}", consent_event_type(version, previous),
               version.created_at, _detail(version), agent)
        agents.append(agent)
        previous = version
    erased_at = item.contribution.erased_at if item.contribution_id else None
    if item.status == Item.Status.ERASED and erased_at:
        _event(root, item, "erasure", "erasure", erased_at,
               "words, names and files removed from the archive; this tombstone remains", SYSTEM)
        agents.append(SYSTEM)
    for agent in dict.fromkeys(agents):
        node = _sub(root, PREMIS, "agent")
        aid = _sub(node, PREMIS, "agentIdentifier")
        _sub(aid, PREMIS, "agentIdentifierType", "role")
        _sub(aid, PREMIS, "agentIdentifierValue", agent)
        _sub(node, PREMIS, "agentName", agent)
        _sub(node, PREMIS, "agentType", "software" if agent == SYSTEM else "person")
    return _xml(root)

"""The OAI-PMH 2.0 endpoint: one URL, six verbs, GET or POST; errors are answered in the protocol
(HTTP 200 with <error code=...>), never as a server error."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from exhibitions.iiif.common import site_url
from exhibitions.models import Exhibition
from exhibitions.oai import metadata, records
from exhibitions.oai.metadata import XSI, text
from exhibitions.oai.protocol import (
    ListState,
    OAIError,
    make_token,
    parse_arguments,
    parse_window,
    read_token,
    stamp,
)
from exhibitions.selectors import live_q

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_ID = "http://www.openarchives.org/OAI/2.0/oai-identifier"
SCHEMAS = Path(__file__).parent / "schemas"
EMAIL = re.compile(r"^\S+@(\S+\.)+\S+$")  # OAI-PMH.xsd's emailType
for _prefix, _uri in (("", OAI), ("oai_dc", metadata.OAI_DC), ("dc", metadata.DC), ("xsi", XSI),
                      ("memories", metadata.MEMORIES), ("oai-identifier", OAI_ID)):
    ET.register_namespace(_prefix, _uri)


def _el(parent, name: str, value=None, ns: str = OAI, **attrs) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ns}}}{name}", {k: text(v) for k, v in attrs.items() if v is not None})
    if value is not None:
        el.text = text(value)
    return el


def base_url() -> str:
    return site_url() + reverse("oai:endpoint")


@csrf_exempt  # harvesters POST form-encoded requests (section 3.1.1.2); nothing here writes
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request: HttpRequest) -> HttpResponse:
    at = timezone.now()
    params = request.POST if request.method == "POST" else request.GET
    root = ET.Element(f"{{{OAI}}}OAI-PMH", {
        f"{{{XSI}}}schemaLocation": f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"})
    _el(root, "responseDate", stamp(at))
    request_el = _el(root, "request", base_url())
    with translation.override("en"):
        try:
            verb, args = parse_arguments(params)
            for key, value in {"verb": verb, **args}.items():
                request_el.set(key, text(value))
            root.append(HANDLERS[verb](args, at))
        except OAIError as error:
            if error.code in ("badVerb", "badArgument"):
                request_el.attrib.clear()  # the protocol: no attributes echoed for these two
            _el(root, "error", error.message, code=error.code)
    body = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    response = HttpResponse(body, content_type="text/xml; charset=utf-8")
    # Read at request time through the consent policy: a shared cache must not keep an old answer.
    response["Cache-Control"] = "no-cache"
    return response


def _identify(args: dict, at: datetime) -> ET.Element:
    el = ET.Element(f"{{{OAI}}}Identify")
    _el(el, "repositoryName", settings.SITE_NAME)
    _el(el, "baseURL", base_url())
    _el(el, "protocolVersion", "2.0")
    for address in admin_emails():
        _el(el, "adminEmail", address)
    _el(el, "earliestDatestamp", stamp(records.earliest(at)))
    _el(el, "deletedRecord", "persistent")
    _el(el, "granularity", "YYYY-MM-DDThh:mm:ssZ")
    description = _el(el, "description")
    ident = _el(description, "oai-identifier", ns=OAI_ID, **{
        f"{{{XSI}}}schemaLocation": f"{OAI_ID} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"})
    _el(ident, "scheme", "oai", ns=OAI_ID)
    _el(ident, "repositoryIdentifier", records.repository_id(), ns=OAI_ID)
    _el(ident, "delimiter", ":", ns=OAI_ID)
    _el(ident, "sampleIdentifier", records.identifier("00000000-0000-4000-8000-000000000000"), ns=OAI_ID)
    return el


def admin_emails() -> list[str]:
    """ADMINS and DEFAULT_FROM_EMAIL where the protocol's e-mail pattern takes them (a dotted
    domain: "memories@localhost" is refused by harvesters' validators), else one at the repository."""
    found = [address for _name, address in settings.ADMINS] + [settings.DEFAULT_FROM_EMAIL]
    valid = [a for a in dict.fromkeys(found) if EMAIL.match(a or "")]
    return valid or [f"oai@{records.repository_id()}"]


def _find(oai_identifier: str, at: datetime):
    item_id = records.item_id_of(oai_identifier)
    found = records.universe(at).filter(pk=item_id).first() if item_id else None
    if found is None:
        raise OAIError("idDoesNotExist", "No item has this identifier in this repository.")
    return found


def _list_formats(args: dict, at: datetime) -> ET.Element:
    if "identifier" in args:
        _find(args["identifier"], at)
    el = ET.Element(f"{{{OAI}}}ListMetadataFormats")
    for prefix, (schema, namespace) in metadata.formats().items():
        fmt = _el(el, "metadataFormat")
        _el(fmt, "metadataPrefix", prefix)
        _el(fmt, "schema", schema)
        _el(fmt, "metadataNamespace", namespace)
    return el


def _list_sets(args: dict, at: datetime) -> ET.Element:
    if "resumptionToken" in args:
        raise OAIError("badResumptionToken", "ListSets answers in one response; it issues no token.")
    el = ET.Element(f"{{{OAI}}}ListSets")
    for spec, name in records.sets(at):
        node = _el(el, "set")
        _el(node, "setSpec", spec)
        _el(node, "setName", name)
    return el


def _check_prefix(prefix: str) -> None:
    if prefix not in metadata.formats():
        raise OAIError("cannotDisseminateFormat", f"This repository has no metadata format {prefix!r}: "
                                                  f"use {' or '.join(metadata.formats())}.")


def _exhibition_titles(at: datetime) -> dict[str, dict]:
    return dict(Exhibition.objects.filter(live_q(at)).values_list("slug", "title"))


def _record(parent, header: records.Header, prefix: str, at: datetime, titles: dict) -> None:
    node = _el(parent, "record")
    _header(node, header)
    if header.deleted:
        return
    if prefix == "oai_dc":
        body = metadata.oai_dc(header.item, at)
    else:
        shown = [s.split(":", 1)[1] for s in header.sets if s.startswith("exhibition:")]
        body = metadata.memories(header.item, at, [(s, titles.get(s) or {}) for s in shown])
    if body is not None:
        _el(node, "metadata").append(body)


def _header(parent, header: records.Header) -> None:
    node = _el(parent, "header", status="deleted" if header.deleted else None)
    _el(node, "identifier", header.identifier)
    _el(node, "datestamp", stamp(header.datestamp))
    for spec in header.sets:
        _el(node, "setSpec", spec)


def _get_record(args: dict, at: datetime) -> ET.Element:
    _check_prefix(args["metadataPrefix"])
    item = _find(args["identifier"], at)
    el = ET.Element(f"{{{OAI}}}GetRecord")
    page = records.headers([_with_related(item, at)], at)
    _record(el, page[0], args["metadataPrefix"], at, _exhibition_titles(at))
    return el


def _with_related(item, at: datetime):
    return records.universe(at).filter(pk=item.pk).select_related(
        "event", "contributor").prefetch_related("subjects", "media__asset").first() or item


def _list(verb: str, args: dict, at: datetime) -> ET.Element:
    if "resumptionToken" in args:
        state = read_token(verb, args["resumptionToken"])
    else:
        state = ListState(verb, args["metadataPrefix"], args.get("set"), args.get("from"), args.get("until"))
    _check_prefix(state.prefix)
    start, end = parse_window(state.since, state.until)
    selected = records.select(at, set_spec=state.set_spec, start=start, end=end)
    if selected is None:
        raise OAIError("noRecordsMatch", f"There is no set {state.set_spec!r} here (see ListSets).")
    size = settings.OAI_PAGE_SIZE
    rest = selected.filter(pk__gt=state.after) if state.after else selected
    if verb == "ListRecords":
        rest = rest.select_related("event", "contributor").prefetch_related("subjects", "media__asset")
    page = list(rest[:size + 1])
    if not page:
        raise OAIError("noRecordsMatch", "No record matches these arguments.")
    more, page = len(page) > size, page[:size]
    el = ET.Element(f"{{{OAI}}}{verb}")
    titles = _exhibition_titles(at) if verb == "ListRecords" else {}
    for header in records.headers(page, at):
        if verb == "ListRecords":
            _record(el, header, state.prefix, at, titles)
        else:
            _header(el, header)
    if more or state.after:
        _resumption(el, state, page, selected.count(), more, at)
    return el


def _resumption(el, state: ListState, page: list, total: int, more: bool, at: datetime) -> None:
    from exhibitions.oai.protocol import token_lifetime

    following = ListState(state.verb, state.prefix, state.set_spec, state.since, state.until,
                          str(page[-1].pk), state.cursor + len(page))
    attrs = {"completeListSize": str(total), "cursor": str(state.cursor)}
    if more:
        attrs["expirationDate"] = stamp(at + token_lifetime())
    _el(el, "resumptionToken", make_token(following) if more else "", **attrs)


HANDLERS = {
    "Identify": _identify,
    "ListMetadataFormats": _list_formats,
    "ListSets": _list_sets,
    "GetRecord": _get_record,
    "ListIdentifiers": lambda args, at: _list("ListIdentifiers", args, at),
    "ListRecords": lambda args, at: _list("ListRecords", args, at),
}


def schema(request: HttpRequest, name: str) -> FileResponse:
    """The `memories` format's XML schema (and the xml: attribute it imports), for harvesters."""
    path = SCHEMAS / name
    if name not in ("memories-record-1.xsd", "xml.xsd") or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), content_type="application/xml")

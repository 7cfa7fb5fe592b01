"""The protocol's rules: verbs and their arguments, dates and their granularity, resumption tokens,
and the error codes of OAI-PMH 2.0 (section 3.6). Nothing here reads the record."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing

GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TOKEN_SALT = "memories.oai.resumption"

# verb: (required, optional, exclusive); an exclusive argument stands alone beside the verb.
VERBS = {
    "Identify": ((), (), None),
    "ListMetadataFormats": ((), ("identifier",), None),
    "ListSets": ((), (), "resumptionToken"),
    "GetRecord": (("identifier", "metadataPrefix"), (), None),
    "ListIdentifiers": (("metadataPrefix",), ("from", "until", "set"), "resumptionToken"),
    "ListRecords": (("metadataPrefix",), ("from", "until", "set"), "resumptionToken"),
}


class OAIError(Exception):
    """One of the protocol's error conditions; `code` is the protocol's own name for it."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def stamp(moment: datetime) -> str:
    """A datestamp in the repository's granularity (seconds, UTC)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_arguments(params) -> tuple[str, dict[str, str]]:
    """The verb and its arguments from a QueryDict (GET or POST), or an OAIError (badVerb,
    badArgument) for anything the protocol does not allow: a repeated, unknown or missing argument."""
    verbs = params.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OAIError("badVerb", "The verb is missing, repeated or not one of OAI-PMH's six verbs.")
    verb = verbs[0]
    required, optional, exclusive = VERBS[verb]
    args: dict[str, str] = {}
    for key in params:
        if key == "verb":
            continue
        values = params.getlist(key)
        if key not in (*required, *optional, exclusive):
            raise OAIError("badArgument", f"{verb} does not take the argument {key!r}.")
        if len(values) != 1:
            raise OAIError("badArgument", f"The argument {key!r} is repeated.")
        args[key] = values[0]
    if exclusive and exclusive in args:
        if len(args) > 1:
            raise OAIError("badArgument", f"{exclusive} is an exclusive argument: give it alone.")
        return verb, args
    missing = [name for name in required if not args.get(name)]
    if missing:
        raise OAIError("badArgument", f"{verb} needs the argument(s) {', '.join(missing)}.")
    return verb, args


def parse_window(since: str | None, until: str | None) -> tuple[datetime | None, datetime | None]:
    """`from` and `until` as a half-open window [start, end): both in one granularity, day or
    second; a day's `until` covers that whole day, a second's the whole second (datestamps are
    truncated to seconds, stored moments are not)."""
    kinds = {kind for kind in (_granularity(since), _granularity(until)) if kind}
    if len(kinds) > 1:
        raise OAIError("badArgument", "from and until must have the same granularity.")
    start = _moment(since) if since else None
    end = None
    if until:
        end = _moment(until) + (timedelta(days=1) if DAY.match(until) else timedelta(seconds=1))
    if start and end and start >= end:
        raise OAIError("badArgument", "from is later than until.")
    return start, end


def _granularity(value: str | None) -> str | None:
    if value is None:
        return None
    if DAY.match(value):
        return "day"
    if SECOND.match(value):
        return "second"
    raise OAIError("badArgument", f"{value!r} is not a date in the form YYYY-MM-DD or {GRANULARITY}.")


def _moment(value: str) -> datetime:
    try:
        if DAY.match(value):
            return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError as exc:  # right shape, no such day (2026-02-30)
        raise OAIError("badArgument", f"{value!r} is not a date that exists.") from exc


# --- Resumption tokens: keyset (the last identifier sent), signed, expiring -----------------------


@dataclass
class ListState:
    """Where a list request stands: its arguments, the last item sent and how many were sent."""

    verb: str
    prefix: str
    set_spec: str | None
    since: str | None
    until: str | None
    after: str | None = None
    cursor: int = 0


def token_lifetime() -> timedelta:
    return timedelta(seconds=settings.OAI_TOKEN_SECONDS)


def make_token(state: ListState) -> str:
    return signing.dumps([state.verb, state.prefix, state.set_spec, state.since, state.until,
                          state.after, state.cursor], salt=TOKEN_SALT, compress=True)


def read_token(verb: str, token: str) -> ListState:
    """The state a token carries; badResumptionToken if it was altered, has expired, or belongs to
    another verb (a token is only ever handed out by ListIdentifiers and ListRecords)."""
    try:
        values = signing.loads(token, salt=TOKEN_SALT, max_age=token_lifetime())
    except signing.SignatureExpired as exc:
        raise OAIError("badResumptionToken", "This resumption token has expired: start the list again.") from exc
    except signing.BadSignature as exc:
        raise OAIError("badResumptionToken", "This resumption token is not one this repository issued.") from exc
    if not isinstance(values, list) or len(values) != 7 or values[0] != verb:
        raise OAIError("badResumptionToken", f"This resumption token does not continue a {verb} list.")
    return ListState(*values)

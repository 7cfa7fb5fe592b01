"""Fill the .po catalogues from the translations in locale/translations/*.py (written by hand).

Usage: .venv/bin/python locale/po_tools.py fill     fill every catalogue, report what is missing
       .venv/bin/python locale/po_tools.py missing  list msgids without a translation (by source)

The catalogues themselves are produced by `manage.py makemessages`; this only writes msgstr.
Each translations module defines T = {msgid: {"ar": ..., "zh_Hans": ..., "fr": ..., "ru": ..., "es": ...}};
a plural entry's value is a list of forms per language instead of a string.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGS = ("ar", "zh_Hans", "fr", "ru", "es")
NPLURALS = {"ar": 6, "zh_Hans": 1, "fr": 2, "ru": 3, "es": 2}  # used when a header has no Plural-Forms
HEADERS = {"ar": "Arabic", "zh_Hans": "Chinese (Simplified)", "fr": "French", "ru": "Russian", "es": "Spanish"}


def load() -> dict:
    merged: dict = {}
    for path in sorted((HERE / "translations").glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"t_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        merged.update(module.T)
    return merged


def _unquote(lines: list[str]) -> str:
    text = "".join(re.match(r'^(?:msgid|msgid_plural|msgstr(?:\[\d\])?)?\s*"(.*)"$', ln.strip()).group(1)
                   for ln in lines)
    return bytes(text, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8") if "\\" in text else text


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def parse(path: Path) -> list[dict]:
    """Entries as dicts: comments (list of lines), msgctxt, msgid, msgid_plural, raw."""
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    entries = []
    for block in blocks:
        lines = [ln for ln in block.splitlines() if ln.strip()]
        if not lines:
            continue
        entry = {"comments": [], "fields": {}}
        current = None
        for ln in lines:
            if ln.startswith("#"):
                entry["comments"].append(ln)
                continue
            m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?)\s', ln)
            if m:
                current = m.group(1)
                entry["fields"][current] = [ln[len(current):].strip()]
            else:
                entry["fields"][current].append(ln.strip())
        entries.append(entry)
    return entries


def text_of(entry: dict, field: str) -> str | None:
    raw = entry["fields"].get(field)
    if raw is None:
        return None
    return "".join(_decode(part) for part in raw)


def _decode(quoted: str) -> str:
    body = quoted[1:-1]
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(nxt, nxt))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def write(path: Path, entries: list[dict]) -> None:
    chunks = []
    for e in entries:
        lines = list(e["comments"])
        for field, raw in e["fields"].items():
            lines.append(f"{field} {raw[0]}")
            lines.extend(raw[1:])
        chunks.append("\n".join(lines))
    path.write_text("\n\n".join(chunks) + "\n", encoding="utf-8")


def fill(verbose: bool = True) -> int:
    table = load()
    missing_total = 0
    for lang in LANGS:
        path = HERE / lang / "LC_MESSAGES" / "django.po"
        entries = parse(path)
        header = text_of(entries[0], "msgstr") or ""
        found = re.search(r"nplurals=(\d+)", header)
        nplurals = int(found.group(1)) if found else NPLURALS[lang]
        missing = []
        for e in entries:
            msgid = text_of(e, "msgid")
            if msgid is None:  # an obsolete (#~) entry kept by makemessages
                continue
            if msgid == "":  # the header
                e["comments"] = [c for c in e["comments"] if c != "#, fuzzy"]
                header = text_of(e, "msgstr").replace("Language: \\n", "").replace("Language: \n", f"Language: {lang}\n")
                header = header.replace("Language-Team: LANGUAGE <LL@li.org>", f"Language-Team: {HEADERS[lang]}")
                e["fields"]["msgstr"] = ['""'] + [_quote(line + "\n") for line in header.split("\n") if line]
                continue
            e["comments"] = [c for c in e["comments"] if not c.startswith("#, fuzzy") and not c.startswith("#| ")]
            value = table.get(msgid, {}).get(lang)
            plural = "msgid_plural" in e["fields"]
            if value is None:
                missing.append(msgid)
                continue
            if plural:
                forms = value if isinstance(value, list) else [value]
                for key in [k for k in e["fields"] if k.startswith("msgstr[")]:
                    del e["fields"][key]
                # As many forms as the catalogue's Plural-Forms header says (gettext's CLDR rules may
                # differ from ours, e.g. Spanish "many"): extra ones repeat the last form given.
                for n in range(nplurals):
                    e["fields"][f"msgstr[{n}]"] = [_quote(forms[min(n, len(forms) - 1)])]
            else:
                e["fields"]["msgstr"] = [_quote(value)]
        write(path, entries)
        missing_total += len(missing)
        if verbose:
            live = sum(1 for e in entries if text_of(e, "msgid"))
            print(f"{lang}: {live - len(missing)} translated, {len(missing)} missing")
    return missing_total


def missing() -> None:
    table = load()
    entries = parse(HERE / "fr" / "LC_MESSAGES" / "django.po")
    for e in entries:
        msgid = text_of(e, "msgid")
        if msgid and msgid not in table:
            refs = " ".join(c[3:] for c in e["comments"] if c.startswith("#: "))
            plural = text_of(e, "msgid_plural")
            print(f"{refs.split(':')[0]}\t{msgid!r}" + (f"\tPLURAL {plural!r}" if plural else ""))


if __name__ == "__main__":
    {"fill": fill, "missing": missing}[sys.argv[1] if len(sys.argv) > 1 else "fill"]()

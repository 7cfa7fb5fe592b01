"""Transcripts: WebVTT, SRT and plain text, read as *text* (never markup) into timed cues.

Cue text loses every tag (<b>, <c.x>, <script>...) and is escaped again when WebVTT is written, so a
caption can never carry markup into a page or a player.
"""

from __future__ import annotations

import html
import re
import unicodedata

from django.utils.translation import gettext as _

from media_pipeline import conf
from media_pipeline.validation import Detected, refuse

_TS = r"(?:(\d{1,3}):)?(\d{1,2}):(\d{2})[.,](\d{1,3})"
_TIMING = re.compile(rf"^\s*{_TS}\s*-->\s*{_TS}")
_TAG = re.compile(r"<[^>]*>")
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_MARKUP_START = re.compile(r"^\s*<(?:!doctype|html|head|body|script|svg|\?xml|iframe|object|embed|a\s|div|img)",
                           re.IGNORECASE)


def decode_text(data: bytes, name: str) -> str:
    if _MARKUP_START.match(data[:512].decode("latin-1").lstrip("\ufeff\xef\xbb\xbf")):
        raise refuse(name, _("it is a web page or markup document (HTML, SVG or XML), which the archive "
                             "does not accept. Transcripts must be WebVTT, SRT or plain text."), "markup")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise refuse(name, _("it is not valid UTF-16 text."), "damaged") from exc
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise refuse(name, _("its type is not recognised (it is neither a photograph, a recording nor "
                                 "UTF-8 text)."), "type") from exc
    bad = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if "\x00" in text or bad > max(2, len(text) // 1000):
        raise refuse(name, _("its type is not recognised (it contains binary data)."), "type")
    if _MARKUP_START.match(text):
        raise refuse(name, _("it is a web page or markup document (HTML, SVG or XML), which the archive "
                             "does not accept. Transcripts must be WebVTT, SRT or plain text."), "markup")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _seconds(h, m, s, ms) -> float:
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(ms.ljust(3, "0")) / 1000


def clean_cue_text(text: str) -> str:
    """Tags removed, entities decoded: what a person reads, as plain text."""
    text = _TAG.sub("", _SCRIPT.sub("", text))
    text = html.unescape(text)
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def parse(text: str) -> tuple[str, list[dict]]:
    """(format, cues). Timed formats give [{"start", "end", "text"}]; plain text gives untimed paragraphs."""
    stripped = text.lstrip("\ufeff")
    is_vtt = stripped.startswith("WEBVTT") and (len(stripped) == 6 or stripped[6] in " \t\n")
    blocks = [b for b in re.split(r"\n\s*\n", stripped) if b.strip()]
    if not is_vtt and not any(map(_is_timed, blocks)):
        return "text", _paragraphs(blocks)
    cues = [cue for cue in map(_timed_cue, blocks) if cue is not None]
    if not cues:
        raise ValueError(_("it has no captions with text"))
    return ("vtt" if is_vtt else "srt"), cues


def _is_timed(block: str) -> bool:
    return any(_TIMING.match(line) for line in block.split("\n")[:2])


def _paragraphs(blocks: list[str]) -> list[dict]:
    """Untimed cues, one per paragraph of plain text."""
    paragraphs = [clean_cue_text(b) for b in blocks]
    return [{"start": None, "end": None, "text": p} for p in paragraphs if p]


def _timed_cue(block: str) -> dict | None:
    """The cue of a WebVTT or SRT block; None for a block that shows nothing (header, NOTE, STYLE,
    REGION, or a cue without text)."""
    lines = block.split("\n")
    idx = next((i for i, line in enumerate(lines[:2]) if _TIMING.match(line)), None)
    if idx is None:
        return None
    m = _TIMING.match(lines[idx])
    start, end = _seconds(*m.groups()[:4]), _seconds(*m.groups()[4:])
    if end < start:
        raise ValueError(_("a cue ends before it starts (%(line)s)") % {"line": lines[idx].strip()[:40]})
    body = clean_cue_text("\n".join(lines[idx + 1:]))
    return {"start": round(start, 3), "end": round(end, 3), "text": body} if body else None


def probe_text(path: str, name: str) -> Detected:
    with open(path, "rb") as fh:
        data = fh.read(conf.get("MAX_TRANSCRIPT_BYTES") + 1)
    if len(data) > conf.get("MAX_TRANSCRIPT_BYTES"):
        raise refuse(name, _("a transcript may be at most %(kb)s KB.") % {
            "kb": conf.get("MAX_TRANSCRIPT_BYTES") // 1024}, "too_large")
    text = decode_text(data, name)
    try:
        fmt, cues = parse(text)
    except ValueError as exc:
        raise refuse(name, _("it could not be read as a transcript: %(why)s.") % {"why": exc}, "damaged") from exc
    if not cues:
        raise refuse(name, _("the transcript has no text."), "empty")
    last = max((c["end"] or 0) for c in cues)
    return Detected("transcript", fmt, duration=last or None, extra={"cues": len(cues)})


def _ts(seconds: float) -> str:
    ms = round(seconds * 1000)
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def to_vtt(cues: list[dict]) -> str:
    """WebVTT for captions; cue text escaped so that it is shown as text by every player."""
    out = ["WEBVTT", ""]
    for n, cue in enumerate(c for c in cues if c.get("start") is not None):
        text = cue["text"].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("-->", "--&gt;")
        out += [str(n + 1), f"{_ts(cue['start'])} --> {_ts(cue['end'])}", text, ""]
    return "\n".join(out)


def to_text(cues: list[dict]) -> str:
    return "\n\n".join(c["text"] for c in cues) + "\n"

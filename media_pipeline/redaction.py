"""Redaction: public files made again from the private master with `asset.redactions` applied.

The master (and the original) are never touched: every redaction is re-applied from the master,
so reversing one is removing it from the list and regenerating. Published assets are retracted
first (a new public token: the old, unredacted URLs are dead for good, even in caches) and
published again once the redacted files are in place.

Redaction specs (JSON, in `asset.redactions`, applied in order):
  {"type": "blur", "box": [x, y, w, h]}     image: blur a region (master pixel coordinates)
  {"type": "crop", "box": [x, y, w, h]}     image: keep only this region
  {"type": "mute", "range": [start, end]}   audio/video: silence, seconds
  {"type": "cut", "range": [start, end]}    audio/video: remove, seconds
  {"type": "words", "words": ["..."]}       transcript: replace the words or phrases in every cue
  {"type": "mute"|"cut", "range": [s, e], "derived": true}
                                            transcript: follow a redaction of the recording it
                                            transcribes (set by the caller, never by a curator)
Other keys (id, note, who, when, source) are the caller's bookkeeping and ignored here.
"""

from __future__ import annotations

import array
import json
import os
import re
import tempfile
from fractions import Fraction

import av
import pyvips
from django.utils.translation import gettext as _

from media_pipeline import derivatives, services, storage, transcripts
from media_pipeline.av import add_audio_encoder, add_video_encoder, encode_audio
from media_pipeline.av import flush as flush_encoders
from media_pipeline.exceptions import RedactionNotApplicable
from media_pipeline.models import MediaAsset
from media_pipeline.services.steps import Work, step_derivatives

MASK = "█████"
MUTED = "[muted]"
TYPES = {
    MediaAsset.Kind.IMAGE: ("blur", "crop"),
    MediaAsset.Kind.AUDIO: ("mute", "cut"),
    MediaAsset.Kind.VIDEO: ("mute", "cut"),
    MediaAsset.Kind.TRANSCRIPT: ("words",),
}


def validate(asset: MediaAsset, spec: dict) -> dict:
    """Check a spec against the asset (kind, bounds); returns the cleaned spec."""
    kind = spec.get("type")
    if kind not in TYPES.get(asset.kind, ()):
        raise RedactionNotApplicable(_("A “%(type)s” redaction does not apply to this %(kind)s.")
                                     % {"type": kind, "kind": asset.get_kind_display().lower()})
    if kind in ("blur", "crop"):
        return {**spec, "box": _valid_box(asset, spec["box"])}
    if kind in ("mute", "cut"):
        return {**spec, "range": _valid_range(asset, spec["range"])}
    words = [w.strip() for w in spec.get("words", []) if w and w.strip()]
    if not words:
        raise RedactionNotApplicable(_("Give at least one word or phrase to redact."))
    return {**spec, "words": words}


def _valid_box(asset: MediaAsset, box: list) -> list[int]:
    """The region in master pixels, clipped to the photograph; it must start inside it."""
    x, y, w, h = (int(v) for v in box)
    if w < 1 or h < 1 or x < 0 or y < 0 or x >= (asset.width or 0) or y >= (asset.height or 0):
        raise RedactionNotApplicable(_("The region lies outside the photograph (%(w)d × %(h)d pixels).")
                                     % {"w": asset.width or 0, "h": asset.height or 0})
    return [x, y, min(w, asset.width - x), min(h, asset.height - y)]


def _valid_range(asset: MediaAsset, time_range: list) -> list[float]:
    """The range in seconds, clipped to the recording; it must start inside it."""
    start, end = (float(v) for v in time_range)
    if start < 0 or end <= start or (asset.duration and start >= asset.duration):
        raise RedactionNotApplicable(_("The time range must start within the recording and end after it starts."))
    return [start, min(end, asset.duration or end)]


def regenerate(asset: MediaAsset) -> MediaAsset:
    """Make the asset's public-facing derivatives again from the master with its redactions."""
    asset.refresh_from_db()
    if asset.status != MediaAsset.Status.READY or not asset.master_key:
        raise RedactionNotApplicable(_("Only processed media can be redacted (this one is %(status)s).")
                             % {"status": asset.get_status_display()})
    was_published, had_tiles = asset.is_published, asset.tiles_public
    if was_published:
        services.retract(asset)
        asset.refresh_from_db()
    with tempfile.TemporaryDirectory(prefix="mp-redact-") as tmp:
        if asset.kind == MediaAsset.Kind.IMAGE:
            _image(asset, tmp)
        elif asset.kind in (MediaAsset.Kind.AUDIO, MediaAsset.Kind.VIDEO):
            _recording(asset, tmp)
        else:
            _transcript(asset)
    asset.save()
    if was_published:
        services.publish(asset, tiles=had_tiles)
    return asset


# --- images -----------------------------------------------------------------------------------

def apply_image(img: pyvips.Image, redactions: list[dict]) -> pyvips.Image:
    for spec in redactions:
        x, y, w, h = spec["box"]
        x, y = min(x, img.width - 1), min(y, img.height - 1)
        w, h = min(w, img.width - x), min(h, img.height - y)
        if spec["type"] == "crop":
            img = img.crop(x, y, w, h)
        elif spec["type"] == "blur":
            # Pixelate, then blur: nothing of a face or a number plate survives at any zoom level.
            region = img.crop(x, y, w, h)
            block = max(8, max(w, h) // 12)
            small = region.resize(1 / block, kernel="linear") if min(w, h) > block else region
            region = small.resize(w / small.width, vscale=h / small.height, kernel="nearest")
            region = region.crop(0, 0, min(w, region.width), min(h, region.height))
            region = region.gaussblur(max(4.0, block / 2))
            img = img.insert(region, x, y)
    return img


def _image(asset: MediaAsset, tmp: str) -> None:
    with storage.fetched(storage.private(), asset.master_key) as path:
        img = pyvips.Image.new_from_file(path, access="random", fail_on="error").copy_memory()
    img = apply_image(img, asset.redactions or []).copy_memory()
    asset.width, asset.height = img.width, img.height
    work = Work(asset, tmp)
    work.src = img
    work.reduced = derivatives.chain(img)
    step_derivatives(work)  # derivatives and the IIIF tile set


# --- recordings -------------------------------------------------------------------------------

def _in(ranges: list[tuple[float, float]], t: float) -> bool:
    return any(start <= t < end for start, end in ranges)


def _removed_before(cuts: list[tuple[float, float]], t: float) -> float:
    return sum(min(end, t) - start for start, end in cuts if start < t)


def _recording(asset: MediaAsset, tmp: str) -> None:
    specs = asset.redactions or []
    kind = asset.kind
    rendition_key = f"{services.private_prefix(asset)}/d/redacted-{'video.mp4' if kind == 'video' else 'audio.m4a'}"
    if not specs:
        _unredacted_recording(asset, rendition_key)
        return
    mutes = [tuple(s["range"]) for s in specs if s["type"] == "mute"]
    cuts = [tuple(s["range"]) for s in specs if s["type"] == "cut"]
    out_path = os.path.join(tmp, os.path.basename(rendition_key))
    with storage.fetched(storage.private(), asset.master_key) as path, av.open(path) as src, \
            av.open(out_path, mode="w", format="mp4", options={"movflags": "+faststart"}) as out:
        last = _redacted_copy(src, out, mutes, cuts)
    storage.put_file(storage.private(), rendition_key, out_path)
    asset.derivatives = {**asset.derivatives, kind: rendition_key}
    total_cut = sum(end - start for start, end in cuts)
    if asset.duration:
        asset.duration = round(max(asset.duration - total_cut, last), 3)


def _unredacted_recording(asset: MediaAsset, rendition_key: str) -> None:
    """Nothing left to hide: the sanitised rendition (the master) is the public file again."""
    asset.derivatives = {**asset.derivatives, asset.kind: asset.master_key}
    storage.delete(storage.private(), rendition_key)
    with storage.fetched(storage.private(), asset.master_key) as path, av.open(path) as src:
        asset.duration = round(float(src.duration or 0) / av.time_base, 3) or asset.duration


def _redacted_copy(src, out, mutes: list[tuple[float, float]], cuts: list[tuple[float, float]]) -> float:
    """Re-encode `src` into `out` without the cut ranges and with the muted ones silent; returns the
    end of the last sound kept (seconds, after the cuts)."""
    video = next(iter(src.streams.video), None)
    audio = next(iter(src.streams.audio), None)
    vout = aout = resampler = None
    if video is not None:
        rate = video.average_rate or Fraction(25, 1)
        vout = add_video_encoder(out, rate, video.codec_context.width, video.codec_context.height)
        frame_tb = Fraction(rate.denominator, rate.numerator)
    if audio is not None:
        aout, resampler = add_audio_encoder(out, audio)
    frame_index = 0
    last = 0.0
    for packet in src.demux(*[s for s in (video, audio) if s is not None]):
        for frame in packet.decode():
            t = float(frame.time or 0)
            if _in(cuts, t):
                continue
            if packet.stream is video:
                # Frames are numbered again in order: what was cut leaves no gap.
                vf = frame.reformat(format="yuv420p")
                vf.pts, vf.time_base = frame_index, frame_tb
                frame_index += 1
                out.mux(vout.encode(vf))
                continue
            if _in(mutes, t):
                for plane in frame.planes:
                    plane.update(bytes(plane.buffer_size))
            encode_audio(out, aout, resampler, frame)
            last = max(last, t + frame.samples / (frame.sample_rate or 48000) - _removed_before(cuts, t))
    flush_encoders(out, resampler, aout, vout)
    return last


# --- transcripts ------------------------------------------------------------------------------

def apply_words(cues: list[dict], redactions: list[dict]) -> list[dict]:
    words = [w for spec in redactions if spec["type"] == "words" for w in spec["words"]]
    if not words:
        return [dict(c) for c in cues]
    # Longest first so that a phrase wins over a word inside it; whole words only, any case.
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
                         + r")(?!\w)", re.IGNORECASE)
    return [{**c, "text": pattern.sub(MASK, c["text"])} for c in cues]


def _merged(ranges: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[list[float]] = []
    for start, end in sorted(ranges):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(a, b) for a, b in out]


def _overlaps(start: float, end: float, a: float, b: float) -> bool:
    return start < b and (end > a if end > start else start >= a)


def apply_timeline(cues: list[dict], redactions: list[dict]) -> list[dict]:
    """Carry the recording's mutes and cuts (master seconds) onto timed cues.

    A cue that overlaps a muted range says "[muted]": a cue is the finest timing a transcript has,
    so the words heard in the range cannot be told apart from the others in it. Then cuts: a cue
    entirely inside a cut is removed, a cue after it moves earlier by the cut's length, a cue that
    overlaps it is clipped to what is left. Untimed (plain text) cues are left as they are.
    """
    mutes = [tuple(s["range"]) for s in redactions if s["type"] == "mute"]
    cuts = _merged([tuple(s["range"]) for s in redactions if s["type"] == "cut"])
    if not mutes and not cuts:
        return [dict(c) for c in cues]
    out = []
    for cue in cues:
        kept = _timed_cue(cue, mutes, cuts)
        if kept is not None:
            out.append(kept)
    return out


def _timed_cue(cue: dict, mutes: list[tuple[float, float]], cuts: list[tuple[float, float]]) -> dict | None:
    """One cue after the mutes and the (merged) cuts; None when nothing of it is left."""
    start, end = cue.get("start"), cue.get("end")
    if start is None:
        return dict(cue)
    end = start if end is None else end
    if any(a <= start and end <= b for a, b in cuts):
        return None
    text = MUTED if any(_overlaps(start, end, a, b) for a, b in mutes) else cue["text"]
    # Earlier by what was cut before it.
    new_start, new_end = round(start - _removed_before(cuts, start), 3), round(end - _removed_before(cuts, end), 3)
    if end > start and new_end <= new_start:
        return None
    return {**cue, "start": new_start, "end": new_end, "text": text}


def _transcript(asset: MediaAsset) -> None:
    priv = storage.private()
    prefix = services.private_prefix(asset)
    original_key = f"{prefix}/redaction/original-cues.json"
    if not storage.exists(priv, original_key):
        # The first redaction keeps the untouched cues privately, so that it can be reversed.
        storage.put_bytes(priv, original_key, json.dumps(asset.cues, ensure_ascii=False).encode())
    original = json.loads(storage.read_bytes(priv, original_key))
    specs = asset.redactions or []
    asset.cues = apply_timeline(apply_words(original, specs), specs)
    if not specs:
        asset.derivatives = {**asset.derivatives, "text": asset.master_key}
        if "vtt" in asset.derivatives:
            asset.derivatives["vtt"] = f"{prefix}/d/captions.vtt"
        for name in ("redacted-transcript.txt", "redacted-captions.vtt"):
            storage.delete(priv, f"{prefix}/d/{name}")
        return
    text_key = f"{prefix}/d/redacted-transcript.txt"
    storage.put_bytes(priv, text_key, transcripts.to_text(asset.cues).encode())
    found = {"text": text_key}
    if "vtt" in asset.derivatives:
        found["vtt"] = f"{prefix}/d/redacted-captions.vtt"
        storage.put_bytes(priv, found["vtt"], transcripts.to_vtt(asset.cues).encode())
    asset.derivatives = {**asset.derivatives, **found}


# --- waveform (for drawing time ranges on the redaction timeline) --------------------------------

def waveform(asset: MediaAsset, buckets: int = 400) -> dict:
    """Peaks of the recording as it is now (redactions applied): `buckets` values in 0..1, each the
    loudest sample of its slice of time, and the duration in seconds."""
    key = (asset.derivatives or {}).get(asset.kind) or asset.master_key
    if asset.kind not in (MediaAsset.Kind.AUDIO, MediaAsset.Kind.VIDEO) or not key:
        raise RedactionNotApplicable(_("Only recordings have a waveform."))
    levels: list[tuple[float, float, float]] = []  # (from, to, peak)
    with storage.fetched(storage.private(), key) as path, av.open(path) as src:
        stream = next(iter(src.streams.audio), None)
        if stream is None:
            return {"duration": asset.duration or 0, "peaks": []}
        # Mono 16-bit at a low rate is plenty for a drawing, and needs no numpy.
        resampler = av.AudioResampler(format="s16", layout="mono", rate=8000)
        for frame in src.decode(stream):
            t = float(frame.time or 0)
            for out in resampler.resample(frame):
                samples = array.array("h", bytes(out.planes[0])[: out.samples * 2])
                levels.append((t, t + out.samples / 8000, max((abs(v) for v in samples), default=0) / 32768))
    duration = float(asset.duration or (levels[-1][1] if levels else 0)) or 1.0
    peaks = [0.0] * buckets
    for start, end, peak in levels:
        # A frame covers every slice of time it overlaps (frames may be longer than a slice).
        first = min(buckets - 1, max(0, int(start / duration * buckets)))
        last = min(buckets - 1, max(first, int(end / duration * buckets - 1e-9)))
        for slot in range(first, last + 1):
            peaks[slot] = max(peaks[slot], peak)
    return {"duration": duration, "peaks": [round(p, 3) for p in peaks]}

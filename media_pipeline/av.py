"""Audio and video through PyAV (FFmpeg in the wheel): probe at intake, then validate by decoding
everything, measure the duration, make a poster (video frame or audio waveform) and a web-playable
rendition: MP4 (H.264 + AAC) for video, M4A (AAC) for audio.

Renditions are always re-encoded: that validates every packet, drops container metadata (phones
write the place of recording into MP4 and MOV files) and leaves any payload hidden in the upload behind.
Phones also store portrait video as landscape pictures plus a display matrix ("turn this by 90°");
the rendition and the poster are turned upright here, and carry no display matrix of their own.
"""

from __future__ import annotations

import array
import contextlib
import os
from fractions import Fraction

import av
import av.filter
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from media_pipeline import conf
from media_pipeline.exceptions import ProcessingError
from media_pipeline.validation import AUDIO_CODECS, AV_DEMUXERS, VIDEO_CODECS, Detected, refuse

WEBM_CODECS = {"vp8", "vp9", "av1", "opus", "vorbis"}
MAX_VIDEO_EDGE = 1280
_ATTACHED_PIC = av.stream.Disposition.attached_pic


def _open(path: str, fmt: str):
    # Always the demuxer our own sniff chose: FFmpeg never guesses (no playlists, no image2, no tty).
    return av.open(path, mode="r", format=AV_DEMUXERS[fmt], options={"enable_drefs": "0"},
                   metadata_errors="ignore")


def _streams(container):
    video = [s for s in container.streams.video if not (s.disposition & _ATTACHED_PIC)]
    audio = list(container.streams.audio)
    return (video[0] if video else None), (audio[0] if audio else None)


def _container_duration(container, stream) -> float | None:
    if container.duration and container.duration > 0:
        return container.duration / 1_000_000
    if stream is not None and stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    return None


def probe(path: str, fmt: str, name: str) -> Detected:
    """Intake check: the right demuxer opens it, codecs are allowed, limits hold, the start decodes."""
    try:
        with _open(path, fmt) as container:
            video, audio = _streams(container)
            if video is None and audio is None:
                raise refuse(name, _("it contains no sound or pictures."), "damaged")
            codecs = {s.codec_context.name for s in (video, audio) if s is not None}
            allowed = WEBM_CODECS if fmt == "webm" else (AUDIO_CODECS | VIDEO_CODECS)
            if video is not None and video.codec_context.name not in VIDEO_CODECS | WEBM_CODECS:
                allowed = set()
            if not codecs <= allowed:
                raise refuse(name, _("it uses a codec the archive does not accept (%(codecs)s).")
                             % {"codecs": ", ".join(sorted(codecs))}, "type")
            width = height = None
            if video is not None:
                width, height = video.codec_context.width, video.codec_context.height
                if not width or not height or width * height > conf.get("MAX_VIDEO_PIXELS"):
                    raise refuse(name, _("its picture size (%(w)s × %(h)s) is not allowed.")
                                 % {"w": width, "h": height}, "too_many_pixels")
            duration = _container_duration(container, video or audio)
            if duration is not None and duration > conf.get("MAX_DURATION"):
                raise refuse(name, _("it lasts longer than the %(min)s minutes allowed.")
                             % {"min": int(conf.get("MAX_DURATION") // 60)}, "too_long")
            decoded = 0
            for packet in container.demux(*(s for s in (video, audio) if s is not None)):
                for _frame in packet.decode():
                    decoded += 1
                if decoded >= 24:
                    break
            if decoded == 0:
                raise refuse(name, _("no sound or picture could be decoded from it (the file is damaged)."),
                             "damaged")
    except av.FFmpegError as exc:
        raise refuse(name, _("it could not be read as audio or video (the file is damaged or not what its "
                             "header says)."), "damaged") from exc
    kind = "video" if video is not None else "audio"
    label = {"mp4": "mp4" if kind == "video" else "m4a"}.get(fmt, fmt)
    return Detected(kind, label, width, height, duration=duration, extra={"codecs": sorted(codecs)})


def _display_rotation(path: str, fmt: str) -> int:
    """Counter-clockwise degrees (0, 90, 180, 270) that turn the stored pictures upright.

    FFmpeg exports the display matrix (and an old-style `rotate` tag) as frame side data: PyAV's
    VideoFrame.rotation, counter-clockwise in [-180, 180]. Read from the first decoded frame.
    """
    with _open(path, fmt) as container:
        video, _audio = _streams(container)
        if video is None:
            return 0
        for frame in container.decode(video):
            return round((frame.rotation or 0) / 90) % 4 * 90
    return 0


_TURNS = {90: [("transpose", "cclock")], 180: [("hflip", None), ("vflip", None)], 270: [("transpose", "clock")]}


def _upright(stream, degrees: int) -> av.filter.Graph:
    """A filter graph turning frames of `stream` counter-clockwise by `degrees` (exact, no resampling)."""
    graph = av.filter.Graph()
    node = graph.add_buffer(template=stream)
    for name, args in _TURNS[degrees]:
        step = graph.add(name, args)
        node.link_to(step)
        node = step
    sink = graph.add("buffersink")
    node.link_to(sink)
    graph.configure()
    return graph


def _even(n: float) -> int:
    return max(2, int(n) // 2 * 2)


def _waveform(samples: array.array, out_path: str, width: int = 1200, height: int = 200) -> None:
    img = Image.new("RGB", (width, height), (246, 244, 240))
    draw = ImageDraw.Draw(img)
    n = len(samples)
    mid = height / 2
    if n:
        per = max(1, n // width)
        for x in range(width):
            chunk = samples[x * per:(x + 1) * per]
            if not chunk:
                break
            peak = max(abs(min(chunk)), abs(max(chunk))) / 32768
            draw.line([(x, mid - peak * mid), (x, mid + peak * mid)], fill=(60, 60, 70))
    img.save(out_path, "PNG")


def flush(out, resampler, aout, vout) -> None:
    """End of a rendition: drain the audio resampler and both encoders into `out`."""
    if aout is not None:
        for rf in resampler.resample(None):
            rf.pts = None  # the encoder numbers the samples
            out.mux(aout.encode(rf))
        out.mux(aout.encode(None))
    if vout is not None:
        out.mux(vout.encode(None))


def transcode(path: str, fmt: str, kind: str, out_dir: str) -> dict:
    """Decode everything, write the rendition and the poster; returns {files, duration, width, height}."""
    os.makedirs(out_dir, exist_ok=True)
    rendition = os.path.join(out_dir, "video.mp4" if kind == "video" else "audio.m4a")
    poster_path = os.path.join(out_dir, "poster.jpg" if kind == "video" else "poster.png")
    last_time = 0.0
    width = height = None
    poster = None
    wave = array.array("h")
    try:
        rotation = _display_rotation(path, fmt) if kind == "video" else 0
        with _open(path, fmt) as src, av.open(rendition, mode="w", format="mp4",
                                                options={"movflags": "+faststart"}) as out:
            video, audio = _streams(src)
            vout = aout = None
            target = 0.0
            if video is not None:
                cc = video.codec_context
                shown_w, shown_h = (cc.height, cc.width) if rotation in (90, 270) else (cc.width, cc.height)
                scale = min(1.0, MAX_VIDEO_EDGE / max(shown_w, shown_h))
                width, height = _even(shown_w * scale), _even(shown_h * scale)
                graph = _upright(video, rotation) if rotation else None
                rate = video.average_rate or video.guessed_rate or Fraction(25, 1)
                vout = out.add_stream("libx264", rate=rate)
                vout.width, vout.height, vout.pix_fmt = width, height, "yuv420p"
                vout.options = {"preset": "veryfast", "crf": "26"}
                duration = _container_duration(src, video) or 0
                target = min(1.0, duration * 0.1)
            resampler = None
            if audio is not None:
                layout = "mono" if audio.codec_context.channels == 1 else "stereo"
                aout = out.add_stream("aac", rate=48000)
                aout.layout = layout
                resampler = av.AudioResampler(format="fltp", layout=layout, rate=48000)
                wave_resampler = av.AudioResampler(format="s16", layout="mono", rate=8000)
            streams = [s for s in (video, audio) if s is not None]
            for packet in src.demux(*streams):
                for frame in packet.decode():
                    t = float(frame.time) if frame.time is not None else last_time
                    if packet.stream is video:
                        shown = frame
                        if graph is not None:
                            graph.push(frame)
                            shown = graph.pull()
                        if poster is None and t >= target:
                            poster = shown.to_image()
                        vf = shown.reformat(width=width, height=height, format="yuv420p")
                        vf.pts, vf.time_base = frame.pts, frame.time_base
                        out.mux(vout.encode(vf))
                        last_time = max(last_time, t + float(1 / (video.average_rate or 25)))
                    else:
                        for rf in resampler.resample(frame):
                            rf.pts = None
                            out.mux(aout.encode(rf))
                        if kind == "audio":
                            for wf in wave_resampler.resample(frame):
                                wave.frombytes(bytes(wf.planes[0])[: wf.samples * 2])
                        last_time = max(last_time, t + frame.samples / (frame.sample_rate or 48000))
                    if last_time > conf.get("MAX_DURATION"):
                        raise ProcessingError(_("the recording is longer than allowed"))
            flush(out, resampler, aout, vout)
    except av.FFmpegError as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(rendition)
        raise ProcessingError(_("the recording is damaged and could not be decoded to the end (%(err)s)")
                              % {"err": exc.__class__.__name__}) from exc
    if kind == "video":
        if poster is None:
            raise ProcessingError(_("no picture could be decoded from the video"))
        poster.convert("RGB").save(poster_path, "JPEG", quality=85)
    else:
        _waveform(wave, poster_path)
    files = {kind: os.path.basename(rendition), "poster": os.path.basename(poster_path)}
    return {"files": files, "duration": round(last_time, 3), "width": width, "height": height}

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
            codecs = _allowed_codecs(name, fmt, video, audio)
            width, height = _allowed_picture(name, video)
            duration = _container_duration(container, video or audio)
            if duration is not None and duration > conf.get("MAX_DURATION"):
                raise refuse(name, _("it lasts longer than the %(min)s minutes allowed.")
                             % {"min": int(conf.get("MAX_DURATION") // 60)}, "too_long")
            _start_decodes(name, container, video, audio)
    except av.FFmpegError as exc:
        raise refuse(name, _("it could not be read as audio or video (the file is damaged or not what its "
                             "header says)."), "damaged") from exc
    kind = "video" if video is not None else "audio"
    label = {"mp4": "mp4" if kind == "video" else "m4a"}.get(fmt, fmt)
    return Detected(kind, label, width, height, duration=duration, extra={"codecs": sorted(codecs)})


def _allowed_codecs(name: str, fmt: str, video, audio) -> set[str]:
    """The codecs of the streams, when there is a stream and every codec is welcome in this container."""
    if video is None and audio is None:
        raise refuse(name, _("it contains no sound or pictures."), "damaged")
    codecs = {s.codec_context.name for s in (video, audio) if s is not None}
    allowed = WEBM_CODECS if fmt == "webm" else (AUDIO_CODECS | VIDEO_CODECS)
    if video is not None and video.codec_context.name not in VIDEO_CODECS | WEBM_CODECS:
        allowed = set()
    if not codecs <= allowed:
        raise refuse(name, _("it uses a codec the archive does not accept (%(codecs)s).")
                     % {"codecs": ", ".join(sorted(codecs))}, "type")
    return codecs


def _allowed_picture(name: str, video) -> tuple[int | None, int | None]:
    if video is None:
        return None, None
    width, height = video.codec_context.width, video.codec_context.height
    if not width or not height or width * height > conf.get("MAX_VIDEO_PIXELS"):
        raise refuse(name, _("its picture size (%(w)s × %(h)s) is not allowed.")
                     % {"w": width, "h": height}, "too_many_pixels")
    return width, height


def _start_decodes(name: str, container, video, audio) -> None:
    """The first couple of dozen frames decode (the whole file is decoded later, by transcode)."""
    decoded = 0
    for packet in container.demux(*(s for s in (video, audio) if s is not None)):
        for _frame in packet.decode():
            decoded += 1
        if decoded >= 24:
            break
    if decoded == 0:
        raise refuse(name, _("no sound or picture could be decoded from it (the file is damaged)."), "damaged")


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


def add_video_encoder(out, rate: Fraction, width: int, height: int):
    """An H.264 stream in `out` for web playback."""
    vout = out.add_stream("libx264", rate=rate)
    vout.width, vout.height, vout.pix_fmt = width, height, "yuv420p"
    vout.options = {"preset": "veryfast", "crf": "26"}
    return vout


def add_audio_encoder(out, audio):
    """An AAC stream in `out` for the source stream `audio`, and the resampler that feeds it."""
    layout = "mono" if audio.codec_context.channels == 1 else "stereo"
    aout = out.add_stream("aac", rate=48000)
    aout.layout = layout
    return aout, av.AudioResampler(format="fltp", layout=layout, rate=48000)


def encode_audio(out, aout, resampler, frame) -> None:
    """One decoded audio frame (None: the end) through the resampler into `out`."""
    for rf in resampler.resample(frame):
        rf.pts = None  # the encoder numbers the samples
        out.mux(aout.encode(rf))


def flush(out, resampler, aout, vout) -> None:
    """End of a rendition: drain the audio resampler and both encoders into `out`."""
    if aout is not None:
        encode_audio(out, aout, resampler, None)
        out.mux(aout.encode(None))
    if vout is not None:
        out.mux(vout.encode(None))


class _Transcoder:
    """One rendition being written: encoders for the source's streams, and what the frames have
    told so far (how long it lasts, the poster frame, the waveform of a recording)."""

    def __init__(self, src, out, kind: str, rotation: int):
        self.out, self.kind = out, kind
        self.video, self.audio = _streams(src)
        self.vout = self.aout = self.resampler = self.graph = None
        self.width = self.height = None
        self.target = 0.0  # the poster is the first frame from here on (seconds)
        self.last_time = 0.0
        self.poster = None
        self.wave = array.array("h")
        if self.video is not None:
            self._add_video(src, rotation)
        if self.audio is not None:
            self.aout, self.resampler = add_audio_encoder(out, self.audio)
            self.wave_resampler = av.AudioResampler(format="s16", layout="mono", rate=8000)

    def _add_video(self, src, rotation: int) -> None:
        video = self.video
        cc = video.codec_context
        shown_w, shown_h = (cc.height, cc.width) if rotation in (90, 270) else (cc.width, cc.height)
        scale = min(1.0, MAX_VIDEO_EDGE / max(shown_w, shown_h))
        self.width, self.height = _even(shown_w * scale), _even(shown_h * scale)
        self.graph = _upright(video, rotation) if rotation else None
        rate = video.average_rate or video.guessed_rate or Fraction(25, 1)
        self.vout = add_video_encoder(self.out, rate, self.width, self.height)
        self.target = min(1.0, (_container_duration(src, video) or 0) * 0.1)

    def run(self, src) -> None:
        """Decode every packet into the rendition, then drain the encoders."""
        limit = conf.get("MAX_DURATION")
        for packet in src.demux(*(s for s in (self.video, self.audio) if s is not None)):
            for frame in packet.decode():
                t = float(frame.time) if frame.time is not None else self.last_time
                if packet.stream is self.video:
                    self._video_frame(frame, t)
                else:
                    self._audio_frame(frame, t)
                if self.last_time > limit:
                    raise ProcessingError(_("the recording is longer than allowed"))
        flush(self.out, self.resampler, self.aout, self.vout)

    def _video_frame(self, frame, t: float) -> None:
        shown = frame
        if self.graph is not None:
            self.graph.push(frame)
            shown = self.graph.pull()
        if self.poster is None and t >= self.target:
            self.poster = shown.to_image()
        vf = shown.reformat(width=self.width, height=self.height, format="yuv420p")
        vf.pts, vf.time_base = frame.pts, frame.time_base
        self.out.mux(self.vout.encode(vf))
        self.last_time = max(self.last_time, t + float(1 / (self.video.average_rate or 25)))

    def _audio_frame(self, frame, t: float) -> None:
        encode_audio(self.out, self.aout, self.resampler, frame)
        if self.kind == "audio":
            for wf in self.wave_resampler.resample(frame):
                self.wave.frombytes(bytes(wf.planes[0])[: wf.samples * 2])
        self.last_time = max(self.last_time, t + frame.samples / (frame.sample_rate or 48000))

    def write_poster(self, path: str) -> None:
        """A video's chosen frame, or a recording's waveform."""
        if self.kind != "video":
            _waveform(self.wave, path)
            return
        if self.poster is None:
            raise ProcessingError(_("no picture could be decoded from the video"))
        self.poster.convert("RGB").save(path, "JPEG", quality=85)


def transcode(path: str, fmt: str, kind: str, out_dir: str) -> dict:
    """Decode everything, write the rendition and the poster; returns {files, duration, width, height}."""
    os.makedirs(out_dir, exist_ok=True)
    rendition = os.path.join(out_dir, "video.mp4" if kind == "video" else "audio.m4a")
    poster_path = os.path.join(out_dir, "poster.jpg" if kind == "video" else "poster.png")
    try:
        rotation = _display_rotation(path, fmt) if kind == "video" else 0
        with _open(path, fmt) as src, av.open(rendition, mode="w", format="mp4",
                                                options={"movflags": "+faststart"}) as out:
            transcoder = _Transcoder(src, out, kind, rotation)
            transcoder.run(src)
    except av.FFmpegError as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(rendition)
        raise ProcessingError(_("the recording is damaged and could not be decoded to the end (%(err)s)")
                              % {"err": exc.__class__.__name__}) from exc
    transcoder.write_poster(poster_path)
    files = {kind: os.path.basename(rendition), "poster": os.path.basename(poster_path)}
    return {"files": files, "duration": round(transcoder.last_time, 3), "width": transcoder.width,
            "height": transcoder.height}

"""Phone video stored sideways with a display matrix: the rendition and the poster come out upright
(and carry no display matrix, so no player turns them a second time)."""

import io
import os

import av
import pytest
from PIL import Image, ImageDraw

from media_pipeline import services
from media_pipeline.models import MediaAsset

pytestmark = pytest.mark.django_db

RED, BLUE = (255, 0, 0), (0, 0, 255)
W, H = 64, 48  # as stored: landscape


def rotated_video(container: str, degrees: int) -> bytes:
    """A clip whose stored pictures have a red band along their top edge, with a display matrix
    saying "turn by `degrees` counter-clockwise" (what phones write for portrait video; -90 is the
    usual one). Written by PyAV 18's VideoStream.set_display_rotation, which sets the stream's
    DISPLAYMATRIX side data; the MP4/MOV muxer stores it in the track header (tkhd) as phones do.
    """
    buf = io.BytesIO()
    with av.open(buf, "w", format=container) as out:
        stream = out.add_stream("libx264", rate=12)
        stream.width, stream.height, stream.pix_fmt = W, H, "yuv420p"
        stream.set_display_rotation(degrees)
        for i in range(8):
            img = Image.new("RGB", (W, H), BLUE)
            ImageDraw.Draw(img).rectangle([0, 0, W - 1, 11], fill=RED)
            frame = av.VideoFrame.from_image(img).reformat(format="yuv420p")
            frame.pts = i
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return buf.getvalue()


def band_side(img: Image.Image) -> str:
    """Which edge of the picture the red band is on."""
    img = img.convert("RGB")
    w, h = img.size
    probes = {"top": (w // 2, 2), "bottom": (w // 2, h - 3), "left": (2, h // 2), "right": (w - 3, h // 2)}
    red = [side for side, xy in probes.items() if img.getpixel(xy)[0] > 200 and img.getpixel(xy)[2] < 60]
    assert len(red) == 1, (img.size, {side: img.getpixel(xy) for side, xy in probes.items()})
    return red[0]


def public_file(media_storage, url: str) -> str:
    return os.path.join(media_storage["public"], url.split("/media/")[1])


@pytest.mark.parametrize("container,degrees,side,size", [
    ("mp4", -90, "right", (H, W)),   # portrait, phone held upright: turned clockwise
    ("mov", -90, "right", (H, W)),
    ("mp4", 90, "left", (H, W)),
    ("mp4", 180, "bottom", (W, H)),  # upside down
    ("mp4", 0, "top", (W, H)),       # no rotation: unchanged
])
def test_rendition_and_poster_are_upright(container, degrees, side, size, ingest, media_storage, tmp_path):
    data = rotated_video(container, degrees)
    source = tmp_path / f"in.{container}"
    source.write_bytes(data)
    with av.open(str(source)) as c:  # the upload really carries the matrix
        assert next(c.decode(video=0)).rotation % 360 == degrees % 360

    asset = ingest(data, f"phone.{container}")
    services.process(asset)
    assert asset.status == MediaAsset.Status.READY
    assert (asset.width, asset.height) == size
    services.publish(asset)
    urls = services.public_urls(asset)
    with av.open(public_file(media_storage, urls["video"])) as c:
        frames = list(c.decode(video=0))
    assert (frames[0].width, frames[0].height) == size
    assert all(f.rotation == 0 for f in frames)  # upright pixels, nothing left for a player to turn
    assert band_side(frames[0].to_image()) == side and band_side(frames[-1].to_image()) == side
    with Image.open(public_file(media_storage, urls["poster"])) as poster:
        assert poster.size == size and band_side(poster) == side

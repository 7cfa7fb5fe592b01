"""Browser tests (Playwright, Debian's Chromium, the real CSP): redaction drawn on a processed
photograph with a pointer and with the keyboard only, seen blurred in the public derivative and
tiles; three submissions approved at once with the queue's shortcuts; axe on the queue, review,
redaction and audit pages (with screenshots of each)."""

import io
import os
import re
import shutil

import pytest
import pyvips
from django.core.files.storage import storages
from django.test import Client
from PIL import Image

from archive import audit
from archive.models import AuditEvent, Item, ItemMedia
from media_pipeline import services as pipeline
from tests.browser.conftest import AXE, axe_violations
from tests.curator.test_browser import tab_to
from tests.curator.test_redaction import noisy_jpeg, own_storage, public_tree  # noqa: F401 (fixture)
from tests.factories import ItemFactory
from tests.media_pipeline import makers

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

W, H = 960, 640
SHOTS = os.path.join(os.path.dirname(AXE), "..", "..", "artifacts", "screenshots")


def _context(chromium, live_server, user, **options):
    client = Client()
    client.force_login(user)
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, **options)
    context.set_default_timeout(20_000)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context


@pytest.fixture
def as_moderator(chromium, live_server, moderator):
    context = _context(chromium, live_server, moderator)
    yield context.new_page()
    context.close()


def published_photo(picture: bytes | None = None):
    asset = pipeline.intake(io.BytesIO(picture or noisy_jpeg(W, H)), "street.jpg")
    pipeline.process(asset)
    pipeline.publish(asset, tiles=True)
    asset.refresh_from_db()
    item = ItemFactory(kind=Item.Kind.PHOTOGRAPH, title={"en": "A synthetic street corner"})
    return item, ItemMedia.objects.create(item=item, asset=asset, role="photo"), asset


def snapshot(asset, tmp_path) -> dict[str, str]:
    out = {}
    for rel, path in public_tree(asset).items():
        copy = tmp_path / "before" / rel
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
        out[rel] = str(copy)
    return out


def _part(rel, img, box, full):
    """`box` (master pixels) in this file's pixels (a derivative or an IIIF tile), or None."""
    x, y, w, h = box
    m = re.match(r"iiif/([^/]+)/([^/]+)/0/default\.jpg$", rel)
    rx, ry, rw, rh = (int(v) for v in m.group(1).split(",")) if m and m.group(1) != "full" else (0, 0, *full)
    ix0, iy0, ix1, iy1 = max(x, rx), max(y, ry), min(x + w, rx + rw), min(y + h, ry + rh)
    sx, sy = img.width / rw, img.height / rh
    px0, py0, px1, py1 = int((ix0 - rx) * sx) + 3, int((iy0 - ry) * sy) + 3, int((ix1 - rx) * sx) - 3, int((iy1 - ry) * sy) - 3
    return (px0, py0, px1 - px0, py1 - py0) if px1 - px0 >= 4 and py1 - py0 >= 4 else None


def assert_blurred_only_there(asset, before: dict[str, str], boxes) -> None:
    """Decode every public file: inside each box the texture collapses; a patch far from every box is
    as it was (same noise, so the same deviation)."""
    after = public_tree(asset)
    assert set(after) == set(before)
    inside = outside = 0
    for rel, path in after.items():
        if rel.endswith("thumb-blurred.jpg"):
            continue
        new, old = pyvips.Image.new_from_file(path), pyvips.Image.new_from_file(before[rel])
        for box in boxes:
            part = _part(rel, new, box, (W, H))
            if part:
                assert new.crop(*part).deviate() < old.crop(*part).deviate() * 0.35, (rel, box)
                inside += 1
        if new.width >= 200 and "iiif/full" in rel or rel.endswith("web.jpg"):
            corner = (int(new.width * 0.02), int(new.height * 0.85), int(new.width * 0.1), int(new.height * 0.1))
            assert abs(new.crop(*corner).deviate() - old.crop(*corner).deviate()) < 3, rel
            outside += 1
    assert inside >= 6 and outside >= 1
    # Tiles were part of it.
    assert any(rel.startswith("iiif/") and not rel.startswith("iiif/full") for rel in after)


def test_draw_a_box_with_the_pointer(as_moderator, tmp_path):
    page = as_moderator
    item, media, asset = published_photo()
    before = snapshot(asset, tmp_path)
    page.goto(f"/en/curator/items/{item.pk}/redact")
    img = page.locator(".cw-editor img")
    page.wait_for_function("() => document.querySelector('.cw-editor img').naturalWidth > 0")
    # The whole picture in the viewport (under the workspace's header): a pointer outside it reaches nothing.
    page.set_viewport_size({"width": 1280, "height": 1400})
    r = img.bounding_box()
    page.mouse.move(r["x"] + r["width"] * 0.55, r["y"] + r["height"] * 0.2)
    page.mouse.down()
    page.mouse.move(r["x"] + r["width"] * 0.7, r["y"] + r["height"] * 0.4, steps=5)
    page.mouse.move(r["x"] + r["width"] * 0.85, r["y"] + r["height"] * 0.6, steps=5)
    page.mouse.up()
    box = page.locator(".cw-box")
    assert box.count() == 1
    # The preview shows the blur the public will see.
    assert "blur" in page.evaluate("getComputedStyle(document.querySelector('.cw-box')).backdropFilter")
    # Drag the box by its middle 5 % to the left: it moves, keeping its size.
    b = box.bounding_box()
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] / 2 - r["width"] * 0.05, b["y"] + b["height"] / 2, steps=5)
    page.mouse.up()
    drawn = submit_one_box(page, asset)
    expected = [0.5 * W, 0.2 * H, 0.3 * W, 0.4 * H]
    assert all(abs(a - e) <= 6 for a, e in zip(drawn, expected, strict=True)), drawn
    assert asset.is_published
    assert_blurred_only_there(asset, before, [drawn])


def test_regions_with_the_keyboard_only(as_moderator, tmp_path):
    page = as_moderator
    item, media, asset = published_photo()
    before = snapshot(asset, tmp_path)
    page.goto(f"/en/curator/items/{item.pk}/redact")
    step = round(max(W, H) / 100)
    # First region: added, moved right by three steps and made taller by two.
    tab_to(page, "button.cw-add-region")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.classList.contains('cw-box')")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    for _ in range(2):
        page.keyboard.press("Shift+ArrowDown")
    # Second region: added, moved to the top-left corner.
    tab_to(page, "button.cw-add-region")
    page.keyboard.press("Enter")
    for _ in range(60):
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowLeft")
    status = page.locator(".cw-region-status").inner_text()
    assert status.startswith("Region 1:") and "Region 2: 0, 0," in status
    tab_to(page, "input[name=note]")
    page.keyboard.type("House numbers (synthetic).")
    tab_to(page, "button[type=submit]", "Apply the redaction")
    page.keyboard.press("Enter")
    page.wait_for_selector(".cw-messages", timeout=60_000)  # the public files are made again: slow on a loaded machine
    asset.refresh_from_db()
    boxes = [r["box"] for r in asset.redactions]
    first = [W * 3 // 8 + 3 * step, H * 3 // 8, W // 4, H // 4 + 2 * step]
    assert boxes == [first, [0, 0, W // 4, H // 4]]
    assert AuditEvent.objects.filter(action="media.redacted", item_id_ref=item.pk).count() == 2
    assert_blurred_only_there(asset, before, boxes)


def test_bulk_approve_three_with_the_keyboard(chromium, live_server, curator):
    items = [ItemFactory(status=Item.Status.SUBMITTED, published_at=None, title={"en": f"Synthetic story {n}"},
                         consent={"scopes": ["web", "search"]}) for n in range(4)]
    context = _context(chromium, live_server, curator)
    page = context.new_page()
    page.goto("/en/curator/queue/")
    # j moves to a row, x selects it; the fourth is left alone.
    for _ in range(3):
        page.keyboard.press("j")
        page.keyboard.press("x")
    assert page.locator("#bulk-count").inner_text() == "3"
    # Shortcuts never fire while typing: "x" in the reason field is a letter.
    page.keyboard.press("r")
    assert page.evaluate("document.activeElement.id") == "id_reason" and page.input_value("#id_action") == "reject"
    page.keyboard.type("x")
    assert page.locator("#bulk-count").inner_text() == "3" and page.input_value("#id_reason") == "x"
    page.fill("#id_reason", "")
    page.keyboard.press("Escape")  # leaves the field, back to the list
    assert page.evaluate("document.activeElement.classList.contains('cw-queue-item')")
    page.keyboard.press("a")
    assert not page.locator("#id_reason").is_visible()
    assert page.evaluate("document.activeElement.id") == "bulk-apply"
    page.keyboard.press("Enter")
    page.wait_for_selector(".cw-messages", timeout=60_000)  # the public files are made again: slow on a loaded machine
    assert "3 submissions done: Approve (publish, or vetted research only)." in page.locator(".cw-messages").inner_text()
    statuses = [Item.objects.get(pk=i.pk).status for i in items]
    assert statuses == ["published"] * 3 + ["submitted"]
    context.close()


def _save(page, name):
    os.makedirs(SHOTS, exist_ok=True)
    png = page.screenshot(full_page=True)
    img = Image.open(io.BytesIO(png)).convert("RGB")
    img = img.crop((0, 0, img.width, min(img.height, 1400)))
    img.quantize(colors=128).save(os.path.join(SHOTS, f"{name}.png"), optimize=True)


def _scene() -> bytes:
    from media_pipeline.demo_drawings import draw

    buffer = io.BytesIO()
    draw("station", 3, W, H).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def submit_one_box(page, asset) -> list[float]:
    """Give the reason, submit the drawn box (a click: a tap that a loaded machine starves is taken
    for a long press and submits nothing) and return the one redaction box the asset now has."""
    page.fill("input[name=note]", "A bystander's face (synthetic).")
    page.locator("form.cw-redact-form button[type=submit]").click()
    page.wait_for_selector(".cw-messages", timeout=60_000)  # the public files are made again: slow on a loaded machine
    asset.refresh_from_db()
    (drawn,) = [r["box"] for r in asset.redactions]
    return drawn


def _speech(seconds=6.0, rate=16000) -> bytes:
    """A tone that rises and falls like phrases of speech (synthetic), for a waveform worth seeing."""
    import array
    import math

    def level(t):
        return max(0.0, math.sin(math.pi * t / 1.5)) * (0.4 + 0.6 * abs(math.sin(7.3 * t)))

    samples = array.array("h", (int(math.sin(2 * math.pi * 220 * i / rate) * 26000 * level(i / rate))
                                for i in range(int(seconds * rate))))
    return makers.wav(rate=rate, samples=samples.tobytes())


def test_no_serious_accessibility_violations_on_the_review_pages(chromium, live_server, administrator):
    item, media, asset = published_photo(_scene())
    Item.objects.filter(pk=item.pk).update(status=Item.Status.SUBMITTED, content_warnings=["injury"])
    ItemFactory(status=Item.Status.SUBMITTED, published_at=None, title={"en": "A synthetic kept ticket"})
    recording = pipeline.intake(io.BytesIO(_speech()), "testimony.wav")
    pipeline.process(recording)
    heard = ItemFactory(kind=Item.Kind.TESTIMONY, status=Item.Status.SUBMITTED, title={"en": "A synthetic testimony"})
    ItemMedia.objects.create(item=heard, asset=recording, role="recording")
    audit.record("item.described", actor=administrator, item=item, target="title")
    gone = ItemFactory(title={"en": "Synthetic erased title"})
    audit.record("contribution.erased", actor_label="contributor", item=gone, target="=tombstone")
    Item.objects.filter(pk=gone.pk).update(status=Item.Status.ERASED, title={})
    context = _context(chromium, live_server, administrator, bypass_csp=True, locale="en-GB")
    page = context.new_page()
    failures = {}
    for name, path in (("queue", "/en/curator/queue/"), ("review", f"/en/curator/items/{item.pk}/"),
                       ("redact", f"/en/curator/items/{item.pk}/redact"),
                       ("redact-recording", f"/en/curator/items/{heard.pk}/redact"),
                       ("audit", "/en/curator/audit/"), ("queue-ar", "/ar/curator/queue/")):
        assert page.goto(path).status == 200, path
        if name == "redact":
            page.wait_for_function("() => document.querySelector('.cw-editor img').naturalWidth > 0")
            page.click("button.cw-add-region")
            page.keyboard.press("Tab")  # the box keeps its outline only while focused: show the preview plainly
        if name == "redact-recording":
            page.wait_for_selector(".cw-timeline[data-ready=true]")
            page.fill("input[name=start]", "3.2")
            page.fill("input[name=end]", "4.1")
        violations = axe_violations(page)
        if violations:
            failures[name] = violations
        _save(page, f"curator-{name}")
    context.close()
    assert not failures, failures
    assert storages["public"]  # the photograph's files are where the tests above read them


def test_a_time_range_drawn_on_the_waveform_and_words_picked(as_moderator):
    from tests.curator.test_redaction import wav_tone

    page = as_moderator
    recording = pipeline.intake(io.BytesIO(wav_tone(seconds=4.0)), "testimony.wav")
    pipeline.process(recording)
    transcript = pipeline.intake(io.BytesIO(b"WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nI ran to Sam Placeholder's house.\n"),
                                 "transcript.vtt")
    pipeline.process(transcript)
    item = ItemFactory(kind=Item.Kind.TESTIMONY, status=Item.Status.SUBMITTED, title={"en": "A synthetic testimony"})
    heard = ItemMedia.objects.create(item=item, asset=recording, role="recording")
    words = ItemMedia.objects.create(item=item, asset=transcript, role="transcript")
    page.goto(f"/en/curator/items/{item.pk}/redact")
    timeline = page.locator(".cw-timeline")
    page.wait_for_selector(".cw-timeline[data-ready=true]")
    r = timeline.bounding_box()
    page.mouse.move(r["x"] + r["width"] * 0.25, r["y"] + r["height"] / 2)
    page.mouse.down()
    page.mouse.move(r["x"] + r["width"] * 0.5, r["y"] + r["height"] / 2, steps=8)
    page.mouse.up()
    form = page.locator(f"form:has(input[name=media][value='{heard.pk}'])")
    assert form.locator("input[name=start]").input_value() == "1.0"
    assert form.locator("input[name=end]").input_value() == "2.0"
    assert page.locator(".cw-range").is_visible()
    form.locator("input[name=note]").fill("A name is spoken (synthetic).")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".cw-messages", timeout=60_000)  # the public files are made again: slow on a loaded machine
    recording.refresh_from_db()
    assert [r["range"] for r in recording.redactions] == [[1.0, 2.0]]

    # Words: Tab to a word and press Space; it goes to the field, pressed.
    form = page.locator(f"form:has(input[name=media][value='{words.pk}'])")
    word = form.locator(".cw-word", has_text="Placeholder")
    word.focus()
    page.keyboard.press("Space")
    assert word.get_attribute("aria-pressed") == "true"
    assert form.locator("textarea[name=words]").input_value() == "Placeholder's"
    form.locator("input[name=note]").fill("A third party's name (synthetic).")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".cw-messages", timeout=60_000)  # the public files are made again: slow on a loaded machine
    transcript.refresh_from_db()
    assert [r["words"] for r in transcript.redactions if r["type"] == "words"] == [["Placeholder's"]]
    assert "Placeholder" not in " ".join(c["text"] for c in transcript.cues)

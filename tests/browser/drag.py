"""An HTML5 drag with the mouse, made again when the page never took it.

Playwright decides whether a mouse move started an HTML5 drag by racing a zero-delay timer in the
page against Chromium's `dragstart`; on a loaded machine the timer can win, and Playwright then
sends plain moves while Chromium holds the drag it intercepted, so the page sees no drop at all
(a CI run failed so). Each attempt is a whole real drag; a page that never takes one fails.
"""

from __future__ import annotations

from collections.abc import Callable


def centre(box: dict) -> tuple[float, float]:
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def polled(page, expression: str, text: str, seconds: float) -> bool:
    """Whether `expression` (evaluated in the page) comes to contain `text` within `seconds`.
    Polled from here: after an HTML5 drag, Chromium headless may not run the animation frames
    that wait_for_function relies on."""
    for _ in range(int(seconds * 10)):
        if text in page.evaluate(expression):
            return True
        page.wait_for_timeout(100)
    return False


def html5_drag(page, path: Callable[[], list[tuple[float, float]]], took: Callable[[], bool], attempts: int = 3):
    """Press at the first point of `path()`, move through the others, release; until `took()`."""
    for _ in range(attempts):
        start, *points = path()
        page.mouse.move(*start)
        page.mouse.down()
        for point in points:
            page.mouse.move(*point, steps=5)
        page.mouse.up()
        if took():
            return
    raise AssertionError(f"the page took none of {attempts} drags")

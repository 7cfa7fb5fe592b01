"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

One browser per test session (launching Chromium is the slow part); a fresh context per test.
Never downloads a browser: /usr/bin/chromium is installed by .ci/run from Debian.
"""

import os
from pathlib import Path

import pytest

# The live server runs in a thread while Playwright's sync API holds an event loop in this one.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


@pytest.fixture
def browser(chromium):
    """The session's one Chromium (tests/conftest.py)."""
    return chromium


@pytest.fixture
def web(browser, live_server):
    """A fresh page (own cookies and session) on the live server; axe may be injected despite CSP."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900},
                                  bypass_csp=True, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (from npm) on the page; return the violations of the given impacts."""
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: run `npm install` (make run / make test do).")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [v for v in result if v["impact"] in impacts]


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

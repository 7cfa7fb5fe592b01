import os

import pytest

# The whole stack (tests/stack: nginx, two web processes, two workers) runs once, by `make stack-test`
# (which `make test` calls), not inside every pytest run of the suite.
collect_ignore = [] if os.environ.get("MEMORIES_STACK_TEST") else ["stack"]


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--autoplay-policy=user-gesture-required",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright's sync API: one per test process.

    Playwright's sync API cannot be started twice while one instance is open in the same process,
    so every browser test shares this fixture. Never downloads a browser (.ci/run installs
    Debian's chromium).
    """
    import os
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    # The live server runs in a thread while Playwright's sync API holds an event loop in this one.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (.ci/run does).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def fresh_storage(settings, tmp_path):
    """Private and public local storage in this test's own folders (xdist-safe, and countable).

    Tests that assert "nothing in public storage" use it: the process-wide folders are shared by
    every test that ran before in the same worker.
    """
    # public sits at site/media so that a plain HTTP server over site/ serves it at /media/.
    roots = {"private": tmp_path / "private", "public": tmp_path / "site" / "media"}
    for root in roots.values():
        root.mkdir(parents=True)
    fs = "django.core.files.storage.FileSystemStorage"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": fs, "OPTIONS": {"location": str(roots["private"]), "base_url": None}},
        "private": {"BACKEND": fs, "OPTIONS": {"location": str(roots["private"]), "base_url": None}},
        "public": {"BACKEND": fs, "OPTIONS": {"location": str(roots["public"]), "base_url": "/media/"}},
    }
    return roots

"""The Content Security Policy in a real browser (Debian's Chromium): every page type renders and
runs its scripts with no CSP violation, so the policy holds without breaking the site."""

import os

import pytest

from tests.factories import ExhibitionEntryFactory, ExhibitionFactory, ItemFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live server thread + Playwright's loop

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
    e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));
"""

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_run_under_the_policy_without_violations(chromium, live_server, settings):
    settings.SITE_URL = live_server.url
    exhibition = ExhibitionFactory(title={"en": "Objects that remember"})
    item = ItemFactory(title={"en": "A wristwatch, stopped"})
    ExhibitionEntryFactory(exhibition=exhibition, item=item)
    paths = [
        "/en/", "/ar/", "/en/exhibitions/", f"/en/exhibitions/{exhibition.slug}/", f"/en/items/{item.pk}/",
        "/en/search/?q=watch", "/en/contribute/", "/en/remembrance/", "/admin/login/",
        "/en/viewer/?collection=/iiif/collection/top", f"/en/viewer/?manifest=/iiif/item/{item.pk}/manifest",
        f"/ar/viewer/?collection=/iiif/collection/exhibition/{exhibition.slug}",  # Mirador 4, right to left
    ]
    context = chromium.new_context(base_url=live_server.url)  # no bypass_csp: the real policy applies
    context.add_init_script(WATCH)
    page = context.new_page()
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    problems = {}
    try:
        for path in paths:
            console.clear()
            response = page.goto(path, wait_until="networkidle")
            assert response.status < 400, f"{path}: {response.status}"
            assert "script-src" in response.headers["content-security-policy"]
            page.wait_for_timeout(300)  # let deferred scripts and viewers start
            found = page.evaluate("window.__csp") + console
            if found:
                problems[path] = found
    finally:
        context.close()
    assert not problems, problems

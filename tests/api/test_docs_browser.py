"""The API documentation page (/api/docs/): self-hosted Swagger UI in Debian's Chromium, under the
site's real Content Security Policy, lists the schema's operations."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live server thread + Playwright's loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
    e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));
"""


def test_the_api_docs_page_lists_the_operations_under_the_policy(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url)  # no bypass_csp
    context.set_default_timeout(30_000)
    context.add_init_script(WATCH)
    page = context.new_page()
    errors, requests = [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda r: requests.append(r.url))
    try:
        response = page.goto("/api/docs/", wait_until="networkidle")
        csp = response.headers["content-security-policy"]
        page.locator(".opblock-summary-path", has_text="/api/items/{id}/").first.wait_for()
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        # The item's links are in the documented answer (its example value, once the operation is open).
        page.locator(".opblock-summary", has_text="/api/items/{id}/").first.click()
        page.locator(".opblock-body .example").first.wait_for()
        body = page.locator(".opblock-body").first.inner_text()
        violations = page.evaluate("window.__csp")
    finally:
        context.close()
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert {"/api/items/", "/api/items/{id}/", "/api/search/", "/api/contributions/"} <= set(paths), paths
    assert all(f'"{key}"' in body for key in ("links", "pages", "manifest", "image_services", "exhibitions")), body
    assert violations == [] and errors == [], (violations, errors)
    assert all(url.startswith(live_server.url) for url in requests), requests  # nothing from elsewhere

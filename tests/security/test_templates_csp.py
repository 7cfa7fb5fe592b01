"""The CSP forbids inline scripts, so no template may rely on one.

Data for scripts goes in <script type="application/json"> (never executed); code comes from static
files; the rare exception carries nonce="{{ csp_nonce }}". Event-handler attributes (onclick=...)
and javascript: URLs would be blocked by the browser, so they are errors here too.
"""

import re
from pathlib import Path

from django.conf import settings

ROOTS = [Path(settings.BASE_DIR) / d for d in ("templates", "archive", "exhibitions", "media_pipeline")]
_SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)
_HANDLER = re.compile(r"<[a-z][^>]*\s(on[a-z]+)\s*=", re.I | re.S)
_JS_URL = re.compile(r"(?:href|src|action)\s*=\s*[\"']?\s*javascript:", re.I)
_DATA_TYPES = ("application/json", "application/ld+json")


def _templates():
    for root in ROOTS:
        yield from (p for p in root.rglob("*.html") if "node_modules" not in p.parts)


def test_no_inline_scripts_handlers_or_javascript_urls():
    problems = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for attrs in _SCRIPT.findall(text):
            if "src=" in attrs or "nonce=" in attrs or any(t in attrs for t in _DATA_TYPES):
                continue
            problems.append(f"{path}: inline <script{attrs}>")
        problems += [f"{path}: event handler {m}=" for m in _HANDLER.findall(text)]
        problems += [f"{path}: javascript: URL" for _ in _JS_URL.findall(text)]
    assert not problems, "\n".join(problems)

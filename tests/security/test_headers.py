"""Security headers on every page: CSP without unsafe-inline scripts, Permissions-Policy, and friends."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from memorial.security import build_csp


def _directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "status"), [("/en/", 200), ("/ar/", 200), ("/admin/login/", 200),
                                              ("/en/no-such-page/", 404), ("/api/no-such-endpoint/", 404)])
def test_csp_and_friends_on_pages(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    csp = _directives(response["Content-Security-Policy"])
    script = csp["script-src"]
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert "'self'" in script and any(s.startswith("'nonce-") for s in script)
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "camera=()" in response["Permissions-Policy"] and "microphone=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


@pytest.mark.django_db
def test_nonce_is_fresh_per_response_and_reaches_templates(client, rf):
    from django.template import engines

    first = client.get("/en/")["Content-Security-Policy"]
    second = client.get("/en/")["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", first).group(1)
    assert nonce not in second
    request = rf.get("/")
    request.csp_nonce = "abc123"
    html = engines["django"].from_string("<script nonce='{{ csp_nonce }}'></script>").render(request=request)
    assert "nonce='abc123'" in html


def test_iiif_and_public_media_may_be_embedded_elsewhere(client):
    # IIIF viewers of other institutions load manifests and tiles cross-origin.
    response = client.get("/iiif/does-not-exist.json")
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"


def test_cdn_origin_for_public_media_is_allowed(settings):
    settings.MEDIA_PUBLIC_URL = "https://media.example.org/public/"
    csp = _directives(build_csp("n"))
    for name in ("img-src", "media-src", "connect-src"):
        assert "https://media.example.org" in csp[name]
    assert "https://media.example.org" not in csp["script-src"]


def _production_env(**extra):
    env = {
        "DEBUG": "0",
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "a-long-random-production-key-for-the-header-test-0987654321-abcdef",
        "ALLOWED_HOSTS": "memories.example.org",
        "SITE_URL": "https://memories.example.org",
        "FIELD_ENCRYPTION_KEY": "mFvQ3d0dY1c9Ue4D0jbqKqC0mG4m2X8bR1v7Yp3l9sI=",
        "DJANGO_SETTINGS_MODULE": "memorial.settings",
        "MEMORIES_VAR_DIR": os.environ["MEMORIES_VAR_DIR"] + "/prod-headers",
    }
    env.update(extra)
    return env


PROBE = """
import django, json
django.setup()
from django.conf import settings
from django.test import Client
r = Client().get("/admin/login/", secure=True, HTTP_HOST="memories.example.org")
insecure = Client().get("/admin/login/", HTTP_HOST="memories.example.org")
csrf = r.cookies["csrftoken"]
print(json.dumps({
    "status": r.status_code, "hsts": r.get("Strict-Transport-Security"),
    "csp": r.get("Content-Security-Policy"),
    "csrf_secure": bool(csrf["secure"]), "csrf_samesite": csrf["samesite"],
    "session_secure": settings.SESSION_COOKIE_SECURE, "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "session_samesite": settings.SESSION_COOKIE_SAMESITE,
    "insecure_status": insecure.status_code, "insecure_location": insecure.get("Location"),
    "otp_required": settings.OTP_REQUIRED_FOR_STAFF,
}))
"""


def test_production_settings_send_hsts_secure_cookies_and_require_2fa():
    root = Path(settings.BASE_DIR)
    result = subprocess.run([sys.executable, "-c", PROBE], env=_production_env(), cwd=root,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["status"] == 200
    assert "max-age=31536000" in data["hsts"] and "includeSubDomains" in data["hsts"] and "preload" in data["hsts"]
    assert "'unsafe-inline'" not in _directives(data["csp"])["script-src"]
    assert data["csrf_secure"] and data["csrf_samesite"] == "Lax"
    assert data["session_secure"] and data["session_httponly"] and data["session_samesite"] == "Lax"
    # Plain HTTP is sent to HTTPS.
    assert data["insecure_status"] == 301 and data["insecure_location"].startswith("https://")
    assert data["otp_required"] is True

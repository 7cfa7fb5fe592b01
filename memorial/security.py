"""Security headers: Content Security Policy (with a per-request nonce), Permissions-Policy and friends.

Django's SecurityMiddleware already sets HSTS, nosniff, Referrer-Policy and
Cross-Origin-Opener-Policy from settings; this middleware adds what Django 5.2 lacks.

The policy allows scripts only from our own origin or carrying this response's nonce: never
'unsafe-inline'. Templates that need data for a script put it in
``<script type="application/json" id="...">{{ data|json_script... }}</script>`` (not executed, so
not governed by script-src) and load the code from a static file. A template that truly needs an
inline script writes ``<script nonce="{{ request.csp_nonce }}">``.

Cached pages (memorial/pagecache.py, a middleware inside this one) keep the nonce of the response
they were made from; on a hit it is replaced by this request's ``request.csp_nonce`` before the
header below is built from that same value, so body and header always agree.

The directives come from settings.CSP (a dict of directive -> list of sources). The origin public
media is served from (MEDIA_PUBLIC_URL, or the public storage's own URLs: S3_PUBLIC_DOMAIN, the S3
endpoint or bucket) is allowed for images, media and fetches by itself; other origins (a CDN in
front of something else) go in ``CSP_EXTRA_MEDIA_ORIGINS``.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

NONCE = "'nonce-{nonce}'"

DEFAULT_CSP: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'", NONCE],
    # Stylesheets from our origin or with the nonce; style="" attributes are allowed on their own
    # (style-src-attr) because they cannot run code and small layout attributes are common.
    "style-src": ["'self'", NONCE],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "media-src": ["'self'", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "manifest-src": ["'self'"],
    "worker-src": ["'self'", "blob:"],
}

# Powerful browser features the archive never uses; nobody (not even an injected frame) gets them.
DEFAULT_PERMISSIONS_POLICY: dict[str, list[str]] = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "interest-cohort": [],
    "browsing-topics": [],
    "fullscreen": ["self"],  # the deep-zoom viewer and video player may go full screen
}


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


@lru_cache(maxsize=8)
def _storage_origin(config_json: str) -> str | None:
    from django.core.files.storage import storages

    # The storage builds its URLs without a request to the bucket (querystring_auth is off for the
    # public one); the origin of any of them is the origin of all.
    try:
        return _origin(storages["public"].url("csp-origin-probe"))
    except Exception:  # a storage that cannot build a URL has no origin to allow
        return None


def public_media_origins() -> list[str]:
    """Origins public media and IIIF tiles are served from, other than our own."""
    public = settings.STORAGES.get("public", {})
    origins = [_origin(getattr(settings, "MEDIA_PUBLIC_URL", "")),
               _storage_origin(json.dumps(public, sort_keys=True, default=str))]
    return list(dict.fromkeys(o for o in origins if o))


def build_csp(nonce: str) -> str:
    """The Content-Security-Policy header value for one response."""
    directives = {k: list(v) for k, v in getattr(settings, "CSP", DEFAULT_CSP).items()}
    # Public media served from another origin (S3 bucket, CDN) must be allowed for images, media
    # and fetches of IIIF tiles/info.json by the viewer.
    extra = [*getattr(settings, "CSP_EXTRA_MEDIA_ORIGINS", []), *public_media_origins()]
    for name in ("img-src", "media-src", "connect-src"):
        if name in directives:
            directives[name] += [o for o in extra if o not in directives[name]]
    parts = []
    for name, sources in directives.items():
        sources = [s.replace("{nonce}", nonce) for s in sources]
        parts.append(" ".join([name, *sources]) if sources else name)
    if getattr(settings, "CSP_REPORT_URI", ""):
        parts.append(f"report-uri {settings.CSP_REPORT_URI}")
    return "; ".join(parts)


def build_permissions_policy() -> str:
    policy = getattr(settings, "PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY)
    return ", ".join(f"{feature}=({' '.join(allow)})" for feature, allow in policy.items())


class SecurityHeadersMiddleware:
    """Adds CSP (nonce-based), Permissions-Policy and Cross-Origin-Resource-Policy to every response.

    Put it right after django.middleware.security.SecurityMiddleware so that every later
    middleware and view can read ``request.csp_nonce``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.csp_nonce = secrets.token_urlsafe(18)
        response = self.get_response(request)
        header = "Content-Security-Policy-Report-Only" if getattr(settings, "CSP_REPORT_ONLY", False) \
            else "Content-Security-Policy"
        if header not in response:
            response[header] = build_csp(request.csp_nonce)
        response.setdefault("Permissions-Policy", build_permissions_policy())
        # IIIF documents, tiles and public media are meant to be embedded by other institutions'
        # viewers (CORS open); everything else stays on our site.
        cross_origin = request.path.startswith(tuple(getattr(settings, "CROSS_ORIGIN_RESOURCE_PREFIXES", ())))
        response.setdefault("Cross-Origin-Resource-Policy", "cross-origin" if cross_origin else "same-origin")
        response.setdefault("X-Content-Type-Options", "nosniff")
        return response


def csp_nonce(request: HttpRequest) -> dict[str, str]:
    """Template context processor: ``{{ csp_nonce }}`` for the rare inline <script nonce=...>."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}


class DatabaseBusyMiddleware:
    """A database that stays locked beyond its busy timeout answers 503 + Retry-After, not 500.

    On SQLite a long write (a bulk import, a migration) can hold the lock longer than the busy
    timeout; a visitor's request that must write then gets a short, translated "try again" page
    instead of an error page, and the site's monitoring sees 503s rather than crashes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.db import OperationalError

        if not isinstance(exception, OperationalError) or "locked" not in str(exception).lower():
            return None
        import logging

        from django.utils.translation import gettext

        from memorial.ratelimit import too_many_requests

        logging.getLogger(__name__).warning("Database busy beyond the timeout: %s %s", request.method,
                                            request.path)
        return too_many_requests(request, 5, gettext("The archive is busy saving other changes."),
                                 status=503, title=gettext("Busy for a moment"))


# --- OpenAPI: the error answers the hardening layer adds to every API operation ------------------

_ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong and what to do, in the request's language."},
        "retry_after": {"type": "integer", "description": "Seconds to wait (429 and 503 only)."},
    },
    "required": ["detail"],
}


def openapi_error_responses(result: dict, generator=None, request=None, public=None) -> dict:
    """drf-spectacular postprocessing hook: document the error statuses every operation can answer.

    Rate limits (429) and the database-busy page (503) come from middleware, authentication and
    permission refusals (401/403) and validation (400) from DRF, and a path with an id or token
    can always be 404. Operations keep whatever their views documented themselves.
    """
    from django.utils.translation import gettext as _

    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", _ERROR_SCHEMA)
    # DRF's validation errors: {"field": ["message", ...], "non_field_errors": [...]} or {"detail": ...}.
    schemas.setdefault("ValidationErrors", {"type": "object", "additionalProperties": True})
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    invalid = {"application/json": {"schema": {"$ref": "#/components/schemas/ValidationErrors"}}}
    descriptions = {
        "400": _("The request is not valid (the body says which field and why)."),
        "401": _("Authentication is needed."),
        "403": _("Not allowed (missing permission, CSRF token or two-factor verification)."),
        "404": _("Nothing here, or not public."),
        "405": _("Method not allowed."),
        "429": _("Too many requests: wait for Retry-After seconds."),
        "503": _("The archive is busy for a moment: retry after Retry-After seconds."),
    }
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            codes = ["401", "403", "405", "429", "503"]
            if "{" in path:
                codes.append("404")
            if method != "get" or operation.get("parameters"):
                codes.append("400")
            for code in codes:
                responses.setdefault(code, {"description": descriptions[code],
                                            "content": invalid if code == "400" else ref})
    return result

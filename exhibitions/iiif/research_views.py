"""IIIF Authorization Flow 2.0 endpoints for vetted research (documents: research.py).

Every answer is private and never stored (`Cache-Control: private, no-store`): access and consent
are read at each request, so a revocation, an expiry or a withdrawal holds at the next one. The
requester is the bearer of an access token (Authorization header) or, for cookie-bearing requests
(images, same-origin viewers), the signed-in session.
"""

from __future__ import annotations

import re
from functools import wraps

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.files.storage import storages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_http_methods

from archive.research import selectors, services
from exhibitions.iiif import http, research
from exhibitions.iiif.cache import serialise

# An origin as postMessage takes it: scheme, host, optional port, nothing else.
ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d{1,5})?$")
JSON_LD = 'application/ld+json;profile="http://iiif.io/api/auth/2/context.json"'


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ("Authorization", "Cookie"))
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Allow-Headers"] = "Authorization, Accept"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def endpoint(view):
    @require_http_methods(["GET", "HEAD", "OPTIONS"])
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "OPTIONS":
            return _private(HttpResponse(status=204))
        return _private(view(request, *args, **kwargs))

    return wrapper


def _json(data: dict, status: int = 200, content_type: str = http.PRESENTATION) -> HttpResponse:
    # The public documents' serialiser: no byte of a contributor's markup, even if read as HTML.
    return HttpResponse(serialise(data).body, status=status, content_type=content_type)


def _requester(request: HttpRequest):
    """The user behind this request: a bearer token's, else the session's (None for nobody)."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return services.user_for_token(header[7:].strip())
    return request.user if request.user.is_authenticated else None


def _content(item_id, media_id, kinds=("image", *research.RECORDINGS)):
    """(projection, media use) of a research image or recording still open to research, else (None, None)."""
    pub = selectors.research_projection(item_id)
    use = next((m for m in pub.media if m.pk == media_id and m.asset.kind in kinds), None) if pub else None
    return (pub, use) if use is not None else (None, None)


def _image(request: HttpRequest, item_id, media_id):
    return _content(item_id, media_id, kinds=("image",))


@endpoint
def manifest(request: HttpRequest, item_id) -> HttpResponse:
    pub = selectors.research_projection(item_id)
    if pub is None:
        return http.not_found()
    user = _requester(request)
    described = selectors.active_access(user) is not None
    if described:
        services.record_view(user, item_id, "IIIF manifest")
    return _json(research.build_manifest(pub, described=described))


@endpoint
def image_base(request: HttpRequest, item_id, media_id) -> HttpResponse:
    return redirect("iiif:research_info", item_id=item_id, media_id=media_id)


@endpoint
def info(request: HttpRequest, item_id, media_id) -> HttpResponse:
    _pub, use = _image(request, item_id, media_id)
    size = research.image_size(use) if use else None
    if size is None:
        return http.not_found()
    return _json(research.image_info(item_id, use, size),
                 content_type='application/ld+json;profile="http://iiif.io/api/image/3/context.json"')


@endpoint
def probe(request: HttpRequest, item_id, media_id) -> HttpResponse:
    """200 always (the specification's rule); the result's `status` says what the image would answer."""
    granted = selectors.active_access(_requester(request)) is not None and _content(item_id, media_id)[1] is not None
    return _json(research.probe_result(granted), content_type=JSON_LD)


@endpoint
def image(request: HttpRequest, item_id, media_id, size: str) -> HttpResponse:
    user = _requester(request)
    if selectors.active_access(user) is None:
        return _json({"error": _("Sign in with an approved research account.")}, status=401,
                     content_type="application/json")
    _pub, use = _image(request, item_id, media_id)
    dims = research.image_size(use) if use else None
    if dims is None:
        return http.not_found()
    if size not in ("max", f"{dims[0]},{dims[1]}", f"{dims[0]},"):
        return _json({"error": _("This image service is level 0: ask for size max.")}, status=400,
                     content_type="application/json")
    services.record_view(user, item_id, f"IIIF image {media_id}")
    key = use.asset.derivatives[research.IMAGE_DERIVATIVE]
    return FileResponse(storages["private"].open(key, "rb"), content_type="image/jpeg")


@endpoint
def recording(request: HttpRequest, item_id, media_id) -> HttpResponse:
    """A recording's rendition from private storage, whole (no byte ranges), for an approved researcher."""
    user = _requester(request)
    if selectors.active_access(user) is None:
        return _json({"error": _("Sign in with an approved research account.")}, status=401,
                     content_type="application/json")
    _pub, use = _content(item_id, media_id, kinds=tuple(research.RECORDINGS))
    if use is None:
        return http.not_found()
    derivative, _type, fmt = research.RECORDINGS[use.asset.kind]
    key = (use.asset.derivatives or {}).get(derivative)
    if not isinstance(key, str) or not storages["private"].exists(key):
        return http.not_found()
    services.record_view(user, item_id, f"IIIF recording {media_id}")
    return FileResponse(storages["private"].open(key, "rb"), content_type=fmt)


# --- The access, token and logout services --------------------------------------------------------

@require_http_methods(["GET"])
def access(request: HttpRequest) -> HttpResponse:
    """The access service (profile "active"): sign in, then a page that closes its own tab."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url=reverse("sign-in"))
    granted = selectors.active_access(request.user) is not None
    response = render(request, "exhibitions/research/access.html", {"granted": granted})
    return _private(response)


def _token_message(request: HttpRequest, origin: str, message_id: str) -> dict:
    context = research.AUTH_CONTEXT
    user = request.user if request.user.is_authenticated else None
    if not ORIGIN.match(origin) or not message_id or len(message_id) > 200:
        profile = "invalidOrigin" if message_id else "invalidRequest"
        return {"@context": context, "type": "AuthAccessTokenError2", "profile": profile, "messageId": message_id[:200]}
    if user is not None and selectors.active_access(user) is not None:
        token, expires_in = services.issue_token(user, origin)
        return {"@context": context, "type": "AuthAccessToken2", "accessToken": token,
                "expiresIn": expires_in, "messageId": message_id}
    latest = selectors.latest_application(user)
    # Approved but signed in with a password alone: the second factor is what is missing.
    missing = user is None or selectors.vetted(user) is not None
    profile = "missingAspect" if missing else (
        "expiredAspect" if latest is not None and latest.status == "approved" else "invalidAspect")
    return {"@context": context, "type": "AuthAccessTokenError2", "profile": profile, "messageId": message_id,
            "heading": research.ui(research.NO_ACCESS_HEADING), "note": research.ui(research.NO_ACCESS_NOTE)}


@xframe_options_exempt
@require_http_methods(["GET"])
def token(request: HttpRequest) -> HttpResponse:
    """The access token service: an HTML page, framed by the viewer, that posts the token to the
    viewer's origin (postMessage's targetOrigin is that origin, never "*" for a token)."""
    origin = request.GET.get("origin", "")
    message = _token_message(request, origin, request.GET.get("messageId", ""))
    target = origin if ORIGIN.match(origin) else "*"
    response = render(request, "exhibitions/research/token.html", {"message": message, "target": target})
    # Framable by the viewer's origin only; the one script is this response's nonced one.
    ancestors = origin if ORIGIN.match(origin) else "'none'"
    response["Content-Security-Policy"] = (
        f"default-src 'none'; script-src 'nonce-{request.csp_nonce}'; frame-ancestors {ancestors}; base-uri 'none'")
    response["Referrer-Policy"] = "no-referrer"
    return _private(response)


@require_http_methods(["GET"])
def logout_service(request: HttpRequest) -> HttpResponse:
    """The logout service: every token of the user stops working and the session ends."""
    if request.user.is_authenticated:
        services.drop_tokens(request.user)
        logout(request)
    return _private(render(request, "exhibitions/research/logout.html"))

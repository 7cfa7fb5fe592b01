"""Rate limits for the endpoints that attackers hammer: contribution, consent tokens and login.

One middleware matches request paths against the rules in ``settings.RATE_LIMITS`` so that no view
needs to know about it. Each rule counts requests per client IP and, when its pattern captures a
``token`` group, per token too (a leaked management link cannot be used to flood the archive, and
guessing tokens from one address stops quickly). Counters live in Django's cache (fixed windows;
use a shared cache such as Redis or the database cache when several processes serve the site).

A request over a limit gets 429 with a Retry-After header and a short translated message, as JSON
under /api/ and as a small HTML page elsewhere. Tokens are hashed before they become cache keys.

    RATE_LIMITS = {
        "contribution": {
            "pattern": [r"^/api/contributions/?$", r"^/[\\w-]+/contribute/"],
            "methods": ["POST"],
            "per_ip": "10/h",
        },
        ...
    }

"pattern" is one regular expression or a list of them (a named group "token" marks the token).
A rate is "<count>/<period>" with the period in s, m, h or d, optionally with a number: "5/10m".
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.html import escape
from django.utils.translation import get_language, get_language_bidi, gettext, ngettext

_PERIOD = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class RateLimitConfigError(ValueError):
    """settings.RATE_LIMITS has a rule that cannot be understood."""


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        match = _PERIOD.match(text or "")
        if not match:
            raise RateLimitConfigError(f"Rate {text!r} must look like '10/m', '100/h' or '5/10m'.")
        count, multiplier, unit = match.groups()
        return cls(int(count), int(multiplier or 1) * _UNITS[unit])


@dataclass(frozen=True)
class Rule:
    name: str
    patterns: tuple[re.Pattern, ...]
    methods: frozenset[str] | None
    per_ip: Rate | None
    per_token: Rate | None

    def match(self, path_info: str) -> re.Match | None:
        for pattern in self.patterns:
            found = pattern.search(path_info)
            if found:
                return found
        return None


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


@lru_cache(maxsize=4)
def _compile(config_json: str) -> tuple[Rule, ...]:
    rules = []
    for name, cfg in json.loads(config_json).items():
        methods = cfg.get("methods")
        rules.append(Rule(
            name=name,
            patterns=tuple(re.compile(p) for p in _as_list(cfg["pattern"])),
            methods=frozenset(m.upper() for m in methods) if methods else None,
            per_ip=Rate.parse(cfg["per_ip"]) if cfg.get("per_ip") else None,
            per_token=Rate.parse(cfg["per_token"]) if cfg.get("per_token") else None,
        ))
    return tuple(rules)


def rules() -> tuple[Rule, ...]:
    # Compiled once per distinct configuration (tests override the setting).
    return _compile(json.dumps(getattr(settings, "RATE_LIMITS", {}), sort_keys=True))


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind N trusted proxies, the Nth address from the right of X-Forwarded-For.

    RATE_LIMIT_TRUSTED_PROXIES = 0 (the default) ignores X-Forwarded-For entirely, since a client
    can write anything there.
    """
    proxies = int(getattr(settings, "RATE_LIMIT_TRUSTED_PROXIES", 0))
    if proxies > 0:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def hit(key: str, rate: Rate, now: float | None = None) -> int:
    """Count one request against `key` in the current window; return seconds to wait (0 if allowed)."""
    cache = caches[getattr(settings, "RATE_LIMIT_CACHE", "default")]
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    cache_key = f"rl:{key}:{rate.seconds}:{window}"
    # add() is atomic on every backend; incr() is atomic on the shared ones.
    if cache.add(cache_key, 1, timeout=rate.seconds + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.add(cache_key, 1, timeout=rate.seconds + 1)
            count = 1
    if count > rate.count:
        return max(1, int((window + 1) * rate.seconds - now))
    return 0


def check(request: HttpRequest) -> tuple[Rule, int] | None:
    """The first rule this request exceeds, with the seconds to wait; None when it may go on."""
    if not getattr(settings, "RATE_LIMIT_ENABLED", True):
        return None
    for rule in rules():
        if rule.methods is not None and request.method not in rule.methods:
            continue
        match = rule.match(request.path_info)
        if not match:
            continue
        waits = []
        if rule.per_ip:
            waits.append(hit(f"{rule.name}:ip:{_digest(client_ip(request))}", rule.per_ip))
        token = match.groupdict().get("token")
        if rule.per_token and token:
            waits.append(hit(f"{rule.name}:tok:{_digest(token)}", rule.per_token))
        wait = max(waits, default=0)
        if wait:
            return rule, wait
    return None


def _wait_text(seconds: int) -> str:
    if seconds < 120:
        return ngettext("Please try again in %(n)d second.", "Please try again in %(n)d seconds.", seconds) % {
            "n": seconds}
    minutes = (seconds + 59) // 60
    return ngettext("Please try again in %(n)d minute.", "Please try again in %(n)d minutes.", minutes) % {
        "n": minutes}


def too_many_requests(request: HttpRequest, retry_after: int, message: str | None = None, *,
                      status: int = 429, title: str | None = None) -> HttpResponse:
    """The 429 response: JSON for the API, a small page for people. Shared with the login lockout
    and the database-busy 503 (memorial.security)."""
    title = title or gettext("Too many requests")
    detail = message or gettext("You have sent too many requests in a short time.")
    detail = f"{detail} {_wait_text(retry_after)}"
    wants_json = request.path_info.startswith("/api/") or "application/json" in request.headers.get("Accept", "")
    if wants_json:
        response = HttpResponse(
            json.dumps({"detail": detail, "retry_after": retry_after}),
            status=status, content_type="application/json",
        )
    else:
        lang = escape(get_language() or settings.LANGUAGE_CODE)
        direction = "rtl" if get_language_bidi() else "ltr"
        body = (
            f'<!doctype html><html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title>"
            f'<link rel="stylesheet" href="{escape(settings.STATIC_URL)}css/site.css"></head>'
            f'<body><main id="main" class="error-page"><h1>{escape(title)}</h1>'
            f"<p>{escape(detail)}</p></main></body></html>"
        )
        response = HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class RateLimitMiddleware:
    """Place after LocaleMiddleware (so the 429 speaks the visitor's language) and before the views."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        exceeded = check(request)
        if exceeded:
            _rule, wait = exceeded
            return too_many_requests(request, wait)
        return self.get_response(request)

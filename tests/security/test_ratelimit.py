"""Rate limits on contribution, consent-token and login endpoints: per address and per token, 429."""

import pytest
from django.core.cache import caches

from memorial.ratelimit import Rate, RateLimitConfigError

LIMITS = {
    "contribution": {"pattern": [r"^/api/contributions/?$", r"^/[\w-]+/contribute/review/"], "methods": ["POST"],
                     "per_ip": "3/h"},
    "contribution_steps": {"pattern": r"^/[\w-]+/contribute/", "methods": ["POST"], "per_ip": "6/h"},
    "consent_token": {"pattern": [r"^/api/consent/(?P<token>[^/]+)/", r"^/[\w-]+/(?:manage|receipt)/(?P<token>[^/]+)/"],
                      "per_ip": "5/10m", "per_token": "3/10m"},
    "login": {"pattern": r"^/admin/login/|^/[\w-]+/curator/login/|^/account/two-factor/|^/api/auth/",
              "methods": ["POST"], "per_ip": "4/10m"},
}
TOKEN = "tok-" + "x" * 40


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.RATE_LIMITS = LIMITS


def _hammer(client, method, path, times, ip="198.51.100.7", **kwargs):
    call = getattr(client, method)
    return [call(path, REMOTE_ADDR=ip, **kwargs) for _ in range(times)]


def _assert_429(response, json_expected, french=False):
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    if json_expected:
        body = response.json()
        assert "Too many" in body["detail"] or "too many" in body["detail"]
        assert body["retry_after"] == int(response["Retry-After"])
    elif french:  # the visitor's language (catalogues compiled by `make messages`)
        assert '<html lang="fr"' in response.text
        assert "Trop de requêtes" in response.text and "Veuillez réessayer" in response.text
    else:
        assert response["Content-Type"].startswith("text/html")
        assert "Too many requests" in response.text and "try again" in response.text


@pytest.mark.django_db
def test_contribution_api_limit_per_address(client):
    responses = _hammer(client, "post", "/api/contributions/", 4, data={})
    assert all(r.status_code != 429 for r in responses[:3])
    _assert_429(responses[3], json_expected=True)
    # Another address is not affected; GETs are not counted.
    assert client.post("/api/contributions/", {}, REMOTE_ADDR="203.0.113.9").status_code != 429
    assert client.get("/api/contributions/", REMOTE_ADDR="198.51.100.7").status_code != 429


@pytest.mark.django_db
def test_contribution_form_limit_gets_a_page(client):
    # The views behind it are not under test here: only that the posts over the limit never reach them.
    client.raise_request_exception = False
    # The final step (which creates the contribution) shares the API's budget...
    _hammer(client, "post", "/api/contributions/", 2, data={})
    responses = _hammer(client, "post", "/en/contribute/review/", 2, data={})
    assert responses[0].status_code != 429
    _assert_429(responses[1], json_expected=False)
    assert '<html lang="en"' in responses[1].text
    # ...the journey's other steps have a looser cap of their own (6 here; the review post that got
    # through used one, the refused one stopped at the first rule it broke).
    steps = _hammer(client, "post", "/en/contribute/files/", 6, data={})
    assert all(r.status_code != 429 for r in steps[:5])
    _assert_429(steps[5], json_expected=False)


@pytest.mark.django_db
def test_consent_token_limited_per_token_across_addresses(client):
    # A leaked link used from many addresses is still capped per token.
    responses = [client.get(f"/api/consent/{TOKEN}/", REMOTE_ADDR=f"198.51.100.{i}") for i in range(4)]
    assert all(r.status_code != 429 for r in responses[:3])
    _assert_429(responses[3], json_expected=True)
    # The management page shares the same token budget.
    _assert_429(client.get(f"/fr/manage/{TOKEN}/", REMOTE_ADDR="192.0.2.1"), json_expected=False, french=True)


@pytest.mark.django_db
def test_token_guessing_limited_per_address(client):
    responses = [client.get(f"/api/consent/guess-{i:040d}/", REMOTE_ADDR="198.51.100.50") for i in range(6)]
    assert all(r.status_code != 429 for r in responses[:5])
    _assert_429(responses[5], json_expected=True)


@pytest.mark.django_db
def test_login_limit_per_address(client):
    responses = _hammer(client, "post", "/admin/login/", 5, data={"username": "", "password": ""})
    assert all(r.status_code != 429 for r in responses[:4])
    _assert_429(responses[4], json_expected=False)


@pytest.mark.django_db
def test_tokens_are_hashed_in_cache_keys(client):
    client.get(f"/api/consent/{TOKEN}/")
    keys = list(caches["default"]._cache.keys())
    assert keys and not any(TOKEN in k for k in keys)


@pytest.mark.django_db
def test_forwarded_for_only_trusted_behind_a_proxy(client, settings):
    # Without a trusted proxy a spoofed X-Forwarded-For does not buy fresh budgets.
    responses = [client.post("/api/contributions/", {}, HTTP_X_FORWARDED_FOR=f"10.0.0.{i}") for i in range(4)]
    assert responses[3].status_code == 429
    caches["default"].clear()
    settings.RATE_LIMIT_TRUSTED_PROXIES = 1
    responses = [client.post("/api/contributions/", {}, HTTP_X_FORWARDED_FOR=f"10.0.0.{i}") for i in range(4)]
    assert all(r.status_code != 429 for r in responses)


@pytest.mark.django_db
def test_message_is_translated(client):
    from django.utils import translation

    with translation.override("fr"):
        from django.test import RequestFactory

        from memorial.ratelimit import too_many_requests

        response = too_many_requests(RequestFactory().get("/fr/manage/x/"), 30)
    assert '<html lang="fr"' in response.text
    assert "Trop de requêtes" in response.text and "30 secondes" in response.text


def test_rates_parse_and_bad_rates_are_refused():
    assert Rate.parse("10/m") == Rate(10, 60)
    assert Rate.parse("5/10m") == Rate(5, 600)
    assert Rate.parse("100/d") == Rate(100, 86400)
    with pytest.raises(RateLimitConfigError):
        Rate.parse("ten per minute")

"""The CSP allows the public storage's own origin without CSP_EXTRA_MEDIA_ORIGINS."""

from memorial.security import build_csp


def _directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split("; ")}


def _s3(settings, **options):
    public = {"BACKEND": "storages.backends.s3.S3Storage",
              "OPTIONS": {"bucket_name": "memories-public", "access_key": "a", "secret_key": "b",
                          "querystring_auth": False, **options}}
    settings.STORAGES = {**settings.STORAGES, "public": public}
    settings.CSP_EXTRA_MEDIA_ORIGINS = []


def test_s3_endpoint_origin_is_allowed_for_images_and_media(settings):
    _s3(settings, endpoint_url="http://127.0.0.1:9100")
    csp = _directives(build_csp("n"))
    for name in ("img-src", "media-src", "connect-src"):
        assert "http://127.0.0.1:9100" in csp[name], csp[name]
    assert "http://127.0.0.1:9100" not in csp["script-src"]


def test_s3_public_domain_origin_is_allowed(settings):
    _s3(settings, endpoint_url="http://127.0.0.1:9100", custom_domain="media.example.org")
    csp = _directives(build_csp("n"))
    assert "https://media.example.org" in csp["img-src"]


def test_local_media_adds_no_origin(settings):
    csp = _directives(build_csp("n"))
    assert csp["img-src"] == ["'self'", "data:", "blob:"]

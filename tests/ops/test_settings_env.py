"""Production configuration from the environment (memorial/settings.py through django-environ).

Each case loads the real settings in a fresh process with its own environment."""

import json
import os
import subprocess
import sys

from django.conf import settings as live_settings

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-key-for-the-settings-test-0987654321-abcdef",
    "ALLOWED_HOSTS": "memories.example.org",
    "FIELD_ENCRYPTION_KEY": "mFvQ3d0dY1c9Ue4D0jbqKqC0mG4m2X8bR1v7Yp3l9sI=",
    "SITE_URL": "https://memories.example.org",
}

PROBE = """
import json, django
from django.conf import settings as s
django.setup()
opts = s.SEARCH_BACKENDS["default"]["OPTIONS"]
print(json.dumps({
    "db": [s.DATABASES["default"]["CONN_MAX_AGE"], s.DATABASES["default"]["CONN_HEALTH_CHECKS"]],
    "cache": s.CACHES["default"], "pages": s.CACHES["pages"]["BACKEND"],
    "mail": [s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS],
    "admins": s.ADMINS, "server_email": s.SERVER_EMAIL, "site_url": s.SITE_URL,
    "es": [opts.get("api_key"), opts.get("ca_certs"), opts.get("shards"), opts.get("replicas")],
    "s3_cache": s.STORAGES["public"].get("OPTIONS", {}).get("object_parameters", {}).get("CacheControl"),
    "hosts": s.ALLOWED_HOSTS,
    "storages": [s.STORAGES["public"]["BACKEND"], s.STORAGES["private"]["BACKEND"]],
}))
"""


def _settings(tmp_path, **env):
    full = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "memorial.settings",
            "MEMORIES_VAR_DIR": str(tmp_path), **env}
    result = subprocess.run([sys.executable, "-c", PROBE], env=full, capture_output=True, text=True,
                            cwd=live_settings.BASE_DIR)
    return result


def test_site_url_is_required_without_debug(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "SITE_URL"}
    result = _settings(tmp_path, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "Set SITE_URL" in result.stderr, result.stderr


def test_production_defaults_and_every_url_variable(tmp_path):
    result = _settings(
        tmp_path, **{**PRODUCTION, "ALLOWED_HOSTS": "memories.example.org, www.memories.example.org"},
        CACHE_URL="redis://127.0.0.1:6390/2",
        EMAIL_URL="smtp+tls://mailer:s3cret@mail.example.org:587",
        ADMINS="Ops Desk <ops@example.org>, night@example.org", SERVER_EMAIL="errors@example.org",
        ELASTICSEARCH_URL="https://es.example.org:9200", ELASTICSEARCH_API_KEY="key-123",
        ELASTICSEARCH_CA_CERTS="/etc/ssl/es-ca.pem", ELASTICSEARCH_SHARDS="3", ELASTICSEARCH_REPLICAS="2",
        S3_PUBLIC_BUCKET="pub", S3_PRIVATE_BUCKET="priv", S3_CACHE_CONTROL="public, max-age=30",
    )
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout.strip().splitlines()[-1])
    assert got["db"] == [60, True]  # persistent connections, checked before reuse
    assert got["cache"] == {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                            "LOCATION": "redis://127.0.0.1:6390/2"}
    assert got["pages"] == "django.core.cache.backends.locmem.LocMemCache"  # per process on purpose
    assert got["mail"] == ["django.core.mail.backends.smtp.EmailBackend", "mail.example.org", 587, "mailer",
                           "s3cret", True]
    assert got["admins"] == [["Ops Desk", "ops@example.org"], ["night@example.org", "night@example.org"]]
    assert got["server_email"] == "errors@example.org"
    assert got["es"] == ["key-123", "/etc/ssl/es-ca.pem", 3, 2]
    assert got["s3_cache"] == "public, max-age=30"
    assert got["hosts"] == ["memories.example.org", "www.memories.example.org"]


def test_debug_defaults_need_nothing(tmp_path):
    result = _settings(tmp_path)
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout.strip().splitlines()[-1])
    assert got["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert got["site_url"] == "http://127.0.0.1:8000"


def test_make_run_gives_the_server_address_as_site_url():
    result = subprocess.run(["make", "-n", "run", "PORT=8123"], capture_output=True, text=True,
                            cwd=live_settings.BASE_DIR, env={**os.environ, "SITE_URL": ""})
    lines = [line for line in result.stdout.splitlines() if "runserver" in line or "run_worker" in line
             or "seed_demo" in line]
    assert len(lines) >= 3, result.stdout
    assert all("SITE_URL=http://127.0.0.1:8123" in line for line in lines), lines


def test_json_logs_carry_time_level_logger_request_id_and_stay_redacted(tmp_path):
    code = ("import django, logging; django.setup(); from memorial.logging import request_id; "
            "request_id.set('req-12345678'); "
            "logging.getLogger('memorial.test').warning('mail to someone@example.org at /en/manage/tok123/')")
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "memorial.settings", "MEMORIES_VAR_DIR": str(tmp_path),
           "LOG_FORMAT": "json"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                            cwd=live_settings.BASE_DIR)
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["level"] == "WARNING" and line["logger"] == "memorial.test" and line["time"]
    assert line["request_id"] == "req-12345678"
    assert "someone@example.org" not in line["message"] and "tok123" not in line["message"]


def test_a_private_bucket_alone_keeps_public_files_on_disk_for_the_proxy(tmp_path):
    # The nginx-fronted topology (tests/stack): masters in S3, public files on a disk nginx serves.
    got = json.loads(_settings(tmp_path, **PRODUCTION, S3_PRIVATE_BUCKET="priv").stdout.strip().splitlines()[-1])
    assert got["storages"] == ["django.core.files.storage.FileSystemStorage",
                               "media_pipeline.storage_backends.PrivateS3Storage"]

"""CSRF everywhere forms post: the middleware is on and every POST form in the templates has a token."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

TEMPLATES = Path(settings.BASE_DIR) / "templates"
_FORM = re.compile(r"<form\b[^>]*method=[\"']?post[\"']?[^>]*>(.*?)</form>", re.I | re.S)


@pytest.mark.django_db
def test_login_post_without_csrf_token_is_refused():
    get_user_model().objects.create_user("curator-x", password="a-long-synthetic-pass-1")
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "curator-x", "password": "a-long-synthetic-pass-1"})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_every_post_form_in_templates_carries_a_csrf_token():
    missing = []
    for path in TEMPLATES.rglob("*.html"):
        for body in _FORM.findall(path.read_text(encoding="utf-8")):
            if "csrf_token" not in body:
                missing.append(str(path.relative_to(TEMPLATES)))
    assert not missing, f"POST forms without {{% csrf_token %}}: {missing}"

import subprocess
import sys

import pytest

from tests.factories import ExhibitionFactory


@pytest.mark.django_db
def test_home_lists_live_exhibitions(client):
    ExhibitionFactory(title={"en": "Objects that remember"})
    ExhibitionFactory(title={"en": "A draft nobody sees"}, status="draft")
    response = client.get("/en/")
    assert response.status_code == 200
    assert "Objects that remember" in response.text
    assert "A draft nobody sees" not in response.text


def test_production_settings_refuse_dev_defaults():
    env = {"DEBUG": "0", "PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "memorial.settings"}
    result = subprocess.run([sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_is_clean():
    env = {
        "DEBUG": "0",
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "x" * 20 + "a-long-random-production-key-for-the-deploy-check-0987654321",
        "ALLOWED_HOSTS": "memories.example.org",
        "SITE_URL": "https://memories.example.org",
        "FIELD_ENCRYPTION_KEY": "mFvQ3d0dY1c9Ue4D0jbqKqC0mG4m2X8bR1v7Yp3l9sI=",
        "DJANGO_SETTINGS_MODULE": "memorial.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "WARNING" not in result.stderr

"""Deployment files (docs/deploy.md): compose.yaml as docker-compose reads it, the nginx template
as nginx reads it, the lock files against pyproject.toml, and the settings the stack relies on."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from memorial import worker

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))
import render_nginx  # noqa: E402

from tests.ops.test_settings_env import PRODUCTION, _settings  # noqa: E402


def _tool(name: str) -> str:
    """The path of a Debian tool .ci/run installs: missing in CI is a failure, elsewhere a skip."""
    found = shutil.which(name) or (f"/usr/sbin/{name}" if os.path.exists(f"/usr/sbin/{name}") else None)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed (.ci/run installs it)")
        pytest.skip(f"{name} is not installed (apt-get install {name})")
    return found


def _compose() -> dict:
    result = subprocess.run([_tool("docker-compose"), "--env-file", "deploy/env.example", "-f", "compose.yaml",
                             "config"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_docker_compose_accepts_the_stack_and_every_service_is_checked():
    services = _compose()["services"]
    assert {"nginx", "web", "worker-urgent", "worker-media", "postgres", "redis", "s3", "search"} <= set(services)
    for name, service in services.items():
        one_shot = service.get("restart") == "no"
        assert one_shot or service.get("healthcheck", {}).get("test"), f"{name} has no health check"
    assert services["web"]["deploy"]["replicas"] >= 2
    urgent = services["worker-urgent"]["command"]
    assert urgent[-4:] == ["--queue", "consent", "--queue", "search"]
    assert "media" in services["worker-media"]["command"]
    for name in ("postgres", "redis", "s3", "search"):
        assert any(":" in v and not v.startswith((".", "/")) for v in _volumes(services[name])), name
    env = services["web"]["environment"]
    assert env["DEBUG"] == "0" and env["SITE_URL"] == "https://memories.example.org"
    assert env["S3_PRIVATE_BUCKET"] and not env.get("S3_PUBLIC_BUCKET")  # public files: nginx, through the gate
    # Built IIIF documents on the volume nginx reads too, at the same place in both.
    assert env["IIIF_DOCUMENT_ROOT"] == "/var/lib/memories/documents"
    assert any(v.startswith("media:/var/lib/memories:") for v in _volumes(services["web"]))
    assert any(v.startswith("media:/srv/media:") for v in _volumes(services["nginx"]))
    assert services["nginx"]["environment"]["MEMORIES_DOCUMENT_ROOT"] == "/srv/media/documents/"


def _volumes(service: dict) -> list[str]:
    out = []
    for v in service.get("volumes", []):
        out.append(v if isinstance(v, str) else f"{v.get('source')}:{v.get('target')}")
    return out


def test_docker_compose_refuses_a_stack_without_its_secrets(tmp_path):
    empty = tmp_path / "empty.env"
    empty.write_text("")
    result = subprocess.run([_tool("docker-compose"), "--env-file", str(empty), "-f", "compose.yaml", "config"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "set SECRET_KEY" in result.stderr


VALUES = {"MEMORIES_UPSTREAM_SERVERS": "server 127.0.0.1:8001; server 127.0.0.1:8002;",
          "MEMORIES_LISTEN": "127.0.0.1:8080", "MEMORIES_STATIC_ROOT": "/srv/static/",
          "MEMORIES_MEDIA_ROOT": "/srv/media/public/", "MEMORIES_DOCUMENT_ROOT": "/srv/media/documents/"}


def test_the_nginx_template_is_filled_completely_and_nginx_accepts_it(tmp_path):
    with pytest.raises(KeyError, match="MEMORIES_LISTEN"):
        render_nginx.render({k: v for k, v in VALUES.items() if k != "MEMORIES_LISTEN"})
    text = render_nginx.standalone(str(tmp_path), VALUES)
    assert "${MEMORIES" not in text and "$request_uri" in text and "server 127.0.0.1:8002;" in text
    assert "auth_request /internal/media-gate;" in text
    assert "auth_request /internal/document-gate;" in text and "root /srv/media/documents/live;" in text
    conf = tmp_path / "nginx.conf"
    conf.write_text(text)
    result = subprocess.run([_tool("nginx"), "-t", "-q", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"),
                             "-c", str(conf)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\[<>=!~; ]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}


def _locked(path: Path) -> dict[str, str]:
    found = re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", path.read_text(), re.M)
    return {name.lower().replace("_", "-"): version for name, version in found}


def test_the_lock_files_hold_every_dependency_with_hashes_and_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime, dev = _locked(ROOT / "requirements.lock"), _locked(ROOT / "requirements-dev.lock")
    wanted = _names(project["dependencies"]) | _names(project["optional-dependencies"]["postgres"])
    assert wanted <= set(runtime), f"not locked (make lock): {wanted - set(runtime)}"
    assert _names(project["optional-dependencies"]["dev"]) <= set(dev), "dev extras not locked (make lock)"
    assert all(dev.get(name) == version for name, version in runtime.items()), "the two locks disagree"
    for path in ("requirements.lock", "requirements-dev.lock"):
        blocks = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / path).read_text())
        assert all("--hash=sha256:" in b for b in blocks if "==" in b), path
    containerfile = (ROOT / "Containerfile").read_text()
    assert "--require-hashes -r /tmp/requirements.lock" in containerfile
    assert "--require-hashes -r requirements-dev.lock" in (ROOT / "Makefile").read_text()


def test_the_image_runs_as_a_user_on_debian_slim_without_compilers():
    text = (ROOT / "Containerfile").read_text()
    runtime = text.split(" AS runtime", 1)[1]
    assert text.count("FROM docker.io/library/debian:bookworm-slim") == 2
    assert re.search(r"^USER memories$", runtime, re.M)
    installs = " ".join(re.findall(r"apt-get install[^\n]*", runtime))
    assert not re.search(r"\b(gcc|g\+\+|build-essential|python3-dev|npm|nodejs)\b", installs)


def test_a_private_bucket_alone_keeps_public_files_on_disk_for_nginx(tmp_path):
    probe = ("import json, django; from django.conf import settings as s; django.setup(); "
             "print(json.dumps([s.STORAGES['public']['BACKEND'], s.STORAGES['private']['BACKEND'], "
             "s.SERVE_PUBLIC_MEDIA, str(s.STATIC_ROOT)]))")
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "memorial.settings", "MEMORIES_VAR_DIR": str(tmp_path),
           **PRODUCTION, "S3_PRIVATE_BUCKET": "priv", "SERVE_PUBLIC_MEDIA": "0", "STATIC_ROOT": "/srv/static"}
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ('["django.core.files.storage.FileSystemStorage", '
                                     '"media_pipeline.storage_backends.PrivateS3Storage", false, "/srv/static"]')
    assert _settings(tmp_path, **PRODUCTION).returncode == 0  # nothing else required


@pytest.mark.django_db
def test_worker_alive_reads_this_hosts_heartbeat(settings, capsys):
    with pytest.raises(CommandError, match="no worker"):
        call_command("worker_alive")
    worker.beat("elsewhere:1", "media")
    with pytest.raises(CommandError):
        call_command("worker_alive")
    mine = worker.worker_id(4242)
    worker.beat(mine, "consent,search", now=timezone.now() - timedelta(seconds=settings.WORKER_HEARTBEAT_STALE + 5))
    with pytest.raises(CommandError):
        call_command("worker_alive")
    worker.beat(mine, "consent,search")
    call_command("worker_alive")
    assert mine in capsys.readouterr().out

import pytest

from archive import surfaces


@pytest.fixture
def own_surfaces(monkeypatch):
    """Only the archive's own `web` surface plus a recorder: unit tests of the consent services
    do not depend on other apps' surfaces (the end-to-end test runs them all)."""
    calls: list = []

    def recorder(item):
        calls.append(item.pk)
        return "recorded"

    registry = {"web": surfaces._registry["web"], "recorder": surfaces.Surface("recorder", "Recorder", recorder)}
    monkeypatch.setattr(surfaces, "_registry", registry)
    return calls

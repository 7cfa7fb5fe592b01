import pytest

from archive import surfaces


class Recorder(surfaces.Surface):
    name = label = "recorder"

    def __init__(self):
        self.calls: list = []

    def propagate(self, item):
        self.calls.append(item.pk)
        return "recorded"


@pytest.fixture
def own_surfaces():
    """Only the archive's own `web` surface plus a recorder: unit tests of the consent services
    do not depend on other apps' surfaces (the end-to-end test runs them all)."""
    recorder = Recorder()
    with surfaces.register_temporarily(surfaces.get("web"), recorder, only=True):
        yield recorder.calls

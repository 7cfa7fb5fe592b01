"""A local storage that behaves like a remote one (no path()), with switchable faults."""

import os

from django.core.files import File
from django.core.files.storage import FileSystemStorage


class FlakyRemoteStorage(FileSystemStorage):
    broken = False  # every call fails, like an S3 endpoint that is down
    fail_after: int | None = None  # writes that succeed before the network goes away
    writes = 0

    def _check(self, writing=False):
        cls = type(self)
        if writing:
            cls.writes += 1
        if cls.broken or (writing and cls.fail_after is not None and cls.writes > cls.fail_after):
            raise ConnectionError("storage unreachable")

    def _real(self, name):
        return FileSystemStorage.path(self, name)

    def path(self, name):
        raise NotImplementedError("remote storage")

    def _open(self, name, mode="rb"):
        self._check()
        return File(open(self._real(name), mode))

    def _save(self, name, content):
        self._check(writing=True)
        full = self._real(name)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as fh:
            for chunk in content.chunks():
                fh.write(chunk)
        return name

    def exists(self, name):
        self._check()
        return os.path.exists(self._real(name))

    def delete(self, name):
        self._check()
        if os.path.exists(self._real(name)):
            os.unlink(self._real(name))

    def listdir(self, path):
        self._check()
        full = self._real(path)
        if not os.path.isdir(full):
            raise FileNotFoundError(path)
        entries = os.listdir(full)
        return ([e for e in entries if os.path.isdir(os.path.join(full, e))],
                [e for e in entries if os.path.isfile(os.path.join(full, e))])

    def size(self, name):
        return os.path.getsize(self._real(name))

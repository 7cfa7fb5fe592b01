"""Storage helpers over Django's STORAGES aliases ("private" for quarantine, originals and masters;
"public" for published derivatives and tiles). Local folders and S3 look the same from here.

Every storage call that can fail for a transient reason (disk, network, S3 down) goes through
`guard()`, which turns the failure into TransientStorageError so that tasks retry with backoff.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages

from media_pipeline.exceptions import TransientStorageError

try:  # botocore is there with django-storages[s3]; the local default does not need it
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:  # pragma: no cover
    BotoCoreError = ClientError = ()  # type: ignore[assignment,misc]


def private() -> Storage:
    return storages["private"]


def public() -> Storage:
    return storages["public"]


@contextlib.contextmanager
def guard(what: str) -> Iterator[None]:
    try:
        yield
    except TransientStorageError:
        raise
    except FileNotFoundError:
        raise
    except (OSError, BotoCoreError, ClientError) as exc:  # type: ignore[misc]
        raise TransientStorageError(f"{what}: {exc.__class__.__name__}: {exc}") from exc


def local_path(storage: Storage, key: str) -> str | None:
    """The local path of `key` when the storage is a local folder, else None."""
    try:
        return storage.path(key)
    except NotImplementedError:
        return None


def put_file(storage: Storage, key: str, src: str, *, link: bool = False, move: bool = False) -> None:
    """Store the local file `src` at exactly `key`, replacing what was there (idempotent).

    `move` lets a local storage take the file by renaming it (no copy) when it is on the same disk.
    """
    with guard(f"writing {key}"):
        dest = local_path(storage, key)
        if dest is not None:
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            if move:
                try:
                    os.replace(src, dest)
                    return
                except OSError:
                    pass  # another file system: copy below
            if link and os.path.exists(dest) and os.path.samefile(src, dest):
                return  # already the very same file (a repeated publication)
            tmp = f"{dest}.part"
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            if link:
                try:
                    os.link(src, tmp)
                except OSError:
                    shutil.copyfile(src, tmp)
            else:
                shutil.copyfile(src, tmp)
            os.replace(tmp, dest)  # atomic: a crash never leaves a half-written file under `key`
            return
        if storage.exists(key):
            storage.delete(key)
        with open(src, "rb") as fh:
            name = storage.save(key, File(fh))
        if name != key:  # pragma: no cover - a storage that renames would orphan files
            storage.delete(name)
            raise TransientStorageError(f"storage renamed {key} to {name}")


def put_bytes(storage: Storage, key: str, data: bytes) -> None:
    with guard(f"writing {key}"):
        dest = local_path(storage, key)
        if dest is not None:
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            tmp = f"{dest}.part"
            Path(tmp).write_bytes(data)
            os.replace(tmp, dest)
            return
        if storage.exists(key):
            storage.delete(key)
        storage.save(key, ContentFile(data))


def read_bytes(storage: Storage, key: str) -> bytes:
    with guard(f"reading {key}"), storage.open(key, "rb") as fh:
        return fh.read()


def walk(storage: Storage, prefix: str) -> list[str]:
    """Every key under `prefix` (recursive)."""
    prefix = prefix.rstrip("/")
    keys: list[str] = []
    with guard(f"listing {prefix}"):
        root = local_path(storage, prefix)
        if root is not None:
            if not os.path.isdir(root):
                return []
            base = local_path(storage, "")
            for dirpath, _dirs, files in os.walk(root):
                for f in files:
                    keys.append(os.path.relpath(os.path.join(dirpath, f), base).replace(os.sep, "/"))
            return sorted(keys)
        try:
            dirs, files = storage.listdir(prefix + "/")
        except FileNotFoundError:
            return []
        keys.extend(f"{prefix}/{f}" for f in files)
        for d in dirs:
            keys.extend(walk(storage, f"{prefix}/{d}"))
    return sorted(keys)


def delete_prefix(storage: Storage, prefix: str) -> int:
    """Delete every key under `prefix`; returns how many files went."""
    keys = walk(storage, prefix)
    with guard(f"deleting {prefix}"):
        root = local_path(storage, prefix.rstrip("/"))
        if root is not None:
            shutil.rmtree(root, ignore_errors=True)
            return len(keys)
        client = getattr(getattr(storage, "connection", None), "meta", None)
        bucket = getattr(storage, "bucket_name", None)
        if client is not None and bucket:
            # S3: delete in batches of 1000 instead of one request per tile.
            for i in range(0, len(keys), 1000):
                batch = [{"Key": k} for k in keys[i:i + 1000]]
                client.client.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
            return len(keys)
        for k in keys:
            storage.delete(k)
    return len(keys)


def delete(storage: Storage, key: str) -> None:
    if not key:
        return
    with guard(f"deleting {key}"):
        storage.delete(key)


def exists(storage: Storage, key: str) -> bool:
    with guard(f"checking {key}"):
        return storage.exists(key)


@contextlib.contextmanager
def fetched(storage: Storage, key: str, suffix: str = "") -> Iterator[str]:
    """A local path holding `key`: the file itself for local storage, a temporary copy otherwise."""
    path = local_path(storage, key)
    if path is not None:
        with guard(f"reading {key}"):
            if not os.path.exists(path):
                raise FileNotFoundError(key)
        yield path
        return
    fd, tmp = tempfile.mkstemp(suffix=suffix, prefix="mp-fetch-")
    try:
        with guard(f"reading {key}"), os.fdopen(fd, "wb") as out, storage.open(key, "rb") as src:
            shutil.copyfileobj(src, out, 1024 * 1024)
        yield tmp
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def scratch_dir(storage: Storage, name: str) -> str:
    """A working folder for `name`: inside a local storage (so that results move in by renaming),
    else in the system's temporary folder. It is emptied first: a killed worker's leftovers go."""
    root = local_path(storage, ".work")
    base = root if root is not None else os.path.join(tempfile.gettempdir(), "mp-work")
    path = os.path.join(base, name)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def upload_tree(local_dir: str, storage: Storage, prefix: str, *, link: bool = False) -> list[str]:
    """Store every file under `local_dir` below `prefix`; returns the keys written."""
    written = []
    for dirpath, _dirs, files in os.walk(local_dir):
        for f in files:
            src = os.path.join(dirpath, f)
            rel = os.path.relpath(src, local_dir).replace(os.sep, "/")
            key = f"{prefix}/{rel}"
            put_file(storage, key, src, link=link)
            written.append(key)
    return sorted(written)

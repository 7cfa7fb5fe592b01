"""Storage helpers over Django's STORAGES aliases ("private" for quarantine, originals and masters;
"public" for published derivatives and tiles). Local folders and S3 look the same from here.

Every storage call that can fail for a transient reason (disk, network, S3 down) goes through
`guard()`, which turns the failure into TransientStorageError so that tasks retry with backoff.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages

from media_pipeline.exceptions import TransientStorageError

if TYPE_CHECKING:
    from media_pipeline.storage_backends import ArchiveS3Storage


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
    except (OSError, BotoCoreError, ClientError) as exc:
        raise TransientStorageError(f"{what}: {exc.__class__.__name__}: {exc}") from exc


def _instance_of(storage: Storage, module: str, name: str) -> bool:
    # An instance's class is loaded, so its module is: looking there (instead of importing it) keeps
    # boto3 (~35 MB per process) out of processes that only ever see local folders.
    loaded = sys.modules.get(module)
    return loaded is not None and isinstance(storage, getattr(loaded, name))


def is_archive_s3(storage: Storage) -> TypeGuard[ArchiveS3Storage]:
    """One of the archive's S3 buckets (media_pipeline.storage_backends), with batched deletes and
    server-side copies."""
    return _instance_of(storage, "media_pipeline.storage_backends", "ArchiveS3Storage")


def local_path(storage: Storage, key: str) -> str | None:
    """The local path of `key` when the storage is a local folder, else None."""
    try:
        return storage.path(key)
    except NotImplementedError:
        return None


def _make_room(storage: Storage, key: str) -> None:
    # S3Storage with file_overwrite (as settings configure it) replaces the object in one PUT:
    # checking and deleting first would cost two more requests per tile and leave a moment with no
    # file at all. Others would save under another name: delete first.
    overwrites = _instance_of(storage, "storages.backends.s3", "S3Storage") and storage.file_overwrite
    if not overwrites and storage.exists(key):
        storage.delete(key)


def _permissions(storage: Storage, path: str) -> None:
    """The mode Django's own save gives (FILE_UPLOAD_PERMISSIONS, 0o644 by default): a file made
    from a temporary one (0o600, e.g. fetched from S3) must be readable by a web server that serves
    the public folder as another user (nginx)."""
    mode = getattr(storage, "file_permissions_mode", None)
    if mode is not None:
        os.chmod(path, mode)


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
                    _permissions(storage, src)
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
            _permissions(storage, tmp)
            os.replace(tmp, dest)  # atomic: a crash never leaves a half-written file under `key`
            return
        _make_room(storage, key)
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
            _permissions(storage, tmp)
            os.replace(tmp, dest)
            return
        _make_room(storage, key)
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
        if is_archive_s3(storage):
            storage.delete_many(keys)  # batched, instead of one request per tile
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


# Tile sets are hundreds or thousands of small files; on S3 each costs a few requests' latency, so
# they go side by side on a small, bounded pool. django-storages' S3Storage keeps one boto3
# connection per thread (S3Storage.connection is thread-local) and boto3 clients are thread-safe.
# The pool lives as long as the process, so that its threads' connections are made once.
# Local folders keep the plain loop: there a file is a rename or a hard link, not a request.
TRANSFER_THREADS = 8
_pool: tuple[int, ThreadPoolExecutor] | None = None
_pool_lock = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None or _pool[0] != os.getpid():  # threads do not survive a fork
            _pool = (os.getpid(), ThreadPoolExecutor(TRANSFER_THREADS, thread_name_prefix="mp-transfer"))
        return _pool[1]


def _each(fn: Callable[[tuple[str, str]], None], items: Iterable[tuple[str, str]], *, parallel: bool) -> None:
    """fn(item) for every item: on the pool when `parallel`; the first error is raised (after the
    transfers already running have ended; the ones not started are cancelled)."""
    items = list(items)
    if not parallel or len(items) < 2:
        for item in items:
            fn(item)
        return
    futures = [_executor().submit(fn, item) for item in items]
    try:
        for future in as_completed(futures):
            future.result()
    except BaseException:
        for future in futures:
            future.cancel()
        for future in futures:
            with contextlib.suppress(BaseException):
                future.result()
        raise


def _is_local(storage: Storage) -> bool:
    return local_path(storage, "") is not None


is_local = _is_local


def delete_prefixes(storage: Storage, prefixes: list[str]) -> int:
    """Delete every key under each prefix (S3: batched DeleteObjects); how many files went."""
    return sum(delete_prefix(storage, prefix) for prefix in prefixes)


def upload_tree(local_dir: str, storage: Storage, prefix: str, *, link: bool = False) -> list[str]:
    """Store every file under `local_dir` below `prefix`; returns the keys written."""
    pairs = []
    for dirpath, _dirs, files in os.walk(local_dir):
        for f in files:
            src = os.path.join(dirpath, f)
            rel = os.path.relpath(src, local_dir).replace(os.sep, "/")
            pairs.append((src, f"{prefix}/{rel}"))
    _each(lambda pair: put_file(storage, pair[1], pair[0], link=link), pairs, parallel=not _is_local(storage))
    return sorted(key for _src, key in pairs)


def _s3_copy(src: ArchiveS3Storage, src_key: str, dest: ArchiveS3Storage, dest_key: str) -> None:
    with guard(f"copying {src_key} to {dest_key}"):
        dest.copy_from(src, src_key, dest_key)


def copy_tree(src: Storage, src_prefix: str, dest: Storage, dest_prefix: str) -> list[str]:
    """Copy every key under `src_prefix` of `src` to the same place under `dest_prefix` of `dest`
    (e.g. a tile set from private to public storage); returns the keys written."""
    src_prefix, dest_prefix = src_prefix.rstrip("/"), dest_prefix.rstrip("/")
    pairs = [(key, f"{dest_prefix}/{key[len(src_prefix) + 1:]}") for key in walk(src, src_prefix)]

    # Two buckets of one S3 account copy between themselves: one request per file, no bytes through here.
    server_side = is_archive_s3(dest) and dest.can_copy_from(src)

    def one(pair: tuple[str, str]) -> None:
        if server_side:
            _s3_copy(src, pair[0], dest, pair[1])
            return
        with fetched(src, pair[0]) as path:
            put_file(dest, pair[1], path, link=True)

    _each(one, pairs, parallel=not (_is_local(src) and _is_local(dest)))
    return sorted(key for _src, key in pairs)

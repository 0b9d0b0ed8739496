"""Caches that cannot be planted: every file under `.digest-cache/` is sealed with an HMAC whose key
lives outside the site folder, and is unpickled only when its seal is good.

A pickle runs code when it is loaded, and `.digest-cache/` sits in the site folder, where anyone who can
commit to the site could plant one. The key is `$DIGEST_CACHE_KEY` when set (a CI secret, so a cache
restored in CI stays usable), else 32 random bytes in `~/.cache/digest/cache-key` (mode 0600), made on
first use. A file without a good seal (planted, altered by one byte, from another machine or another
version) is ignored, and the build says so once; it is never a traceback.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
from functools import lru_cache
from pathlib import Path

from .. import collector

_MAGIC = b"digest-cache 1\n"


def key_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "digest" / "cache-key"


@lru_cache(maxsize=1)
def _key() -> bytes:
    given = os.environ.get("DIGEST_CACHE_KEY", "")
    if given:
        return hashlib.sha256(given.encode()).digest()
    path = key_file()
    try:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    key = secrets.token_bytes(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key)
    except OSError:
        pass  # an unwritable home: this process's caches are sealed with a key no later build has
    return key


def save(path: Path, value, *, memo: bool = True) -> str:
    """Written atomically (a temporary file renamed), pickled straight into the file while the seal is
    worked out: the parse cache (58 MB at 10,000 articles) is never held in memory whole, let alone twice
    with the seal joined in front. Returns the seal, which names these contents (see `load`).

    `memo=False`: for a value that refers to no part of itself, and shares no object it would be worth
    pickling once; the pickler's memo keeps every object it has written alive until the end."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    seal = hmac.new(_key(), digestmod=hashlib.sha256)
    try:
        with open(partial, "wb") as handle:
            handle.write(_MAGIC + bytes(seal.digest_size))  # the seal's place, filled in once it is known
            pickler = pickle.Pickler(_Sealing(handle, seal), protocol=pickle.HIGHEST_PROTOCOL)
            pickler.fast = not memo
            pickler.dump(value)
            handle.seek(len(_MAGIC))
            handle.write(seal.digest())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return seal.hexdigest()


class _Sealing:
    """A file that adds what is written to it to a seal."""

    def __init__(self, handle, seal):
        self.handle, self.seal = handle, seal

    def write(self, data) -> int:
        self.seal.update(data)
        return self.handle.write(data)


class Unsealed(Exception):
    """A cache file that is missing, unreadable, or not sealed with this machine's key."""


def load(path: Path, seal: str | None = None):
    """The value saved at `path`; Unsealed (with the reason) when it cannot be trusted or read, or when it is
    not the one whose seal `save` returned as `seal`."""
    try:
        blob = path.read_bytes()
    except FileNotFoundError as exc:
        raise Unsealed("missing") from exc
    except OSError as exc:
        raise Unsealed(f"unreadable ({exc.strerror})") from exc
    found, data = blob[len(_MAGIC):len(_MAGIC) + 32], memoryview(blob)[len(_MAGIC) + 32:]  # not a copy
    if not blob.startswith(_MAGIC) or not hmac.compare_digest(found, hmac.new(_key(), data, hashlib.sha256).digest()):
        raise Unsealed("not sealed by this machine's digest (planted, altered, or made elsewhere)")
    if seal is not None and found.hex() != seal:
        raise Unsealed("another build's")
    try:
        with collector.paused():  # a cache is read whole and kept: see collector.py
            return pickle.loads(data)
    except Exception as exc:  # noqa: BLE001 - an upgrade may leave records of classes that are gone
        raise Unsealed(f"from another version of digest ({type(exc).__name__})") from exc

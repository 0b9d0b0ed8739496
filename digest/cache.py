"""The parse cache (`.digest-cache/`): each source's validated record, reused while the source's bytes,
the files its links point at, and everything else that shapes its HTML stay the same.

What shapes the HTML besides the source: digest's own code, Python-Markdown's version and extensions,
the site's timezone and base path, the content folder and the folder digest runs from (messages name
files relative to it). A change to any of them starts the cache afresh. Templates and the rest of
site.yaml do not enter a parsed record, so they do not invalidate it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path

import markdown

from . import __version__
from .config import SiteConfig
from .markdown_ext import EXTENSIONS

CACHE_FORMAT = 2
_PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True, slots=True)
class Fingerprint:
    mtime_ns: int
    size: int
    sha256: str

    @classmethod
    def of(cls, stat: os.stat_result, raw: bytes) -> "Fingerprint":
        return cls(stat.st_mtime_ns, stat.st_size, hashlib.sha256(raw).hexdigest())


def environment_key(config: SiteConfig) -> str:
    code = sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in _PACKAGE.glob("*.py"))
    parts = (CACHE_FORMAT, __version__, markdown.__version__, EXTENSIONS, sys.version_info[:2], code,
             config.timezone.key, config.base_path, str(config.content_dir.resolve()), os.getcwd(),
             repr(config.markdown))  # the site's Markdown extensions and their settings shape every body
    return hashlib.sha256(repr(parts).encode()).hexdigest()


class ParseCache:
    """Records by source path; only the entries used by this build are saved back."""

    def __init__(self, folder: Path, environment: str):
        self.file = folder / "parsed.pickle"
        self.environment = environment
        self.entries: dict[str, tuple[Fingerprint, object]] = {}
        self.used: dict[str, tuple[Fingerprint, object]] = {}
        self.hits = 0
        self.changed = False  # a record stored, or a stored one refreshed: worth writing back
        try:
            with self.file.open("rb") as handle:
                stored_environment, entries = pickle.load(handle)
            if stored_environment == environment:
                self.entries = entries
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
            pass  # no cache, or one from another version: start afresh

    def lookup(self, path: Path):
        """The cached record when the file and every file its links looked for are as they were."""
        key = str(path)
        entry = self.entries.get(key)
        if entry is None:
            return None
        fingerprint, record = entry
        try:
            stat = path.stat()
            if (stat.st_mtime_ns, stat.st_size) != (fingerprint.mtime_ns, fingerprint.size):
                if hashlib.sha256(path.read_bytes()).hexdigest() != fingerprint.sha256:
                    return None
                fingerprint = Fingerprint(stat.st_mtime_ns, stat.st_size, fingerprint.sha256)
                self.changed = True
        except OSError:
            return None
        if any(Path(target).is_file() != existed for target, existed in record.link_checks):
            return None
        self.used[key] = (fingerprint, record)
        self.hits += 1
        return record

    def store(self, path: Path, fingerprint: Fingerprint, record) -> None:
        self.used[str(path)] = (fingerprint, record)
        self.changed = True

    def save(self) -> None:
        """Write atomically, so that an interrupted build never leaves a torn cache; not at all when it
        would write what is there already."""
        if not self.changed and self.used.keys() == self.entries.keys():
            return
        self.file.parent.mkdir(parents=True, exist_ok=True)
        partial = self.file.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as handle:
            pickle.dump((self.environment, self.used), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, self.file)


def build_key(config: SiteConfig, template_dirs: tuple[Path, ...]) -> str:
    """What every rendered output depends on besides the site model: digest's code and environment, the
    whole config, and the bytes of every template (a base template edit changes every page)."""
    templates = hashlib.blake2b(digest_size=16)
    for folder in template_dirs:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            templates.update(f"{path.relative_to(folder).as_posix()}\0".encode())
            templates.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
        templates.update(b"\0\0")  # the order of the folders decides which template wins
    return hashlib.sha256(repr((environment_key(config), repr(config), templates.hexdigest())).encode()).hexdigest()


def open_cache(config: SiteConfig) -> ParseCache:
    return ParseCache(config.root / ".digest-cache", environment_key(config))

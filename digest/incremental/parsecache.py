"""The parse cache (`.digest-cache/parsed/`): each source's validated record, reused while the source's
bytes, the files its links look for, and the environment (see `keys.environment_key`) are the same.
Templates and the rest of site.yaml do not enter a parsed record, so they do not invalidate it.

The records are spread over `SHARDS` sealed files by a hash of the source's path, and a build writes only
the files whose records changed: one edit rewrites about 1/64 of the cache (0.9 MB at 10,000 articles)
instead of all 58 MB, which was a fifth of the time such a build took.
"""

from __future__ import annotations

import copyreg
import dataclasses
import functools
import hashlib
import operator
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..bodyreads import Packed, stored_getter
from . import sealed


@dataclass(frozen=True, slots=True)
class SourceStamp:
    """A source as it was parsed: its stat before it was read, and the hash of the bytes that were read.
    Stat first: a save between the stat and the read leaves a stamp whose date no longer matches, so the
    next build hashes the file again instead of trusting the date."""

    mtime_ns: int
    size: int
    sha256: str

    @classmethod
    def of(cls, stat: os.stat_result, raw: bytes) -> "SourceStamp":
        return cls(stat.st_mtime_ns, stat.st_size, hashlib.sha256(raw).hexdigest())


def pickle_by_fields(cls) -> None:
    """Pickle records as their constructor's arguments. Frozen slotted dataclasses otherwise pickle
    through a function that looks up the class's fields for every object, which made saving and loading
    the cache the slowest part of an incremental build."""
    names = tuple(f.name for f in dataclasses.fields(cls) if f.init)
    values = operator.attrgetter(*names)
    if len(names) == 1:  # attrgetter of one name gives the value itself, not a tuple
        copyreg.pickle(cls, lambda record: (cls, (values(record),)))
    else:
        copyreg.pickle(cls, lambda record: (cls, values(record)))


@functools.cache
def pickle_records_by_fields() -> None:
    """Called before records are stored or read, not on import: a build that finds nothing changed opens the
    cache without reading it, and importing the record types (Markdown and the rest) was most of its time."""
    from ..content import Article, CompanyProfile, Correction, Event, Page, Party, PrimarySource, Source
    from ..figures import Figure
    from ..images import LeadImage, SourceImage
    from ..weekly import WeekId
    from ..weeknotes import WeeklyNote

    for record_type in (Source, Correction, Event, Party, PrimarySource, Figure, Page, CompanyProfile,
                        WeeklyNote, WeekId, SourceImage, LeadImage):
        pickle_by_fields(record_type)
    # An article with its fingerprints: made again on load, they were half the time of loading 10,000
    # articles. The cache is keyed on digest's code (keys.environment_key), so they are this code's.
    # Its body is stored compressed and stays so in memory (see bodyreads.Packed): an edit's build
    # at 10,000 articles held 44 MB of bodies it did not show.
    slots = tuple(f.name for f in dataclasses.fields(Article))
    getters = tuple(stored_getter(Article, name) for name in slots)
    html_at = slots.index("html")

    def reduce(article: Article):
        values = [get(article) for get in getters]
        if type(values[html_at]) is not Packed:
            values[html_at] = Packed.of(values[html_at])
        return _article, (Article, slots, tuple(values))

    copyreg.pickle(Article, reduce)


pickle_by_fields(SourceStamp)


def _article(cls, slots: tuple[str, ...], values: tuple):
    article = object.__new__(cls)
    for name, value in zip(slots, values):
        object.__setattr__(article, name, value)
    return article


def _images(record) -> tuple:
    lead = getattr(record, "image", None)
    return ((lead.image,) if lead else ()) + tuple(getattr(record, "images", ()))


SHARDS = 64


def shard_of(key: str) -> int:
    """Which file of the cache holds the record of the source named `key`: the same on every machine."""
    return zlib.crc32(key.encode("utf-8", "surrogateescape")) % SHARDS


class ParseCache:
    """Records by source path; only the entries used by this build are saved back. Read from disk when
    first asked for: a build that finds nothing changed never needs them (loading them is 1.3 s of the
    2.5 s such a build took at 10,000 articles)."""

    def __init__(self, folder: Path, environment: str | Callable[[], str], entries: dict | None = None):
        """`environment`: the key (`keys.environment_key`), or a function that works it out when the cache is
        first read or written (the key asks the site's catalogs for a word, and a build that finds nothing
        changed reads no catalog); `entries`: records kept in memory by a resident preview, otherwise they
        are read from disk."""
        self.folder = folder / "parsed"
        self._environment = environment
        self._root = os.path.join(os.path.abspath(folder.parent), "")  # the site's folder
        self._cwd = os.path.join(os.getcwd(), "")
        self._changes: tuple[frozenset[str] | None, frozenset[str]] = (None, frozenset())
        self._entries: dict[str, tuple[SourceStamp, object]] | None = entries
        self.used: dict[str, tuple[SourceStamp, object]] = {}
        self.hits = 0
        # Shards to write whatever their keys: in a preview's memory only, every one is worth writing when it stops.
        self._dirty: set[int] = set(range(SHARDS)) if entries is not None else set()
        self._ignored: list[str] = []  # each shard file that was there and could not be used, with why

    @property
    def environment(self) -> str:
        if callable(self._environment):
            self._environment = self._environment()
        return self._environment

    @property
    def entries(self) -> dict[str, tuple[SourceStamp, object]]:
        if self._entries is None:
            pickle_records_by_fields()
            self._entries = {}
            for shard in range(SHARDS):
                file = self._file(shard)
                try:
                    stored_environment, entries = sealed.load(file)
                except sealed.Unsealed as exc:
                    if str(exc) != "missing":
                        self._ignored.append(f"{file.name}: {exc}")
                        self._dirty.add(shard)
                    continue
                except (TypeError, ValueError):  # sealed, but not the shape this version writes
                    self._dirty.add(shard)
                    continue
                if stored_environment == self.environment:
                    self._entries.update(entries)
                else:
                    self._dirty.add(shard)
        return self._entries

    @property
    def ignored(self) -> str:
        """Which cache files that were there could not be used, and why ('' if all could, or none was read)."""
        if not self._ignored:
            return ""
        more = f" (and {len(self._ignored) - 1} more)" if len(self._ignored) > 1 else ""
        return f"{self.folder.name}/{self._ignored[0]}{more}"

    def lookup(self, path: Path, changes: frozenset[str] | None = None):
        """The cached record when the file and every file its links looked for are as they were.

        `changes`: the paths known to have changed since the records were made (a resident preview is
        told by the file watcher); the others are trusted without a stat."""
        key = self.key(str(path))
        entry = self.entries.get(key)
        if entry is None:
            return None
        stamp, record = entry
        if changes is not None:
            changed = self._changed_keys(changes)
            if key in changed or any(self.key(target) in changed for target, _ in record.link_checks) \
                    or any(self.key(str(image.file)) in changed for image in _images(record)):
                return None
            self.used[key] = entry
            self.hits += 1
            return record
        try:
            stat = path.stat()
            if (stat.st_mtime_ns, stat.st_size) != (stamp.mtime_ns, stamp.size):
                if hashlib.sha256(path.read_bytes()).hexdigest() != stamp.sha256:
                    return None
                stamp = SourceStamp(stat.st_mtime_ns, stat.st_size, stamp.sha256)
                self._dirty.add(shard_of(key))
        except OSError:
            return None
        if any(Path(target).is_file() != existed for target, existed in record.link_checks):
            return None
        if not all(image.unchanged() for image in _images(record)):  # its size and hash are in the record
            return None
        self.used[key] = (stamp, record)
        self.hits += 1
        return record

    def store(self, path: Path, stamp: SourceStamp, record) -> None:
        pickle_records_by_fields()
        key = self.key(str(path))
        self.used[key] = (stamp, record)
        self._dirty.add(shard_of(key))

    def key(self, path: str) -> str:
        """A file as the cache names it: relative to the site's folder, however the build was asked for it
        (`digest build` names sources relative to where it runs, the preview by absolute path, as its file
        watcher does), so each reuses what the other parsed."""
        if not os.path.isabs(path):
            path = self._cwd + path
        return path[len(self._root):] if path.startswith(self._root) else path

    def _changed_keys(self, changes: frozenset[str]) -> frozenset[str]:
        if self._changes[0] is not changes:
            self._changes = (changes, frozenset(self.key(p) for p in changes))
        return self._changes[1]

    def save(self) -> None:
        """The shards whose records changed, each written atomically: a record stored or re-stamped, a
        source gone (its record is not used), or a file that could not be used. The others are left."""
        if self._entries is None and not self.used:
            return  # never read, nothing stored
        used: list[dict] = [{} for _ in range(SHARDS)]
        for key, entry in self.used.items():
            used[shard_of(key)][key] = entry
        before: list[set] = [set() for _ in range(SHARDS)]
        for key in self._entries or ():
            before[shard_of(key)].add(key)
        for shard in range(SHARDS):
            if shard in self._dirty or used[shard].keys() != before[shard]:
                if used[shard]:
                    sealed.save(self._file(shard), (self.environment, used[shard]))
                else:
                    self._file(shard).unlink(missing_ok=True)
        self._dirty.clear()
        self._entries = {key: entry for shard in used for key, entry in shard.items()}
        # The single file of versions before the cache was spread over shards.
        (self.folder.parent / "parsed.pickle").unlink(missing_ok=True)

    def _file(self, shard: int) -> Path:
        return self.folder / f"{shard:02d}.pickle"

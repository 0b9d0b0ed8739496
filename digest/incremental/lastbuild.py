"""What the last successful build left in `.digest-cache/outputs-*.pickle`, for the next build to skip work.

For each output unit (page, feed, sitemap, data file): the key it was rendered under and the parts of
the site its template read, so the next build renders only outputs whose key
changed; every file written, so files no longer made can be removed; and a
stat fingerprint of every input, so a build where nothing at all changed ends
at once. The record counts only while the output folder's marker is the one
that build wrote: a folder changed since, or a build interrupted while
updating it, makes the next build a full one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from pathlib import Path
from typing import Any, Iterable

from .. import collector
from . import sealed
from ..bodyreads import BodyRead
from .reads import ContextRead, Read, SiteRead
from .parsecache import pickle_by_fields

RECORD_FORMAT = 8  # 6: how outputs were made, in a file of its own; 7: the frame, and articles' fingerprints;
# 8: the made file's reads as a table, the file named by its seal


@dataclass(frozen=True, slots=True)
class Made:
    """One output of the last build."""

    key: str
    reads: tuple[Read, ...]  # in the order they were keyed
    files: tuple[str, ...]


for _stored_type in (Made, SiteRead, ContextRead, BodyRead):
    pickle_by_fields(_stored_type)


class MadeFile:
    """How each output was made and each article's fingerprints, kept in a sealed file of its own beside the
    record and read when first asked for: a build that finds nothing changed reads the small record only (at
    10,000 articles, how 27,000 outputs were made is 8 MB of the record's 9). The record names the file's
    seal, so a file left by another build (one interrupted between the two writes) is not used: every
    output is made again."""

    def __init__(self, file: Path, seal: str):
        self.file, self.seal = file, seal
        self._parts: tuple[dict, dict] | None = None

    @property
    def read(self) -> bool:
        return self._parts is not None

    def parts(self) -> tuple[dict, dict]:
        if self._parts is None:
            self._parts = ({}, {})
            try:
                self._parts = _untabled(*sealed.load(self.file, self.seal))
            except Exception:  # noqa: BLE001 - missing, another build's or another version's: all is made again
                return self._parts
        return self._parts


class OnDisk(Mapping):
    """One part of the made file (0: how each output was made; 1: each article's fingerprints)."""

    def __init__(self, file: MadeFile, part: int):
        self.file, self.part = file, part

    def __getitem__(self, key):
        return self.file.parts()[self.part][key]

    def get(self, key, default=None):  # asked once per output: the dict's own, not Mapping's
        return self.file.parts()[self.part].get(key, default)

    def __iter__(self):
        return iter(self.file.parts()[self.part])

    def __len__(self) -> int:
        return len(self.file.parts()[self.part])


@dataclass(frozen=True, slots=True)
class LastBuild:
    output: str  # the output folder it wrote, as an absolute path (links not resolved: one may loop)
    marker: tuple[int, int, int]  # inode, mtime and size of the folder's marker right after it
    made: Mapping[str, Made]  # output id → how it was made (OnDisk once saved)
    paths: frozenset[str]  # every file it wrote, generated or copied
    folders: Mapping[str, int]  # each folder holding one of `paths` → its mtime once the build was over
    inputs: str  # stat fingerprint of every input and option
    valid_until: datetime | None  # the first scheduled article: from then on, the same inputs make another site
    report: Any  # the build's report, less the site model, for a build that changes nothing
    frame: str = ""  # stat fingerprint of every input but what articles say (see `input_fingerprints`)
    build_key: str = ""  # what every output's key starts from: code, templates, config
    # source key → (fingerprint, body fingerprint) of every article, as the outputs saw it (OnDisk once saved)
    articles: Mapping[str, tuple[str, str]] = dataclasses.field(default_factory=dict)


def marker_stat(marker: Path) -> tuple[int, int, int] | None:
    try:
        stat = marker.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def folder_times(output: Path, paths: Iterable[str]) -> dict[str, int]:
    """The modification time of each folder holding one of `paths` (relative to `output`); a folder that
    is gone is left out, and so is not as it was."""
    prefix = os.path.join(str(output), "")
    times = {}
    for folder in {path.rpartition("/")[0] for path in paths}:
        try:
            times[folder] = os.stat(prefix + folder).st_mtime_ns
        except OSError:
            continue
    return times


def folders_as_left(output: Path, times: Mapping[str, int]) -> bool:
    """Whether every folder still has the time `folder_times` found. Adding, removing or renaming a file
    sets its folder's time, so this says that every file the build wrote is still there, with a stat per
    folder rather than per file (15,000 folders for 28,000 files at 10,000 articles)."""
    prefix = os.path.join(str(output), "")
    try:
        return all(os.stat(prefix + folder).st_mtime_ns == time for folder, time in times.items())
    except OSError:
        return False


def record_file(root: Path, output: Path) -> Path:
    """One record per output folder, so that `digest build` into public/ and the preview's folder do
    not undo each other's."""
    name = hashlib.blake2b(os.path.abspath(output).encode(), digest_size=4).hexdigest()
    return root / ".digest-cache" / f"outputs-{name}.pickle"


def load(root: Path, output: Path, marker: Path) -> LastBuild | None:
    """The last build's record, when the output folder is still exactly what that build left."""
    try:
        stored_format, last = sealed.load(record_file(root, output))
    except (sealed.Unsealed, TypeError, ValueError):  # none, planted, or another version's: build in full
        return None
    if stored_format != RECORD_FORMAT or not isinstance(last, LastBuild):
        return None
    if last.output != os.path.abspath(output) or last.marker != marker_stat(marker) or not isinstance(last.made, str):
        return None
    file = MadeFile(_made_file(root, output), last.made)
    return dataclasses.replace(last, made=OnDisk(file, 0), articles=OnDisk(file, 1))


def save(root: Path, last: LastBuild) -> None:
    """Written atomically, how each output was made first: an interrupted save leaves the previous record
    or none, never a torn one, and never a record with another build's outputs (see `MadeFile`)."""
    made, articles = last.made, last.articles
    if isinstance(made, OnDisk) and isinstance(articles, OnDisk) and made.file is articles.file \
            and not made.file.read:
        seal = made.file.seal  # read from that file and not changed since: it is there as it was
    else:
        seal = sealed.save(_made_file(root, Path(last.output)), _tabled(made, articles), memo=False)
    sealed.save(record_file(root, Path(last.output)),
                (RECORD_FORMAT, dataclasses.replace(last, made=seal, articles={})))


def _tabled(made: Mapping[str, Made], articles: Mapping[str, tuple[str, str]]) -> tuple:
    """The made file's contents, in a form pickled without the pickler's memo, which kept every object it
    wrote alive (about 20 MB at 10,000 articles, the peak of an edit's build): each distinct read once in a
    table (321,000 reads are 47,000 objects, shared as `tracker._shared_reads` left them), pickled apart,
    and each output's reads as places in it, in one array for all."""
    table: list[Read] = []
    place: dict[int, int] = {}  # by identity: equal reads are one object, and hashing each is slower
    places, ends = array("I"), array("I")
    for m in made.values():
        for read in m.reads:
            at = place.get(id(read))
            if at is None:
                at = place[id(read)] = len(table)
                table.append(read)
            places.append(at)
        ends.append(len(places))
    return (pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL), list(made), [m.key for m in made.values()],
            [m.files for m in made.values()], places, ends, dict(articles))


def _untabled(table: bytes, ids: list, keys: list, files: list, places: array, ends: array,
              articles: dict) -> tuple[dict[str, Made], dict[str, tuple[str, str]]]:
    with collector.paused():  # as sealed.load: what is read whole and kept (the table was sealed with the rest)
        every = list(map(pickle.loads(table).__getitem__, places))
    reads = (tuple(every[start:end]) for start, end in zip(chain((0,), ends), ends))
    return dict(zip(ids, map(Made, keys, reads, files), strict=True)), articles


def _made_file(root: Path, output: Path) -> Path:
    return record_file(root, output).with_suffix(".made.pickle")


def input_fingerprints(folders: Iterable[Path], files: Iterable[Path], settings: Any,
                       articles: Path | None = None) -> tuple[str, str]:
    """Every file under `folders` and each of `files` by path, size and mtime, with the build's settings:
    equal fingerprints mean the same inputs (the way make and rsync decide, without reading a byte).
    Returns that and the frame: the same, but for the Markdown files under `articles` only their paths,
    so that two builds with equal frames differ at most in what articles say."""
    every = hashlib.blake2b(repr(settings).encode(), digest_size=16)
    frame = every.copy()
    stats = [entry for folder in folders for entry in sorted(_walk(str(folder)))]
    for path in files:
        try:
            stats.append((str(path), os.stat(path)))
        except OSError:
            stats.append((str(path), None))
    prefix = os.path.join(str(articles), "") if articles is not None else None
    for path, stat in stats:
        line = f"{path}\0missing" if stat is None else \
            f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}"
        every.update((line + "\n").encode("utf-8", "surrogateescape"))
        if prefix is not None and path.startswith(prefix) and path.endswith(".md") and stat is not None:
            line = f"{path}\0article"
        frame.update((line + "\n").encode("utf-8", "surrogateescape"))
    return every.hexdigest(), frame.hexdigest()


def _walk(folder: str, seen: set[str] | None = None):
    seen = {os.path.realpath(folder)} if seen is None else seen
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=True):
                real = os.path.realpath(entry.path)
                if real not in seen:  # each real folder once: symbolic link loops end at once
                    seen.add(real)
                    yield from _walk(entry.path, seen)
            else:
                yield entry.path, entry.stat(follow_symlinks=True)
        except OSError:
            continue


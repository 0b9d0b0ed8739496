"""Writing the site: everything goes into a new folder beside the output, swapped in only on success.

A failed or interrupted build leaves the previous output exactly as it was,
and nothing is ever written outside the output folder.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

from .errors import SourceError
from .outputdir import (MARKER, OutputLock, UnsafeOutput, check_output_dir, marker_text, real_output,  # noqa: F401
                        remove_leftovers, swap)
from .reader import refuse_outside, shown, site_roots, walk_files
from .files import RenderedFile, atomic_write

def safe_relative(path: str) -> bool:
    pure = PurePosixPath(path)
    return bool(path) and not pure.is_absolute() and ".." not in pure.parts and "\\" not in path


def static_files(static_dirs: Iterable[Path], roots: Iterable[Path],
                 display: Callable[[Path], str] = str) -> tuple[dict[str, Path], list[SourceError]]:
    """Output path → source file; a later folder's file replaces an earlier one of the same name. Hidden
    files and folders stay out (but .well-known/). A symbolic link may lead anywhere in `roots`; one
    that leads elsewhere is refused."""
    found: dict[str, Path] = {}
    problems: list[SourceError] = []
    visible = lambda name: not name.startswith(".") or name == ".well-known"  # noqa: E731
    for folder in static_dirs:
        files, more = walk_files(folder, roots, display, enter=visible, want=visible)
        problems += more
        for source in files:
            found[source.relative_to(folder).as_posix()] = source
    return found, problems


def media_files(config, roots: Iterable[Path] = ()) -> tuple[dict[str, Path], list[SourceError]]:
    """content/media/ is published as /media/."""
    media = config.content_dir / "media"
    if not media.is_dir():
        return {}, []
    files, problems = static_files([media], roots, config.display)
    return {f"media/{rel}": path for rel, path in files.items()}, problems


def asset_files(site, roots: Iterable[Path] = (), display: Callable[[Path], str] = str
                ) -> tuple[dict[str, Path], list[SourceError]]:
    """Files that articles, pages and weekly notes link to beside their source, published beside their page; a link
    (in the file system) to a file outside the site is refused, naming the document that used it."""
    found: dict[str, Path] = {}
    problems: list[SourceError] = []
    notes = tuple(w.note for w in site.weeks if w.note is not None)
    for doc in (*site.articles, *site.pages, *notes):
        for source, out in doc.assets:
            problem = refuse_outside(source, roots, shown(source, display))
            if problem is not None:
                problems.append(SourceError(doc.source, None, None, f"links to {problem.path}, which {problem.message}"))
            else:
                found[out] = source
    return found, problems


def published_files(theme_static: tuple[Path, ...], config, site) -> tuple[dict[str, Path], list[SourceError]]:
    """Every file copied as it is: theme and site static files, content/media/ and articles' assets."""
    roots = site_roots(config)
    folder = Path(os.path.abspath(config.root))
    # A theme shipped with digest lives outside the site: its links may stay within that theme.
    shipped = tuple(Path(os.path.realpath(d)) for d in theme_static if not Path(os.path.abspath(d)).is_relative_to(folder))
    statics, problems = static_files(theme_static, roots + shipped, config.display)
    media, more = media_files(config, roots)
    assets, more_assets = asset_files(site, roots, config.display)
    return statics | media | assets, problems + more + more_assets


def static_conflicts(pages: Iterable[str], statics: dict[str, Path], display) -> list[SourceError]:
    return [SourceError(display(source), None, None, f"static file would replace the generated {rel}; rename it")
            for rel, source in statics.items() if rel in pages]


class Staging:
    """The new output folder, beside the real one: written page by page, swapped in by commit().

    With no output (digest check) it writes nothing. Forked render workers write into the same folder.
    `in_place` (the output is what the last build left, and only some outputs are rendered again):
    the folder holds only files whose bytes changed, and commit() moves them into the output.
    """

    def __init__(self, output: Path | None, in_place: bool = False):
        self.output = real_output(output) if output is not None else None
        self.in_place = in_place and output is not None
        self.folder: Path | None = None
        self._lock: OutputLock | None = None
        self._made: set[Path] = set()  # folders already created, so each is made once
        if self.output is not None:
            self.output.parent.mkdir(parents=True, exist_ok=True)
            self._lock = OutputLock(self.output)
            try:
                remove_leftovers(self.output)
                self.folder = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.building-", dir=self.output.parent))
                # mkdtemp makes the folder private; a web server must be able to read the site.
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(self.folder, 0o777 & ~umask)
            except BaseException:
                self.discard()
                raise

    def write(self, file: RenderedFile) -> None:
        if self.folder is None:
            return
        if not safe_relative(file.path):
            raise UnsafeOutput(f"refusing to write {file.path!r} outside the output folder")
        target = self.folder / file.path
        same = lambda old: old.read_bytes() == file.data  # noqa: E731
        if self.in_place:
            if not _unchanged(self.output / file.path, same, len(file.data)):
                self._folder_for(target)
                target.write_bytes(file.data)
            return
        self._folder_for(target)
        if not self._keep_previous(file.path, target, same, len(file.data)):
            target.write_bytes(file.data)

    def copy(self, statics: dict[str, Path]) -> None:
        if self.folder is None:
            return
        for rel, source in statics.items():
            target = self.folder / rel
            same = lambda old, source=source: filecmp.cmp(source, old, shallow=False)  # noqa: E731
            if self.in_place:
                if not _unchanged(self.output / rel, same, source.stat().st_size):
                    self._folder_for(target)
                    shutil.copyfile(source, target)
                continue
            self._folder_for(target)
            if not self._keep_previous(rel, target, same, source.stat().st_size):
                shutil.copyfile(source, target)

    def _folder_for(self, target: Path) -> None:
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)

    def _keep_previous(self, rel: str, target: Path, same: Callable[[Path], bool], size: int) -> bool:
        """Link the previous build's file when its bytes are the same: it keeps its mtime, so deploy
        tools and CDNs that sync by date see only what really changed."""
        if self.output is None or not _unchanged(self.output / rel, same, size):
            return False
        try:
            os.link(self.output / rel, target)
        except OSError:  # a filesystem without hard links
            return False
        return True

    def commit(self, finish: Callable[[Path], None] | None = None, stale: Iterable[str] = ()) -> None:
        """Run `finish` on the complete folder (the search index), then swap it in for the output.

        In place: when the search index must be made again, the unchanged files of the output are
        linked into the folder, which is then indexed and swapped in whole like any other build (the
        index is always made into a fresh pagefind/, so a removed page leaves nothing in it); otherwise
        the changed files are moved into the output and the `stale` ones (files the last build wrote
        that this one does not) removed. Either way nothing in the output changes before every step
        that can fail has succeeded.
        """
        if self.folder is None or self.output is None:
            return
        if self.in_place:
            changed = [os.path.relpath(os.path.join(top, name), self.folder)
                       for top, _, names in os.walk(self.folder) for name in names]
            stale = sorted(stale)
            # No page changed and the index is there: it is up to date. (The last build may have been
            # made without one: --no-search, or Pagefind missing then.)
            indexed = (self.output / "pagefind").is_dir()
            if finish is None or (indexed and not any(p.endswith(".html") for p in (*changed, *stale))):
                self._move_in(changed, stale)
                return
            self._link_unchanged(set(changed), set(stale))
        (self.folder / MARKER).write_bytes(marker_text())
        if finish is not None:
            finish(self.folder)
        swap(self.folder, self.output)
        self.folder = None

    def _link_unchanged(self, changed: set[str], stale: set[str]) -> None:
        """Complete the folder with the output's files this build left as they were (hard links, so they
        keep their mtime); not the marker, and not the old search index, which is made again."""
        assert self.folder is not None and self.output is not None
        for top, dirs, names in os.walk(self.output):
            if top == str(self.output):
                dirs[:] = [d for d in dirs if d != "pagefind"]
            for name in names:
                rel = os.path.relpath(os.path.join(top, name), self.output)
                if rel in changed or rel in stale or rel == MARKER:
                    continue
                target = self.folder / rel
                self._folder_for(target)
                try:
                    os.link(self.output / rel, target)
                except OSError:  # a filesystem without hard links
                    shutil.copy2(self.output / rel, target)

    def _move_in(self, changed: list[str], stale: list[str]) -> None:
        assert self.folder is not None and self.output is not None
        if changed or stale:
            # A new marker first: if this is interrupted, the next build no longer trusts the folder
            # (its marker differs from the recorded one) and rebuilds all of it.
            _replace_marker(self.output)
        for rel in sorted(changed):
            target = self.output / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.folder / rel, target)
        for rel in stale:
            _remove_with_empty_parents(self.output, rel)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None

    def discard(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, *exc_info) -> None:
        self.discard()  # after commit() there is nothing left to discard


def _unchanged(old: Path, same: Callable[[Path], bool], size: int) -> bool:
    """The previous build's file has these bytes already (a size check first spares most reads)."""
    try:
        return old.stat().st_size == size and same(old)
    except OSError:  # no previous file
        return False


def _replace_marker(output: Path) -> None:
    atomic_write(output / MARKER, marker_text())


def _remove_with_empty_parents(output: Path, rel: str) -> None:
    if not safe_relative(rel):
        return
    try:
        (output / rel).unlink()
    except OSError:
        return
    parent = (output / rel).parent
    while parent != output:
        try:
            parent.rmdir()  # only succeeds when empty
        except OSError:
            break
        parent = parent.parent



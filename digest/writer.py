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
from .render import RenderedFile

MARKER = ".digest"
_MARKER_TEXT = b"This folder is the output of digest; each build replaces all of it.\n"


class UnsafeOutput(Exception):
    """The output folder would overwrite something that is not an earlier build."""


def safe_relative(path: str) -> bool:
    pure = PurePosixPath(path)
    return bool(path) and not pure.is_absolute() and ".." not in pure.parts and "\\" not in path


def static_files(static_dirs: Iterable[Path]) -> dict[str, Path]:
    """Output path → source file; a later folder's file replaces an earlier one of the same name."""
    found: dict[str, Path] = {}
    for folder in static_dirs:
        for source in sorted(folder.rglob("*")):
            rel = source.relative_to(folder)
            hidden = any(part.startswith(".") and part != ".well-known" for part in rel.parts)
            if source.is_file() and not hidden:
                found[rel.as_posix()] = source
    return found


def media_files(config) -> dict[str, Path]:
    """content/media/ is published as /media/."""
    media = config.content_dir / "media"
    return {f"media/{rel}": path for rel, path in static_files([media]).items()} if media.is_dir() else {}


def asset_files(site) -> dict[str, Path]:
    """Files that articles and pages link to beside their source, published beside their page."""
    return {out: source for doc in (*site.articles, *site.pages) for source, out in doc.assets}


def check_output_dir(output: Path, site_root: Path, source_dirs: Iterable[Path]) -> None:
    """Refuse an output folder that is, holds or sits inside the site's own sources."""
    resolved = output.resolve()
    for source in (site_root, *source_dirs):
        source = source.resolve()
        inside = source in resolved.parents and source != site_root.resolve()
        if resolved == source or resolved in source.parents or inside:
            raise UnsafeOutput(f"the output folder {output} overlaps the site's sources in {source}; "
                               "choose another --output")
    if resolved.is_dir() and any(resolved.iterdir()) and not (resolved / MARKER).is_file():
        raise UnsafeOutput(
            f"{output} is not empty and was not written by digest; move its files away or choose another --output"
        )
    if resolved.exists() and not resolved.is_dir():
        raise UnsafeOutput(f"{output} is a file, not a folder; choose another --output")


def static_conflicts(pages: set[str], statics: dict[str, Path], display) -> list[SourceError]:
    return [SourceError(display(source), None, None, f"static file would replace the generated {rel}; rename it")
            for rel, source in statics.items() if rel in pages]


class Staging:
    """The new output folder, beside the real one: written page by page, swapped in by commit().

    With no output (digest check) it writes nothing. Forked render workers write into the same folder.
    """

    def __init__(self, output: Path | None):
        self.output = output
        self.folder: Path | None = None
        self._made: set[Path] = set()  # folders already created, so each is made once
        if output is not None:
            output.parent.mkdir(parents=True, exist_ok=True)
            self.folder = Path(tempfile.mkdtemp(prefix=f".{output.name}.building-", dir=output.parent))
            # mkdtemp makes the folder private; a web server must be able to read the site.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self.folder, 0o777 & ~umask)

    def write(self, file: RenderedFile) -> None:
        if self.folder is None:
            return
        if not safe_relative(file.path):
            raise UnsafeOutput(f"refusing to write {file.path!r} outside the output folder")
        target = self.folder / file.path
        self._folder_for(target)
        if not self._keep_previous(file.path, target, lambda old: old.read_bytes() == file.data, len(file.data)):
            target.write_bytes(file.data)

    def copy(self, statics: dict[str, Path]) -> None:
        if self.folder is None:
            return
        for rel, source in statics.items():
            target = self.folder / rel
            self._folder_for(target)
            same = lambda old, source=source: filecmp.cmp(source, old, shallow=False)  # noqa: E731
            if not self._keep_previous(rel, target, same, source.stat().st_size):
                shutil.copyfile(source, target)

    def _folder_for(self, target: Path) -> None:
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)

    def _keep_previous(self, rel: str, target: Path, same: Callable[[Path], bool], size: int) -> bool:
        """Link the previous build's file when its bytes are the same: it keeps its mtime, so deploy
        tools and CDNs that sync by date see only what really changed."""
        if self.output is None:
            return False
        old = self.output / rel
        try:
            if old.stat().st_size != size or not same(old):
                return False
            os.link(old, target)
        except OSError:  # no previous file, or a filesystem without hard links
            return False
        return True

    def commit(self, finish: Callable[[Path], None] | None = None) -> None:
        """Run `finish` on the complete folder (the search index), then swap it in for the output."""
        if self.folder is None or self.output is None:
            return
        (self.folder / MARKER).write_bytes(_MARKER_TEXT)
        if finish is not None:
            finish(self.folder)
        _swap(self.folder, self.output)
        self.folder = None

    def discard(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, *exc_info) -> None:
        self.discard()  # after commit() there is nothing left to discard


def write_tree(files: list[RenderedFile], statics: dict[str, Path], output: Path,
               finish: Callable[[Path], None] | None = None) -> None:
    """Write a whole site at once (used by tests and small tools); the build streams through Staging."""
    with Staging(output) as stage:
        stage.copy(statics)
        for file in files:
            stage.write(file)
        stage.commit(finish)


def _swap(building: Path, output: Path) -> None:
    if not output.exists():
        os.rename(building, output)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    old.rmdir()
    os.rename(output, old)
    try:
        os.rename(building, output)
    except BaseException:
        os.rename(old, output)
        raise
    shutil.rmtree(old, ignore_errors=True)

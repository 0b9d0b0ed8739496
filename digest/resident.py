"""The preview's build: kept in memory between saves, so a save costs what changed, not the site's size.

After the first build, `ResidentBuild` holds the `Tracker` (parsed records, how
each output was made) and the site model. On a save it:

1. `quick_page()`: when one published article changed in a way that moves no
   other page (its slug, date, companies, tags, authors, events and corrections
   are as they were), parses that file alone and writes its page straight away,
   rendered against the site model it already has: the same bytes a full build
   makes, in the time one Markdown file takes;
2. `rebuild()`: runs the incremental build with the watcher's list of changed
   files, so unchanged sources are not even stat-ed, and only outputs whose
   inputs changed are rendered and written.

The output folder lives in `.digest-cache/preview-<port>/`, so a preview started
again on that port finds its last output and its records (`close()` writes them).

While the first build renders, `on_demand` makes any page a browser asks for
alone, from the planned site (`OnDemand`): the first page is on screen once the
site model is made, not once every page is written. A save meanwhile that
`quick_page()` could show is shown by `OnDemand.show_saved()` (the same
`saved_article()` test), and built once the first build is over.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Callable, Iterable

from .config import SiteConfig, load_config
from .content import parse_document
from .errors import BuildFailed, SourceError
from .files import atomic_write
from .incremental import Tracker
from .links import resolve_document
from .parallel import forks_held_off
from .pipeline import BuildOptions, BuildReport, PlannedSite, build, open_tracker
from .render import PageUnit
from .theme import make_env
from .themedirs import find_theme
from .units import RenderContext

if TYPE_CHECKING:
    from .site import Site

# What places an article among other pages: while these are unchanged, an edit changes its own page first.
_PLACING_FIELDS = ("slug", "date", "draft", "companies", "tags", "authors", "events", "corrections", "updated",
                   "image", "images")  # a new picture needs its resized files: a full rebuild writes them


@dataclass(frozen=True, slots=True)
class Outcome:
    """One rebuild, for the terminal and the browser."""

    seconds: float
    rendered: int  # outputs rendered
    problems: tuple[SourceError, ...]  # errors, or the warnings of a good build
    failed: bool
    report: BuildReport | None = None


class OnDemand:
    """Outputs of a planned build made one at a time on request, in memory, while that build renders them
    all: the bytes the build writes (same site model, same units). Called from the server's threads."""

    def __init__(self, planned: PlannedSite):
        self.planned = planned
        self.units = {path: unit for unit in planned.units for path in unit.paths}
        self._lock = threading.Lock()
        self._env = None

    def show_saved(self, changes: Iterable[Path]) -> str | None:
        """A save while the build renders: when it is the text of one published article and moves no other
        page (see `saved_article`), that article's page is made from the saved text from now on; returns its
        site path. Called on the build's own thread, between its steps, so parsing has the main thread's
        time limit and no worker is forked meanwhile."""
        record = saved_article(changes, self.planned.config, self.planned.site)
        if record is None:
            return None
        page = article_page(record)
        with self._lock:
            self.units.update((path, page) for path in page.paths)
        return record.path

    def file(self, path: str) -> bytes | None:
        """The bytes of the output file at `path` (relative to the output folder), or None if there is none;
        BuildFailed when its template fails (the build will fail on it too)."""
        if path in self.planned.statics:
            return self.planned.statics[path].read_bytes()
        planned = self.planned
        with self._lock, forks_held_off():
            unit = self.units.get(path)
            if unit is None:
                return None
            if self._env is None:
                # An environment of its own: the build's renders on the main thread share nothing with these.
                self._env = make_env(planned.config, planned.theme).overlay()
            rendered = unit.render(RenderContext(self._env, planned.site, planned.config, planned.theme.templates))
        if rendered.problems:
            raise BuildFailed(list(rendered.problems))
        return next((f.data for f in rendered.files if f.path == path), None)

    def is_folder(self, path: str) -> bool:
        return f"{path.strip('/')}/index.html" in self.units


class ResidentBuild:
    def __init__(self, config_file: Path, output: Path, base_url: str, options: BuildOptions,
                 on_demand: Callable[[OnDemand | None], None] = lambda _: None):
        self.config_file = config_file
        self.output = output
        self.base_url = base_url
        self.options = options
        self.on_demand = on_demand  # told when the first build can make pages on request, and when it is over
        self.config: SiteConfig | None = None
        self.tracker: Tracker | None = None  # of the last good build
        self.report: BuildReport | None = None  # of the last good build
        self.env = None
        self.changes: set[Path] = set()  # files changed since the last good build
        self.dirty: set[str] = set()  # output files written by quick_page since the last good build

    def _load(self) -> SiteConfig:
        return load_config(self.config_file, output_dir=self.output, base_url=self.base_url)

    def rebuild(self, changes: Iterable[Path] | None = None) -> Outcome:
        """A build from the records of the last good build, kept in memory; `changes` None (the first
        build) starts from what `.digest-cache/` holds, as does a change to the config or the theme."""
        started = time.perf_counter()
        if changes is None:
            self.tracker = None
        else:
            self.changes |= set(changes)
        try:
            config = self._load()
            if self.tracker is None or config != self.config or _touches_theme(self.changes, config):
                tracker = open_tracker(config, self.options, find_theme(config)[0], resident=True)
                self.env = None
            else:
                tracker = self.tracker.next_build(config, self.changes, self.dirty)
            self.config = config
            first = changes is None
            options = self.options
            if first:
                options = dataclasses.replace(options, planned=lambda planned: self.on_demand(OnDemand(planned)))
            try:
                report = build(config, options, tracker)
            finally:
                if first:
                    self.on_demand(None)
        except BuildFailed as failure:
            # Nothing was written: the next build starts again from the last good one, with every change since.
            return Outcome(time.perf_counter() - started, 0, failure.problems, True)
        self.tracker, self.changes, self.dirty = tracker, set(), set()
        if report.site is not None:
            self.report = report
        return Outcome(time.perf_counter() - started, report.rendered, report.warnings, False, report)

    def quick_page(self, changes: Iterable[Path]) -> str | None:
        """Write the page of the one article that changed, when that edit moves no other page; returns its
        site path, or None when only a full rebuild can tell."""
        made = self._saved_page(changes)
        if made is None:
            return None
        path, files = made
        for file in files:
            atomic_write(self.config.output_dir / file.path, file.data)
            self.dirty.add(file.path)
        return path

    def page_while_building(self, changes: Iterable[Path]) -> dict[str, bytes] | None:
        """What `quick_page` would write, made in memory and not written: for a save made while a rebuild
        runs (the rebuild owns the folder meanwhile). Called from another thread than the rebuild's, so no
        worker is forked while it parses and renders."""
        with forks_held_off():
            made = self._saved_page(changes)
        return None if made is None else {file.path: file.data for file in made[1]}

    def _saved_page(self, changes: Iterable[Path]):
        """(site path, files) of the page of the one article that changed, rendered against the last good
        build's model, when that edit moves no other page; else None."""
        config, report = self.config, self.report
        if config is None or report is None or report.site is None:
            return None
        record = saved_article(changes, config, report.site)
        if record is None:
            return None
        site = report.site
        theme, _ = find_theme(config)
        if theme is None:
            return None
        env = self.env
        if env is None:
            env = self.env = make_env(config, theme)
        rendered = article_page(record).render(RenderContext(env, site, config, theme.templates))
        if rendered.problems:
            return None
        return record.path, rendered.files

    def close(self) -> None:
        """Keep the records on disk for the next start."""
        if self.tracker is not None and self.tracker.this_build is not None:
            self.tracker.persist()


def saved_article(changes: Iterable[Path], config: SiteConfig, site: Site):
    """The article as saved, when `changes` are the text of one published article of `site` and the edit
    moves no other page (its slug, date, companies, tags, authors, events and corrections are as they
    were) and has no problem; else None: only a full rebuild can tell."""
    # Editors save through a temporary file renamed over the article: only existing sources count.
    sources = [p for p in changes if p.suffix in (".md", ".yaml", ".yml") or p.exists()]
    if len(sources) != 1:
        return None
    path = sources[0]
    if path.suffix != ".md" or not path.is_file() or config.content_dir / "articles" not in path.parents:
        return None
    key = path.resolve().relative_to(config.content_dir.resolve()).as_posix()
    before = next((a for a in site.articles if a.source_key == key), None)
    if before is None:
        return None
    record, problems, _, _ = parse_document("article", path, config)
    if record is None or problems or any(getattr(record, f) != getattr(before, f) for f in _PLACING_FIELDS):
        return None
    targets = {d.source_key: d for d in (*site.articles, *site.pages)}  # the published ones
    found: list[SourceError] = []
    record = resolve_document(record, targets, config.base_path, lambda _: True, found)
    return None if found else record


def article_page(article) -> PageUnit:
    return PageUnit(article.path, "article.html", MappingProxyType({"page_path": article.path, "article": article}),
                    article.source)


def _touches_theme(changes: set[Path], config: SiteConfig) -> bool:
    """Templates and static files are read whole by every build: a change to them starts from the disk."""
    roots = (config.templates_dir, config.static_dir, config.themes_dir, config.config_file)
    return any(path == root or root in path.parents for path in changes for root in roots)


"""The build, read top to bottom: the only place that orders the stages.

find → parse → link → model → plan → render → write → index. What is incremental
(which sources to parse again, which units to render again) is the `Tracker`'s
business; `build()` only asks it.
"""

from __future__ import annotations

import dataclasses
import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Callable, Mapping

from . import collector, i18n, search
from .config import SiteConfig
from .errors import BuildFailed, SourceError, has_errors
from .incremental import Tracker
from .progress import Progress, no_progress
from .themedirs import ThemeDirs, find_theme, site_language

if TYPE_CHECKING:
    from .content import Article, Content
    from .linkcheck import LinkChecker
    from .reader import SourceFiles
    from .site import Site
    from .units import RenderContext, Unit
    from .writer import Staging


@dataclass(frozen=True, slots=True)
class BuildOptions:
    drafts: bool = False  # publish drafts too
    strict: bool = False  # warnings fail the build
    write: bool = True  # False for `digest check`: validate everything, write nothing
    future: bool = False  # publish articles dated in the future too
    now: datetime | None = None  # when the build runs; None: the clock, or SOURCE_DATE_EPOCH when set
    search: bool = True  # build the Pagefind index when Pagefind is installed
    jobs: int = 1  # processes for parsing and rendering
    cache: bool = True  # reuse unchanged sources' parsed records from .digest-cache/
    progress: Progress = no_progress  # told the stage and count as the build goes
    planned: Callable[["PlannedSite"], None] | None = None  # told what will be rendered, before it is


@dataclass(frozen=True, slots=True)
class PlannedSite:
    """What a build knows once it has planned, before it renders: enough to make any one output alone (the
    preview serves pages on request while its first build renders them all)."""

    site: Site
    config: SiteConfig
    theme: ThemeDirs
    units: tuple[Unit, ...]
    statics: Mapping[str, Path]  # output path → the file copied there as it is


@dataclass(frozen=True, slots=True)
class SiteCounts:
    articles: int
    companies: int
    tags: int


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A draft or a scheduled article as the report names it. Not the record: the report is kept for the next
    build that finds nothing changed, which reads it without importing the record types."""

    source: str
    title: str | None
    date: datetime | None

    @classmethod
    def of(cls, document) -> "LeftOut":
        return cls(document.source, document.title, getattr(document, "date", None))


@dataclass(frozen=True, slots=True)
class BuildReport:
    site: Site | None  # None when nothing changed since the last build and it was not made again
    counts: SiteCounts
    files: int
    drafts: tuple[LeftOut, ...]  # drafts (articles, pages and weekly notes)
    scheduled: tuple[LeftOut, ...]  # articles dated after the build, soonest first
    warnings: tuple[SourceError, ...]
    seconds: float
    notes: tuple[str, ...] = ()  # things the writer should know that are not problems
    reused: int = 0  # sources whose parsed record came from the cache
    rendered: int = 0  # output units rendered (the others were as the last build left them)
    stages: tuple[tuple[str, float], ...] = ()  # seconds spent in each stage, in order


def build(config: SiteConfig, options: BuildOptions, tracker: Tracker | None = None) -> BuildReport:
    """Build the site. `tracker`: what a resident preview kept from its last build (see `open_tracker`)."""
    try:
        return _build(config, options, tracker)
    finally:
        collector.release()  # a preview's next build leaves this one's model to be collected


def _build(config: SiteConfig, options: BuildOptions, tracker: Tracker | None) -> BuildReport:
    clock = StageClock()
    now = build_time(options)
    theme, problems = find_theme(config)
    site_language(config, theme)  # also when a resident preview hands in its tracker: see open_tracker
    tracker = tracker or open_tracker(config, options, theme)
    if (last := tracker.unchanged(now)) is not None:
        return dataclasses.replace(last, seconds=clock.total(), rendered=0, stages=clock.done("checking inputs"))
    clock.done("checking inputs")
    # The stages are imported only now: a build that finds nothing changed makes nothing, and loading
    # Markdown, Jinja, Pillow, lxml and feedgen for it took longer than the check itself (10,000 articles).
    from .aliases import renamed
    from .bodyreads import noting_bodies
    from .feeds import count_carriers
    from .linkcheck import LinkChecker
    from .links import resolve_links
    from .planning import plan_units
    from .reader import find_sources
    from .render import one_per_template
    from .site import Publishing, build_site
    from .theme import make_env
    from .units import RenderContext
    from .writer import Staging, published_files, static_conflicts

    publishing = Publishing(now, drafts=options.drafts, future=options.future)

    sources, more = find_sources(config)                                                 # find
    problems += more
    # Not paused: parsing makes garbage of its own, here or in a forked worker (see collector.py). The parse
    # cache itself is read with the collector paused (sealed.load).
    content, more = parse_sources(sources, config, tracker, options.jobs, options.progress)  # parse
    problems += more
    clock.done("reading sources")
    with collector.paused():  # what these stages make lives as long as the build
        failed = {p.path for p in problems if p.severity == "error"}
        content, more = resolve_links(content, config.base_path, publishing.publishes,   # link
                                      lambda key: config.display(config.content_dir / key) in failed)
        problems += more
        with noting_bodies(set()) as model_read:  # whether an edit to a body alone can change the model
            site, more = build_site(content, config, publishing, tracker.remembered())  # model
            tracker.save_model()
            problems += more
            plan = plan_units(site, config, publishing.now)                              # plan
        statics, more = published_files(theme.static, config, site) if theme else ({}, [])
        problems += [*more, *plan.problems, *static_conflicts(plan.paths, statics, config.display)]
    clock.done("site model")
    if not options.write:  # `digest check`: before a build replaces the record of the last one
        problems += renamed(site, config, plan.paths | frozenset(statics))
    if has_errors(problems, strict=options.strict) or theme is None:
        raise BuildFailed(problems)  # nothing rendered or written yet
    if options.write:
        _check_output(config)
    if options.planned is not None:
        options.planned(PlannedSite(site, config, theme, tuple(plan.units), MappingProxyType(statics)))

    written = plan.paths | frozenset(statics)
    with Staging(config.output_dir if options.write else None, in_place=tracker.in_place) as staging:
        tracker.begin(site, theme.templates, content.articles, publishing.now, bool(model_read))
        env = make_env(config, theme, compiled_cache=options.cache)
        renderer = RenderContext(env, site, config, theme.templates)
        links = LinkChecker(set(written), config.base_path, plan.origins)
        current = tracker.current(plan.units, plan.from_bodies)
        clock.done("finding changed outputs")
        todo = [unit for unit in plan.units if unit.id not in current]
        count_carriers(todo, renderer)  # feed items are let go after their last feed
        found = render_units(todo, renderer, staging, links, tracker, options)          # render + write
        if tracker.stale(written):  # a file the last build wrote is gone: kept pages may link to it
            found += links.check_files(tracker.kept_files(current), config.output_dir)
        problems += one_per_template(found)
        if has_errors(problems, strict=options.strict):
            raise BuildFailed(problems)
        clock.done("rendering")
        staging.copy(statics)
        index, notes = search.indexer(options.write and options.search)
        options.progress("writing", 0, 1)
        try:
            staging.commit(finish=index, stale=tracker.stale(written))                  # write + index
        except search.SearchIndexFailed as exc:
            raise BuildFailed([SourceError("pagefind", None, None, f"search index failed: {exc}")]) from exc
        clock.done("writing" + (" and indexing" if index else ""))

    drafts, scheduled = publishing.left_out(content)
    report = BuildReport(site, SiteCounts(len(site.articles), len(site.companies), len(site.tags)), len(written),
                         tuple(map(LeftOut.of, drafts)), tuple(map(LeftOut.of, scheduled)), tuple(p for p in problems if p.severity == "warning"), clock.total(),
                         (*notes, *tracker.notes()), tracker.reused, len(todo), clock.done())
    tracker.save(dataclasses.replace(report, site=None, reused=len(sources.articles) + len(sources.pages) + len(sources.notes)),
                 written, valid_until=None if options.future else _next_change(scheduled, site, publishing.now, config))
    return report


def open_tracker(config: SiteConfig, options: BuildOptions, theme: ThemeDirs | None, *,
                 resident: bool = False) -> Tracker:
    """What the last build left in .digest-cache/, for a build with these options (`resident`: for a preview,
    see `Tracker.open`). Makes the site's language the active one first: parsing writes a word or two of
    it, and its catalogs are inputs."""
    site_language(config, theme)
    catalogs = i18n.locale_dirs(config.root, theme.templates) if theme else ()
    return Tracker.open(config, (*theme.templates, *theme.static, *catalogs) if theme else (), _settings(options),
                        parse=options.cache, outputs=options.cache and options.write and theme is not None,
                        resident=resident)


def parse_sources(sources: SourceFiles, config: SiteConfig, tracker: Tracker, jobs: int,
                  progress: Progress) -> tuple[Content, list[SourceError]]:
    """Every article, page and weekly note: unchanged ones from the parse cache, the others parsed over `jobs`
    processes; then the content assembled from them in source order."""
    from .content import assemble_content, parse_document
    from .incremental import SourceStamp
    from .parallel import map_in_order

    items = [("article", p) for p in sources.articles] + [("page", p) for p in sources.pages] \
        + [("note", p) for p in sources.notes]
    records = [tracker.parsed(path) for _, path in items]
    todo = [i for i, record in enumerate(records) if record is None]
    progress("reading sources", 0, len(todo))
    parsed = map_in_order(lambda i: parse_document(*items[i], config), todo, jobs,
                          done=lambda n: progress("reading sources", n, len(todo)))
    problems_of: dict[int, list[SourceError]] = {}
    for i, (record, found, stat, raw) in zip(todo, parsed):
        records[i], problems_of[i] = record, found
        if record is not None and not found:
            tracker.remember(items[i][1], SourceStamp.of(stat, raw), record)
    tracker.save_parsed()
    return assemble_content([(kind, records[i], problems_of.get(i, [])) for i, (kind, _) in enumerate(items)],
                            sources.profiles, config)


def render_units(units: list[Unit], renderer: RenderContext, staging: Staging, links: LinkChecker,
                 tracker: Tracker, options: BuildOptions) -> list[SourceError]:
    """Render each unit, write its files and check their links, over `jobs` forked processes (each
    writes its own files, so no page's bytes travel between processes); the tracker keeps how each was
    made. Returns the problems found."""
    from .bodyreads import noting_bodies
    from .parallel import map_in_order

    def make(unit: Unit):
        with noting_bodies(set()) as bodies:
            rendered = unit.render(renderer)
        if bodies - rendered.reads:
            rendered = dataclasses.replace(rendered, reads=rendered.reads | bodies)
        if rendered.problems:
            return list(rendered.problems), None
        found = []
        for file in rendered.files:
            staging.write(file)
            found += links.check(file)
        return found, tracker.made(unit, rendered)

    options.progress("rendering", 0, len(units))
    results = map_in_order(make, units, options.jobs, min_per_job=200,
                           done=lambda n: options.progress("rendering", n, len(units)))
    for unit, (_, made) in zip(units, results):
        tracker.record(unit.id, made)
    return [problem for found, _ in results for problem in found]


class StageClock:
    """Wall time per stage, for --verbose and for finding where a slow build spends it."""

    def __init__(self) -> None:
        self.started = self.mark = time.perf_counter()
        self.times: list[tuple[str, float]] = []

    def done(self, stage: str | None = None) -> tuple[tuple[str, float], ...]:
        if stage is not None:
            now = time.perf_counter()
            self.times.append((stage, now - self.mark))
            self.mark = now
        return tuple(self.times)

    def total(self) -> float:
        return time.perf_counter() - self.started


def _next_change(scheduled: tuple[Article, ...], site: Site, now: datetime, config: SiteConfig) -> datetime | None:
    """When the same inputs start to make another site: the first scheduled article comes out, the
    running week ends and its issue enters the weekly feeds, or the quarter the home page counts ends."""
    from .frontpage import next_quarter
    from .weekly import issues_due_at

    times = [t for t in (scheduled[0].date if scheduled else None, issues_due_at(site),
                         next_quarter(now, config.timezone)) if t is not None]
    return min(times, default=None)


def _settings(options: BuildOptions):
    """The options that change what a build makes, for the nothing-changed check."""
    return (options.drafts, options.future, options.strict,
            options.search and search.pagefind_command() is not None)


def _check_output(config: SiteConfig) -> None:
    from .writer import UnsafeOutput, check_output_dir

    try:
        check_output_dir(config.output_dir, config.root, config.source_dirs)
    except UnsafeOutput as exc:
        raise BuildFailed([SourceError(config.display(config.output_dir), None, None, str(exc))]) from exc


def build_time(options: BuildOptions) -> datetime:
    """The moment that decides which scheduled articles are out: reproducible with SOURCE_DATE_EPOCH."""
    if options.now is not None:
        return options.now
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(timezone.utc)

"""The build, read top to bottom: the only place that orders the stages."""

from __future__ import annotations

import dataclasses
import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import feeds, lastbuild, opendata, search, seo
from .config import SiteConfig
from .cache import build_key, environment_key, open_cache
from .depends import Fingerprints, Read, in_order, unrecorded
from .lastbuild import Made
from .content import Article, parse_content
from .errors import BuildFailed, SourceError, has_errors
from .linkcheck import LinkChecker
from .links import resolve_links
from .parallel import map_in_order
from .progress import Progress, no_progress
from .reader import find_sources
from .render import Output, RenderedFile, article_content, one_per_template, plan_outputs, render_page
from .site import Publishing, Site, build_site
from .theme import ThemeDirs, find_theme, make_env
from .writer import MARKER, Staging, UnsafeOutput, check_output_dir, published_files, static_conflicts


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


@dataclass(frozen=True, slots=True)
class SiteCounts:
    articles: int
    companies: int
    tags: int


@dataclass(frozen=True, slots=True)
class BuildReport:
    site: Site | None  # None when nothing changed since the last build and it was not made again
    counts: SiteCounts
    files: int
    drafts: tuple[Article, ...]  # left out: drafts
    scheduled: tuple[Article, ...]  # left out: dated after the build, soonest first
    warnings: tuple[SourceError, ...]
    seconds: float
    notes: tuple[str, ...] = ()  # things the writer should know that are not problems
    reused: int = 0  # sources whose parsed record came from the cache
    rendered: int = 0  # pages and feeds rendered (the others were as the last build left them)
    stages: tuple[tuple[str, float], ...] = ()  # seconds spent in each stage, in order


class _Stages:
    """Wall time per stage, for --verbose and for finding where a slow build spends it."""

    def __init__(self) -> None:
        self.times: list[tuple[str, float]] = []
        self.mark = time.perf_counter()

    def done(self, stage: str) -> None:
        now = time.perf_counter()
        self.times.append((stage, now - self.mark))
        self.mark = now


def build(config: SiteConfig, options: BuildOptions) -> BuildReport:
    started = time.perf_counter()
    stages = _Stages()
    progress = options.progress
    publishing = Publishing(build_time(options), drafts=options.drafts, future=options.future)
    theme, theme_problems = find_theme(config)
    incremental = options.cache and options.write and theme is not None
    last = lastbuild.load(config.root, config.output_dir, config.output_dir / MARKER) if incremental else None
    inputs = _input_fingerprint(config, theme, options) if incremental else ""
    if last is not None and last.inputs == inputs and (last.valid_until is None or publishing.now < last.valid_until) \
            and all(os.path.isfile(config.output_dir / path) for path in last.paths):
        stages.done("checking inputs")
        return dataclasses.replace(last.report, seconds=time.perf_counter() - started, rendered=0,
                                   stages=tuple(stages.times))
    stages.done("checking inputs")

    sources, problems = find_sources(config)
    parsed = open_cache(config) if options.cache else None
    content, more = parse_content(sources, config, options.jobs, parsed, progress)
    problems += more
    if parsed is not None:
        parsed.save()
    stages.done("reading sources")
    content, more = resolve_links(content, config.base_path, publishing.publishes)
    problems += more
    site, more = build_site(content, config, publishing)
    problems += more
    problems += theme_problems
    outputs, more = plan_outputs(site, config)
    problems += more
    site_feeds = feeds.plan_feeds(site, config)
    statics, more = published_files(theme.static, config, site) if theme else ({}, [])
    problems += more
    generated = {o.path for o in outputs} | {p for f in site_feeds for p in f.paths()} | set(seo.SITEMAPS) \
        | set(opendata.DATA_FILES)
    problems += static_conflicts(generated, statics, config.display)
    stages.done("site model")
    if has_errors(problems, strict=options.strict) or theme is None:
        raise BuildFailed(problems)  # nothing rendered or written yet

    if options.write:
        try:
            check_output_dir(config.output_dir, config.root, _source_dirs(config))
        except UnsafeOutput as exc:
            raise BuildFailed([SourceError(config.display(config.output_dir), None, None, str(exc))]) from exc
    notes: list[str] = []
    written = frozenset(generated | set(statics))
    with Staging(config.output_dir if options.write else None, in_place=last is not None) as stage:
        env = make_env(config, theme)
        fingerprints = Fingerprints(site, build_key(config, theme.templates))
        links = LinkChecker(generated | set(statics), config.base_path, {o.path: o.origin for o in outputs})
        item_of = feeds.item_maker(site, config, article_content(env, site, config))

        def render_unit(unit: Output | feeds.Feed) -> tuple[list[SourceError], Made | None]:
            """Render one page or feed, check its links and write it; runs in a worker process."""
            if isinstance(unit, Output):
                reads: set[Read] = set()
                file, problem = render_page(unit, env, site, config, theme.templates, reads)
                if problem:
                    return [problem], None
                files, reads = [file], frozenset(reads)
            else:
                files, reads = feeds.render_feed(unit, config, item_of)
            found = []
            for file in files:
                stage.write(file)
                found += links.check(file)
            ordered = in_order(reads)
            return found, Made(fingerprints.key(_identity(unit), ordered, _context(unit)), ordered,
                               tuple(f.path for f in files))

        made = _still_current(last, [*outputs, *site_feeds], fingerprints, config.output_dir)
        todo = [u for u in (*outputs, *site_feeds) if _unit_id(u) not in made]
        stages.done("finding changed outputs")
        progress("rendering", 0, len(todo))
        results = map_in_order(render_unit, todo, options.jobs, min_per_job=200,
                               done=lambda n: progress("rendering", n, len(todo)))
        found = [p for unit_problems, _ in results for p in unit_problems]
        if last is not None and last.paths - written:
            # A file the last build wrote is gone: pages not rendered again may link to it.
            found += _check_again(made, config, links)
        problems += one_per_template(found)
        if has_errors(problems, strict=options.strict):
            raise BuildFailed(problems)
        made.update((_unit_id(u), m) for u, (_, m) in zip(todo, results) if m is not None)
        stages.done("rendering")
        for file in [*opendata.render_data(site, config), seo.sitemap(outputs, config), seo.news_sitemap(site, config)]:
            stage.write(file)
        stage.copy(statics)
        index = search.build_index if options.write and options.search and search.pagefind_command() else None
        if options.write and options.search and index is None:
            notes.append(search.INSTALL_HINT)
        progress("writing", 0, 1)
        try:
            stage.commit(finish=index, stale=last.paths - written if last else ())
        except search.SearchIndexFailed as exc:
            raise BuildFailed([SourceError("pagefind", None, None, f"search index failed: {exc}")]) from exc
        stages.done("writing" + (" and indexing" if index else ""))
    drafts, scheduled = publishing.left_out(content.articles)
    warnings = tuple(p for p in problems if p.severity == "warning")
    report = BuildReport(site, SiteCounts(len(site.articles), len(site.companies), len(site.tags)), len(written),
                         drafts, scheduled, warnings, time.perf_counter() - started, tuple(notes),
                         parsed.hits if parsed else 0, len(todo), tuple(stages.times))
    if incremental:
        marker = lastbuild.marker_stat(config.output_dir / MARKER)
        if marker is not None:
            valid_until = None if options.future or not scheduled else scheduled[0].date
            lastbuild.save(config.root, lastbuild.LastBuild(
                str(config.output_dir.resolve()), marker, made, written, inputs, valid_until,
                dataclasses.replace(report, site=None, reused=len(sources.articles) + len(sources.pages))))
    return report


def _unit_id(unit: Output | feeds.Feed) -> str:
    return unit.path if isinstance(unit, Output) else f"feed:{unit.folder}"


def _identity(unit: Output | feeds.Feed):
    """What an output is, apart from the parts of the site and its context it reads: for a page its
    template and the documents it shows, for a feed the feed with its articles."""
    return (unit.path, unit.template, unrecorded(unit.context)) if isinstance(unit, Output) else unit


def _context(unit: Output | feeds.Feed):
    return unit.context if isinstance(unit, Output) else {}


def _still_current(last: lastbuild.LastBuild | None, units, fingerprints: Fingerprints,
                   output: Path) -> dict[str, Made]:
    """The outputs of the last build whose key is unchanged: their files are what rendering would make."""
    current: dict[str, Made] = {}
    if last is None:
        return current
    for unit in units:
        before = last.made.get(_unit_id(unit))
        if before is None:
            continue
        files = (unit.path,) if isinstance(unit, Output) else tuple(unit.paths())
        if before.files == files and before.key == fingerprints.key(_identity(unit), before.reads, _context(unit)) \
                and all(os.path.isfile(output / f) for f in files):
            current[_unit_id(unit)] = before
    return current


def _check_again(made: dict[str, Made], config: SiteConfig, links: LinkChecker) -> list[SourceError]:
    found = []
    for record in made.values():
        for path in record.files:
            if path.endswith(".html"):
                found += links.check(RenderedFile(path, (config.output_dir / path).read_bytes()))
    return found


def _input_fingerprint(config: SiteConfig, theme: ThemeDirs, options: BuildOptions) -> str:
    """Every file the build reads, and every setting that changes what it makes."""
    settings = (environment_key(config), repr(config), options.drafts, options.future, options.strict,
                options.search and search.pagefind_command() is not None)
    return lastbuild.input_fingerprint((config.content_dir, *theme.templates, *theme.static),
                                       (config.config_file,), settings)


def build_time(options: BuildOptions) -> datetime:
    """The moment that decides which scheduled articles are out: reproducible with SOURCE_DATE_EPOCH."""
    if options.now is not None:
        return options.now
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(timezone.utc)


def _source_dirs(config: SiteConfig):
    """What a build must never overwrite or write into: the site's own sources."""
    return (config.content_dir, config.templates_dir, config.static_dir, config.themes_dir, config.config_file)

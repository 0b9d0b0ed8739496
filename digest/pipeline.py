"""The build, read top to bottom: the only place that orders the stages."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone

from . import feeds, opendata, search, seo
from .config import SiteConfig
from .cache import open_cache
from .content import Article, parse_content
from .errors import BuildFailed, SourceError, has_errors
from .linkcheck import LinkChecker
from .links import resolve_links
from .parallel import map_in_order
from .reader import find_sources
from .render import Output, RenderedFile, article_content, one_per_template, plan_outputs, render_page
from .site import Publishing, Site, build_site
from .theme import find_theme, make_env
from .writer import (Staging, UnsafeOutput, asset_files, check_output_dir, media_files, static_conflicts,
                     static_files)


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


@dataclass(frozen=True, slots=True)
class BuildReport:
    site: Site
    files: int
    drafts: tuple[Article, ...]  # left out: drafts
    scheduled: tuple[Article, ...]  # left out: dated after the build, soonest first
    warnings: tuple[SourceError, ...]
    seconds: float
    notes: tuple[str, ...] = ()  # things the writer should know that are not problems
    reused: int = 0  # sources whose parsed record came from the cache


def build(config: SiteConfig, options: BuildOptions) -> BuildReport:
    started = time.perf_counter()
    publishing = Publishing(build_time(options), drafts=options.drafts, future=options.future)
    sources, problems = find_sources(config)
    parsed = open_cache(config) if options.cache else None
    content, more = parse_content(sources, config, options.jobs, parsed)
    problems += more
    if parsed is not None:
        parsed.save()
    content, more = resolve_links(content, config.base_path, publishing.publishes)
    problems += more
    site, more = build_site(content, config, publishing)
    problems += more
    theme, more = find_theme(config)
    problems += more
    outputs, more = plan_outputs(site, config)
    problems += more
    site_feeds = feeds.plan_feeds(site, config)
    statics = static_files(theme.static) | media_files(config) | asset_files(site) if theme else {}
    generated = {o.path for o in outputs} | {p for f in site_feeds for p in f.paths()} | set(seo.SITEMAPS) \
        | set(opendata.DATA_FILES)
    problems += static_conflicts(generated, statics, config.display)
    if has_errors(problems, strict=options.strict) or theme is None:
        raise BuildFailed(problems)  # nothing rendered or written yet

    if options.write:
        try:
            check_output_dir(config.output_dir, config.root, _source_dirs(config))
        except UnsafeOutput as exc:
            raise BuildFailed([SourceError(config.display(config.output_dir), None, None, str(exc))]) from exc
    notes: list[str] = []
    with Staging(config.output_dir if options.write else None) as stage:
        env = make_env(config, theme)
        links = LinkChecker(generated | set(statics), config.base_path, {o.path: o.origin for o in outputs})
        item_of = feeds.item_maker(site, config, article_content(env, site, config))

        def render_unit(unit: Output | feeds.Feed) -> list[SourceError]:
            """Render one page or feed, check its links and write it; runs in a worker process."""
            if isinstance(unit, Output):
                file, problem = render_page(unit, env, site, config, theme.templates)
                if problem:
                    return [problem]
                files = [file]
            else:
                files = feeds.render_feed(unit, config, item_of)
            found = []
            for file in files:
                stage.write(file)
                found += links.check(file)
            return found

        found = map_in_order(render_unit, [*outputs, *site_feeds], options.jobs, min_per_job=200)
        problems += one_per_template([p for unit_problems in found for p in unit_problems])
        if has_errors(problems, strict=options.strict):
            raise BuildFailed(problems)
        for file in [*opendata.render_data(site, config), seo.sitemap(outputs, config), seo.news_sitemap(site, config)]:
            stage.write(file)
        stage.copy(statics)
        index = search.build_index if options.write and options.search and search.pagefind_command() else None
        if options.write and options.search and index is None:
            notes.append(search.INSTALL_HINT)
        try:
            stage.commit(finish=index)
        except search.SearchIndexFailed as exc:
            raise BuildFailed([SourceError("pagefind", None, None, f"search index failed: {exc}")]) from exc
    drafts, scheduled = publishing.left_out(content.articles)
    warnings = tuple(p for p in problems if p.severity == "warning")
    return BuildReport(site, len(generated) + len(statics), drafts, scheduled, warnings,
                       time.perf_counter() - started, tuple(notes), parsed.hits if parsed else 0)


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

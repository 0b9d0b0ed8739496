"""The build, read top to bottom: the only place that orders the stages."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone

from . import feeds, opendata, search, seo
from .config import SiteConfig
from .content import Article, parse_content
from .linkcheck import check_links
from .links import resolve_links
from .errors import BuildFailed, SourceError, has_errors
from .reader import read_sources
from .render import article_content, plan_outputs, render_outputs
from .site import Publishing, Site, build_site
from .theme import find_theme, make_env
from .writer import (UnsafeOutput, asset_files, check_output_dir, media_files, static_conflicts, static_files,
                     write_tree)


@dataclass(frozen=True, slots=True)
class BuildOptions:
    drafts: bool = False  # publish drafts too
    strict: bool = False  # warnings fail the build
    write: bool = True  # False for `digest check`: validate everything, write nothing
    future: bool = False  # publish articles dated in the future too
    search: bool = True  # build the Pagefind index when Pagefind is installed
    now: datetime | None = None  # when the build runs; None: the clock, or SOURCE_DATE_EPOCH when set


@dataclass(frozen=True, slots=True)
class BuildReport:
    site: Site
    files: int
    drafts: tuple[Article, ...]  # left out: drafts
    scheduled: tuple[Article, ...]  # left out: dated after the build, soonest first
    warnings: tuple[SourceError, ...]
    seconds: float
    notes: tuple[str, ...] = ()  # things the writer should know that are not problems


def build(config: SiteConfig, options: BuildOptions) -> BuildReport:
    started = time.perf_counter()
    publishing = Publishing(build_time(options), drafts=options.drafts, future=options.future)
    sources, problems = read_sources(config)
    content, more = parse_content(sources.articles, sources.pages, sources.profiles, config)
    problems += more
    content, more = resolve_links(content, config.base_path, publishing.publishes)
    problems += more
    site, more = build_site(content, config, publishing)
    problems += more
    theme, more = find_theme(config)
    problems += more
    outputs, more = plan_outputs(site, config)
    problems += more
    if has_errors(problems, strict=options.strict) or theme is None:
        raise BuildFailed(problems)  # nothing rendered or written yet

    env = make_env(config, theme)
    files, more = render_outputs(outputs, env, site, config, theme.templates)
    problems += more
    if not more:
        content_of = article_content(env, site, config)
        for feed in feeds.plan_feeds(site, config, content_of):
            files += feeds.render_feed(feed, config)
        files += opendata.render_data(site, config)
        files += [seo.sitemap(outputs, config), seo.news_sitemap(site, config)]
    statics = static_files(theme.static) | media_files(config) | asset_files(site)
    problems += static_conflicts(files, statics, config.display)
    if not has_errors(problems):  # with pages missing, every link to them would be reported too
        problems += check_links(files, statics, config.base_path, {o.path: o.origin for o in outputs})
    if has_errors(problems, strict=options.strict):
        raise BuildFailed(problems)

    notes: list[str] = []
    if options.write:
        try:
            check_output_dir(config.output_dir, config.root, _source_dirs(config))
        except UnsafeOutput as exc:
            raise BuildFailed([SourceError(config.display(config.output_dir), None, None, str(exc))]) from exc
        index = search.build_index if options.search and search.pagefind_command() else None
        if options.search and index is None:
            notes.append(search.INSTALL_HINT)
        try:
            write_tree(files, statics, config.output_dir, finish=index)
        except search.SearchIndexFailed as exc:
            raise BuildFailed([SourceError("pagefind", None, None, f"search index failed: {exc}")]) from exc
    drafts, scheduled = publishing.left_out(content.articles)
    warnings = tuple(p for p in problems if p.severity == "warning")
    return BuildReport(site, len(files) + len(statics), drafts, scheduled, warnings, time.perf_counter() - started,
                       tuple(notes))


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

"""The build, read top to bottom: the only place that orders the stages."""

from __future__ import annotations

import time
from dataclasses import dataclass

from . import feeds, opendata
from .config import SiteConfig
from .content import parse_content
from .errors import BuildFailed, SourceError, has_errors
from .reader import read_sources
from .render import article_content, plan_outputs, render_outputs
from .site import Site, build_site
from .theme import find_theme, make_env
from .writer import UnsafeOutput, check_output_dir, static_conflicts, static_files, write_tree


@dataclass(frozen=True, slots=True)
class BuildOptions:
    drafts: bool = False  # publish drafts too
    strict: bool = False  # warnings fail the build
    write: bool = True  # False for `digest check`: validate everything, write nothing


@dataclass(frozen=True, slots=True)
class BuildReport:
    site: Site
    files: int
    drafts_left_out: int
    warnings: tuple[SourceError, ...]
    seconds: float


def build(config: SiteConfig, options: BuildOptions) -> BuildReport:
    started = time.perf_counter()
    sources, problems = read_sources(config)
    content, more = parse_content(sources.articles, sources.pages, sources.profiles, config.timezone)
    site, more2 = build_site(content, config, include_drafts=options.drafts)
    theme, more3 = find_theme(config)
    problems += more + more2 + more3
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
    statics = static_files(theme.static)
    problems += static_conflicts(files, statics, config.display)
    if has_errors(problems, strict=options.strict):
        raise BuildFailed(problems)

    if options.write:
        try:
            check_output_dir(config.output_dir, config.root, _source_dirs(config))
        except UnsafeOutput as exc:
            raise BuildFailed([SourceError(config.display(config.output_dir), None, None, str(exc))]) from exc
        write_tree(files, statics, config.output_dir)
    drafts = sum(1 for a in content.articles if a.draft) if not options.drafts else 0
    warnings = tuple(p for p in problems if p.severity == "warning")
    return BuildReport(site, len(files) + len(statics), drafts, warnings, time.perf_counter() - started)


def _source_dirs(config: SiteConfig):
    """What a build must never overwrite or write into: the site's own sources."""
    return (config.content_dir, config.templates_dir, config.static_dir, config.themes_dir, config.config_file)

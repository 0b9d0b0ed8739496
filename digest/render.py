"""Every output the site has, planned (path, template, context), then rendered to bytes.

`plan_outputs()` decides every path in one place, so two writers of one path
are caught before anything renders; `render_outputs()` turns template errors
into located messages that name the template line and the page being made.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import jinja2

from . import urls
from .config import SiteConfig
from .depends import Read, RecordingSite, recording_context
from .errors import SourceError
from .site import Site, paginate


@dataclass(frozen=True, slots=True)
class Output:
    path: str  # the file, relative to the output folder
    template: str
    context: Mapping[str, Any]
    origin: str  # what asked for it, for the duplicate-path message
    lastmod: date | datetime | None = None  # when its content last changed, for the sitemap


@dataclass(frozen=True, slots=True)
class RenderedFile:
    path: str
    data: bytes


def _page(path: str, template: str, origin: str, lastmod: date | datetime | None = None, **context: Any) -> Output:
    return Output(urls.output_file(path), template, MappingProxyType({"page_path": path, **context}), origin, lastmod)


def _newest(articles) -> datetime | None:
    return max(((a.updated or a.date) for a in articles), default=None)


def plan_outputs(site: Site, config: SiteConfig) -> tuple[tuple[Output, ...], list[SourceError]]:
    outputs: list[Output] = []
    newest = _newest(site.articles)
    for pager in paginate(site.articles, config.per_page, ""):
        outputs.append(_page(pager.path, "index.html", "the home page", _newest(pager.items), pager=pager))
    for article in site.articles:
        outputs.append(_page(article.path, "article.html", article.source, article.updated or article.date,
                             article=article))
    for page in site.pages:
        outputs.append(_page(page.path, "page.html", page.source, page=page))
    outputs.append(_page("companies/", "companies.html", "the companies index", newest))
    for company in site.companies:
        for pager in paginate(company.articles, config.per_page, company.ref.path):
            outputs.append(_page(pager.path, "company.html", f"the page of company '{company.ref.name}'",
                                 _newest(pager.items), company=company, pager=pager))
    outputs.append(_page("tags/", "tags.html", "the tags index", newest))
    for tag in site.tags:
        for pager in paginate(tag.articles, config.per_page, tag.ref.path):
            outputs.append(_page(pager.path, "tag.html", f"the page of tag '{tag.ref.name}'", _newest(pager.items),
                                 tag=tag, pager=pager))
    outputs.append(_page("tracker/", "tracker.html", "the tracker", _newest(e.article for e in site.events)))
    outputs.append(_page("data/", "data.html", "the open data page"))
    outputs.append(_page("feeds/", "feeds.html", "the feeds page"))
    outputs.append(_page("search/", "search.html", "the search page"))
    outputs.append(_page("404.html", "404.html", "the not-found page"))
    outputs.append(_page("robots.txt", "robots.txt", "robots.txt"))
    return tuple(outputs), duplicate_paths(outputs)


def duplicate_paths(outputs: list[Output]) -> list[SourceError]:
    """Two things that would write one file: an error naming both (Pelican's writer rule)."""
    owners: dict[str, Output] = {}
    problems = []
    for output in outputs:
        first = owners.setdefault(output.path, output)
        if first is not output:
            problems.append(SourceError(output.origin, None, None,
                                        f"writes {output.path}, which {first.origin} writes too; rename one slug"))
    return problems


def _template_line(exc: BaseException, template_dirs: tuple[Path, ...]) -> tuple[str, int | None]:
    """The template file and line an exception was raised in (Jinja keeps them in the traceback)."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.filename or exc.name or "template", exc.lineno
    roots = tuple(str(d) for d in template_dirs)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.startswith(roots):
            return frame.filename, frame.lineno
    return "template", None


def render_page(output: Output, env: jinja2.Environment, site: Site, config: SiteConfig,
                template_dirs: tuple[Path, ...],
                reads: set[Read] | None = None) -> tuple[RenderedFile | None, SourceError | None]:
    """One page as bytes, or the located problem that stopped it; what its template read of the site and
    of its context goes into `reads`."""
    if reads is not None:
        site = RecordingSite(site, reads)  # type: ignore[assignment]
        context = recording_context(output.context, reads)
    else:
        context = dict(output.context)
    try:
        html = env.get_template(output.template).render({"site": site, "config": config, **context})
    except jinja2.TemplateNotFound as exc:
        return None, SourceError(output.template, None, None,
                                 f"template {exc.name!r} not found in {', '.join(map(str, template_dirs))}")
    except Exception as exc:  # a theme bug must still read as a located message, not a traceback
        path, line = _template_line(exc, template_dirs)
        return None, SourceError(config.display(Path(path)), line, None, f"{exc} (rendering {output.path})")
    return RenderedFile(output.path, html.encode("utf-8")), None


def one_per_template(problems: list[SourceError]) -> list[SourceError]:
    """A broken template breaks every page made with it: say so once."""
    seen, out = set(), []
    for problem in problems:
        key = (problem.path, problem.line, problem.message.split(" (rendering ")[0])
        if key not in seen:
            seen.add(key)
            out.append(problem)
    return out


def article_content(env: jinja2.Environment, site: Site, config: SiteConfig):
    """A function that renders an article's full content (body, takeaways, events, sources) for feeds,
    and says which parts of the site it read."""
    template = env.get_template("_article_content.html")

    def content_of(article) -> tuple[str, frozenset[Read]]:
        reads: set[Read] = set()
        html = template.render(site=RecordingSite(site, reads), config=config, article=article,
                               page_path=article.path)
        return urls.absolutize_links(html, urls.absolute_url(config.base_url, article.path)), frozenset(reads)

    return content_of

"""Pages: the output unit made from a template, and how a template error becomes a located message
that names the template line and the page being made."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Mapping

import jinja2

from . import urls
from .errors import SourceError
from .files import RenderedFile
from .incremental.reads import RecordingSite, recording_context, unrecorded
from .units import RenderContext, Rendered


@dataclass(frozen=True, slots=True)
class PageUnit:
    """One HTML page (or text file) made from a template."""

    page_path: str  # the site path, e.g. 'companies/x/' ('' is the home page)
    template: str
    context: Mapping[str, Any]  # what the template gets besides `site` and `config`; includes page_path
    origin: str  # what asked for it, for messages
    lastmod: date | datetime | None = None  # when its content last changed, for the sitemap
    # The file it writes, worked out once: a build asks for it a quarter of a million times at 10k articles.
    path: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", urls.output_file(self.page_path))

    @property
    def id(self) -> str:
        return self.path

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.path,)

    def identity(self) -> Any:
        """Its path, template and the documents it shows (records of the model are read one attribute at
        a time, and those reads are part of its key instead)."""
        return (self.path, self.template, unrecorded(self.context))

    def render(self, ctx: RenderContext) -> Rendered:
        reads: set = set()
        context = recording_context(self.context, reads)
        try:
            html = ctx.env.get_template(self.template).render(
                {"site": ctx.recording_site(reads), "config": ctx.config, **context})
        except jinja2.TemplateNotFound as exc:
            return Rendered((), frozenset(), (SourceError(
                self.template, None, None,
                f"template {exc.name!r} not found in {', '.join(map(str, ctx.template_dirs))}"),))
        except Exception as exc:  # a theme bug must still read as a located message, not a traceback
            path, line = _template_line(exc, ctx.template_dirs)
            return Rendered((), frozenset(), (SourceError(ctx.config.display(Path(path)), line, None,
                                                          f"{exc} (rendering {self.path})"),))
        return Rendered((RenderedFile(self.path, html.encode("utf-8")),), frozenset(reads))


def shown_once(macro: Any, document: Any, site: Any) -> Any:
    """`macro(document, site)`, made once per build (in each process) for each document and reused by every
    page that shows it: the listing card is called about twelve times per article (home, company, tag,
    author and archive pages, related stories). The reads it made are replayed into each page's record
    (RecordingSite.once), so an edit re-renders exactly the pages a fresh render would. Only for macros
    whose output depends on nothing but the document, the site and the environment, not on the page."""
    if not isinstance(site, RecordingSite):
        return macro(document, site)
    # The document is kept with the output so that its id cannot be reused by another within the build.
    return site.once(("macro", macro.name, id(document)), lambda recording: (document, macro(document, recording)))[1]


def _template_line(exc: BaseException, template_dirs: tuple[Path, ...]) -> tuple[str, int | None]:
    """The template file and line an exception was raised in (Jinja keeps them in the traceback)."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.filename or exc.name or "template", exc.lineno
    roots = tuple(str(d) for d in template_dirs)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.startswith(roots):
            return frame.filename, frame.lineno
    return "template", None


def one_per_template(problems: list[SourceError]) -> list[SourceError]:
    """A broken template breaks every page made with it: say so once."""
    seen, out = set(), []
    for problem in problems:
        key = (problem.path, problem.line, problem.message.split(" (rendering ")[0])
        if key not in seen:
            seen.add(key)
            out.append(problem)
    return out

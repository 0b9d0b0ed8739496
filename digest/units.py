"""Output units: everything the build writes is a unit of one shape.

A unit has an `id` (stable across builds), the `paths` it writes, an `origin`
(what asked for it, for messages), an `identity()` (what it is, apart from what
it reads: its template and the documents it shows), a `context` (values whose
attribute reads are recorded one by one) and a `render(ctx)` that returns its
files and the parts of the site it read. Pages (`render.PageUnit`), feeds
(`feeds.FeedUnit`), sitemaps (`seo`) and open data (`opendata`) are units;
`planning.plan_units()` returns them all in one list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Hashable, Mapping, Protocol

import jinja2

from .config import SiteConfig
from .errors import SourceError
from .files import RenderedFile
from .incremental.reads import Read, RecordingSite


NO_CONTEXT: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Rendered:
    files: tuple[RenderedFile, ...]
    reads: frozenset[Read]
    problems: tuple[SourceError, ...] = ()  # a unit with problems wrote nothing


@dataclass(frozen=True, slots=True)
class RenderContext:
    """What every unit renders with. `memo` holds work shared by units in one process (a feed item is
    made once however many feeds carry the article)."""

    env: jinja2.Environment
    site: Any  # site.Site
    config: SiteConfig
    template_dirs: tuple[Path, ...]
    memo: dict[Hashable, Any] = field(default_factory=dict)

    def recording_site(self, reads: set[Read]) -> RecordingSite:
        """The site as a unit should read it: every part it touches goes into `reads`."""
        return RecordingSite(self.site, reads, self.memo)


class Unit(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def paths(self) -> tuple[str, ...]: ...
    @property
    def origin(self) -> str: ...
    @property
    def context(self) -> Mapping[str, Any]: ...
    def identity(self) -> Any: ...
    def render(self, ctx: RenderContext) -> Rendered: ...


@dataclass(frozen=True, slots=True)
class SiteFileUnit:
    """A file (or a few) made by a function rather than a template: the sitemaps, the open data.

    `shows` is what it is made of, decided at planning (the sitemap's pages, the news sitemap's
    articles); `make(shows, ctx, reads)` returns its files, reading the site through `ctx` and noting
    what it read in `reads`."""

    id: str
    paths: tuple[str, ...]
    origin: str
    shows: Any
    make: Callable[[Any, RenderContext, set[Read]], list[RenderedFile]]

    @property
    def context(self) -> Mapping[str, Any]:
        return NO_CONTEXT

    def identity(self) -> Any:
        return (self.paths, self.shows)

    def render(self, ctx: RenderContext) -> Rendered:
        reads: set[Read] = set()
        files = self.make(self.shows, ctx, reads)
        return Rendered(tuple(files), frozenset(reads))

"""Planning: every output unit of the site decided in one place, in one list.

Pages, feeds, sitemaps and open data all come from `plan_units()`, so two
writers of one path are caught here, before anything renders, and the set of
generated paths (for static-file conflicts and the link check) is this list's.
A new page type is a line here, a unit (usually a `PageUnit`) and a template.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any, Iterable, Mapping

from .aliases import addresses_unit, alias_units
from .archives import months, years
from .authors import author_listings, clashing_authors
from .bodyreads import noting_bodies
from .cards import plan_cards
from .config import SiteConfig
from .corrections import corrections_feed_unit, site_corrections
from .errors import SourceError
from .feeds import FEED_STYLESHEET, plan_feeds
from .frontpage import build_date, front_page
from .images import plan_images
from .newsletter import email_units
from .opendata import open_data_unit
from .plugins import plugin_units
from .render import PageUnit
from .seo import news_sitemap_unit, sitemap_unit
from .site import Site, paginate
from .units import Unit
from .urls import folders_above
from .weeklyfeed import weekly_feed


@dataclass(frozen=True, slots=True)
class Plan:
    units: tuple[Unit, ...]
    problems: tuple[SourceError, ...]  # two units that would write one path
    # Ids of units planned from articles' bodies (their pictures) or by plugins, which may read anything: what
    # they are can change with a body, so an incremental build always keys them (see Tracker.current).
    from_bodies: frozenset[str] = frozenset()

    @property
    def paths(self) -> frozenset[str]:
        return frozenset(path for unit in self.units for path in unit.paths)

    @property
    def origins(self) -> Mapping[str, str]:
        """Output path → what asked for it, for messages about the file."""
        return {path: unit.origin for unit in self.units for path in unit.paths}


def _page(path: str, template: str, origin: str, lastmod=None, **context: Any) -> PageUnit:
    return PageUnit(path, template, MappingProxyType({"page_path": path, **context}), origin, lastmod)


def _newest(articles) -> datetime | None:
    return max(((a.updated or a.date) for a in articles), default=None)


def plan_pages(site: Site, config: SiteConfig, now: datetime | None = None) -> list[PageUnit]:
    pages: list[PageUnit] = []
    newest = _newest(site.articles)
    for pager in paginate(site.articles, config.per_page, ""):
        front = front_page(site.articles, pager.items, site.events, build_date(now, config.timezone)) \
            if pager.number == 1 else None
        pages.append(_page(pager.path, "index.html", "the home page", _newest(pager.items), pager=pager,
                           front=front))
    for article in site.articles:
        pages.append(_page(article.path, "article.html", article.source, article.updated or article.date,
                           article=article))
    for page in site.pages:
        pages.append(_page(page.path, "page.html", page.source, page=page))
    pages.append(_page("companies/", "companies.html", "the companies index", newest))
    for company in site.companies:
        for pager in paginate(company.articles, config.per_page, company.ref.path):
            pages.append(_page(pager.path, "company.html", f"the page of company '{company.ref.name}'",
                               _newest(pager.items), company=company, pager=pager))
    pages.append(_page("tags/", "tags.html", "the tags index", newest))
    for tag in site.tags:
        for pager in paginate(tag.articles, config.per_page, tag.ref.path):
            pages.append(_page(pager.path, "tag.html", f"the page of tag '{tag.ref.name}'", _newest(pager.items),
                               tag=tag, pager=pager))
    listings = author_listings(site.articles, config)
    pages.append(_page("authors/", "authors.html", "the authors index", newest, authors=listings))
    for listing in listings:
        for pager in paginate(listing.articles, config.per_page, listing.ref.path):
            pages.append(_page(pager.path, "author.html", f"the page of author '{listing.ref.slug}'",
                               _newest(pager.items), author=listing.author, author_ref=listing.ref, pager=pager))
    for period in (*years(site.articles), *months(site.articles)):
        for pager in paginate(period.articles, config.per_page, period.ref.path):
            pages.append(_page(pager.path, "archive.html", f"the archive of {period.ref.name}",
                               _newest(pager.items), period=period, pager=pager))
    pages.append(_page("tracker/", "tracker.html", "the tracker", _newest(e.article for e in site.events)))
    pages += plan_weekly_pages(site, config)
    pages.append(_page("data/", "data.html", "the open data page"))
    pages.append(_page("feeds/", "feeds.html", "the feeds page"))
    pages.append(_page("search/", "search.html", "the search page"))
    corrections = site_corrections(site.articles, config.timezone)
    pages.append(_page("corrections/", "corrections.html", "the corrections page",
                       corrections[0].moment if corrections else None, corrections=corrections))
    pages.append(_page("404.html", "404.html", "the not-found page"))
    pages.append(_page("robots.txt", "robots.txt", "robots.txt"))
    pages.append(_page(FEED_STYLESHEET, "feed.xsl", "the feeds' stylesheet for browsers"))
    return pages


def plan_weekly_pages(site: Site, config: SiteConfig) -> list[PageUnit]:
    """The weekly digest: its index (newest first, paginated) and one page per issue."""
    pages = [_page(pager.path, "weeklies.html", "the weekly digest index",
                   _newest(a for w in pager.items for a in w.articles), pager=pager)
             for pager in paginate(site.weeks, config.per_page, "weekly/")]
    pages += [_page(week.path, "weekly.html", f"the weekly issue {week.id.name}", _newest(week.articles), week=week)
              for week in site.weeks]
    return pages


def plan_units(site: Site, config: SiteConfig, now: datetime | None = None) -> Plan:
    """`now`: the build's time, which the home page's rail counts this quarter's events from. Apart from the
    units in `Plan.from_bodies`, planning reads no article's body (a body read is noted, see bodyreads.py):
    the caller may check that."""
    pages = plan_pages(site, config, now)
    with noting_bodies(set()):  # noted apart: these units are keyed whatever the caller's check finds
        images = plan_images(site)
    units: list[Unit] = [
        *pages,
        *plan_feeds(site, config),
        weekly_feed(site, config),
        *email_units(site.weeks),
        sitemap_unit(pages),
        news_sitemap_unit(site),
        open_data_unit(),
        *plan_cards(site, config),
        addresses_unit(),
        corrections_feed_unit(site_corrections(site.articles, config.timezone), config),
        *images,
    ]
    problems = clashing_authors(config) + duplicate_paths(units)
    # Old addresses and plugins' files come last: a clash with a page is their writer's mistake, located there.
    redirects, found = alias_units(site, {p: u.origin for u in units for p in u.paths})
    units += redirects
    with noting_bodies(set()):
        more, found_more = plugin_units(site, config, {p: u.origin for u in units for p in u.paths})
    units += more
    return Plan(tuple(units), tuple(problems + found + found_more + files_in_the_way(units)),
                frozenset(u.id for u in (*images, *more)))


def duplicate_paths(units: Iterable[Unit]) -> list[SourceError]:
    """Two things that would write one file: an error naming both (Pelican's writer rule), located at the
    writer's file when one of them is made from a source (its `slug:` line, when it has one)."""
    owners: dict[str, Unit] = {}
    problems = []
    for unit in units:
        for path in unit.paths:
            first = owners.setdefault(path, unit)
            if first is unit:
                continue
            blamed, other = (first, unit) if _document(first) and not _document(unit) else (unit, first)
            document = _document(blamed)
            if document is None:
                problems.append(SourceError(blamed.origin, None, None,
                                            f"writes {path}, which {other.origin} writes too; rename one slug"))
                continue
            slug_line = document.field_lines.get("slug", (None, None))
            what = "rename one slug" if _document(other) else \
                "give this one another slug" if slug_line[0] else "give it a 'slug:' of its own, or rename the file"
            problems.append(SourceError(blamed.origin, slug_line[0], slug_line[1],
                                        f"writes {path}, which {other.origin} writes too; {what}"))
    return problems


def _document(unit: Unit):
    """The article or page a unit is the page of, if it is one."""
    context = getattr(unit, "context", None) or {}
    return context.get("article") or context.get("page")


def files_in_the_way(units: Iterable[Unit]) -> list[SourceError]:
    """An output written inside a folder that another output writes as a file (a plugin's 'feed.xml/x'):
    an error naming both, before anything is written."""
    owners = {path: unit for unit in units for path in unit.paths}
    return [SourceError(unit.origin, None, None,
                        f"writes {path}, inside {folder}, which {owners[folder].origin} writes as a file; rename one")
            for unit in units for path in unit.paths for folder in folders_above(path) if folder in owners]

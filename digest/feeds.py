"""The site's feeds, built with feedgen from one feed model; byte-identical for identical input.

An item's id never changes with edits, rebuilds or a new base_url: it is a
UUID derived from the publication date and the slug as first published, or
the `id:` the writer pinned in front matter.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, time, timezone
from typing import Callable

from feedgen.feed import FeedGenerator

from . import urls
from .config import SiteConfig
from .content import Article
from .render import RenderedFile
from .site import Site

# Fixed forever: changing it would change every item id of every digest site.
_ID_NAMESPACE = uuid.UUID("5b1d6c1e-3f0a-4d0e-9c55-6d1a4e2f7b10")


def feed_id(article: Article, zone) -> str:
    if article.feed_id:
        return article.feed_id
    day = article.date.astimezone(zone).date().isoformat()
    return f"urn:uuid:{uuid.uuid5(_ID_NAMESPACE, f'{day}/{article.slug}')}"


def item_updated(article: Article, zone) -> datetime:
    """The newest of publication, `updated` and the corrections: what feed readers track."""
    times = [article.date]
    if article.updated:
        times.append(article.updated)
    times += [datetime.combine(c.date, time(), tzinfo=zone) for c in article.corrections]
    return max(times)


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """One feed: where it lives, what it is called and which articles it carries."""

    path: str  # e.g. feed.xml or companies/x/feed.xml
    title: str
    description: str
    page_path: str  # the HTML page the feed belongs to
    articles: tuple[Article, ...]


def site_feeds(site: Site, config: SiteConfig) -> tuple[FeedSpec, ...]:
    return (FeedSpec("feed.xml", config.title, config.description or config.title, "",
                     site.articles[: config.feed_items]),)


def render_rss(spec: FeedSpec, site: Site, config: SiteConfig, content_of: Callable[[Article], str]) -> RenderedFile:
    zone = config.timezone
    fg = FeedGenerator()
    fg.load_extension("dc")
    fg.title(spec.title)
    # feedgen gives RSS's <link> the last link added: the self link must come first.
    fg.link(href=urls.absolute_url(config.base_url, spec.path), rel="self")
    fg.link(href=urls.absolute_url(config.base_url, spec.page_path), rel="alternate")
    fg.description(spec.description)
    fg.language(config.language)
    fg.generator("digest")
    newest = max((item_updated(a, zone) for a in spec.articles),
                 default=datetime(1970, 1, 1, tzinfo=timezone.utc))
    fg.lastBuildDate(newest)
    fg.pubDate(newest)
    for article in spec.articles:
        entry = fg.add_entry(order="append")
        link = urls.absolute_url(config.base_url, article.path)
        entry.title(article.title)
        entry.link(href=link)
        entry.guid(feed_id(article, zone), permalink=False)
        entry.pubDate(article.date)
        entry.description(article.summary or article.title)
        entry.content(content_of(article), type="CDATA")
        for author in site.article_authors[article.slug]:
            entry.dc.dc_creator(author.name)
        for ref in (*site.article_companies[article.slug], *site.article_tags[article.slug]):
            entry.category(term=ref.name, scheme=urls.absolute_url(config.base_url, ref.path))
    return RenderedFile(spec.path, fg.rss_str(pretty=True))

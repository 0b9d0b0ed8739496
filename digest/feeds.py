"""The feeds: one feed model (site, per company, per tag) written as RSS 2.0, Atom 1.0 and JSON Feed 1.1.

An item's id never changes with edits, rebuilds or a new base_url: it is a
UUID derived from the publication date and the slug as first published, or
the `id:` the writer pinned in front matter. Feeds carry no build time, so
they are byte-identical when nothing changed.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timezone
from typing import Callable, Sequence

from feedgen.feed import FeedGenerator

from . import urls
from .config import Author, SiteConfig
from .content import Article
from .depends import Read
from .render import RenderedFile
from .site import Site

# Fixed forever: changing it would change every item id of every digest site.
_ID_NAMESPACE = uuid.UUID("5b1d6c1e-3f0a-4d0e-9c55-6d1a4e2f7b10")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def article_feed_id(article: Article, zone) -> str:
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
class Category:
    name: str
    url: str  # absolute URL of the company or tag page


@dataclass(frozen=True, slots=True)
class FeedItem:
    id: str
    url: str
    title: str  # plain text
    summary: str  # plain text
    content_html: str  # every URL absolute
    published: datetime
    updated: datetime
    authors: tuple[Author, ...]
    categories: tuple[Category, ...]


@dataclass(frozen=True, slots=True)
class Feed:
    folder: str  # '' for the site, 'companies/x/' or 'tags/x/'
    title: str
    description: str
    page_url: str  # the HTML page the feed follows
    formats: tuple[str, ...]  # of FORMATS
    articles: tuple[Article, ...]  # newest first, at most feed_items

    @property
    def id(self) -> str:
        # Like item ids, independent of base_url so that a move keeps subscriptions intact.
        return f"urn:uuid:{uuid.uuid5(_ID_NAMESPACE, 'feed:' + self.folder)}"

    def paths(self) -> list[str]:
        return [urls.feed_path(self.folder, fmt) for fmt in self.formats]


def plan_feeds(site: Site, config: SiteConfig) -> tuple[Feed, ...]:
    """Every feed of the site, without its items' content yet (that is made when the feed is rendered)."""
    newest = lambda articles: tuple(articles[: config.feed_items])  # noqa: E731
    page = lambda path: urls.absolute_url(config.base_url, path)  # noqa: E731
    feeds = [Feed("", config.title, config.description or config.title, page(""), urls.SITE_FEED_FORMATS,
                  newest(site.articles))]
    for company in site.companies:
        feeds.append(Feed(company.ref.path, f"{company.ref.name} · {config.title}",
                          f"Restructuring news about {company.ref.name} from {config.title}",
                          page(company.ref.path), urls.TOPIC_FEED_FORMATS, newest(company.articles)))
    for tag in site.tags:
        feeds.append(Feed(tag.ref.path, f"{tag.ref.name} · {config.title}",
                          f"Stories on {tag.ref.name} from {config.title}",
                          page(tag.ref.path), urls.TOPIC_FEED_FORMATS, newest(tag.articles)))
    return tuple(feeds)


ContentMaker = Callable[[Article], tuple[str, frozenset[Read]]]
ItemMaker = Callable[[Article], tuple[FeedItem, frozenset[Read]]]


def item_maker(site: Site, config: SiteConfig, content_of: ContentMaker) -> ItemMaker:
    """A function making an article's feed item (and saying which parts of the site it read), once per
    article however many feeds carry it."""
    made: dict[str, tuple[FeedItem, frozenset[Read]]] = {}

    def item_of(article: Article) -> tuple[FeedItem, frozenset[Read]]:
        if article.slug not in made:
            made[article.slug] = _item(article, site, config, content_of)
        return made[article.slug]

    return item_of


def _item(article: Article, site: Site, config: SiteConfig,
          content_of: ContentMaker) -> tuple[FeedItem, frozenset[Read]]:
    refs = (*site.article_companies[article.slug], *site.article_tags[article.slug])
    content_html, reads = content_of(article)
    reads |= {(name, article.slug) for name in ("article_companies", "article_tags", "article_authors")}
    return FeedItem(
        id=article_feed_id(article, config.timezone),
        url=urls.absolute_url(config.base_url, article.path),
        title=article.title,
        summary=article.summary or article.title,
        content_html=content_html,
        published=article.date,
        updated=item_updated(article, config.timezone),
        authors=site.article_authors[article.slug],
        categories=tuple(Category(r.name, urls.absolute_url(config.base_url, r.path)) for r in refs),
    ), reads


def _feedgen(feed: Feed, items: Sequence[FeedItem], updated: datetime, config: SiteConfig) -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("dc")
    fg.id(feed.id)
    fg.title(feed.title)
    fg.subtitle(feed.description)
    fg.description(feed.description)
    fg.author(name=config.title, uri=config.base_url)
    # feedgen gives RSS's <link> the last link added: the self link must come first.
    fg.link(href=urls.absolute_url(config.base_url, urls.feed_path(feed.folder, "rss")), rel="self")
    fg.link(href=feed.page_url, rel="alternate")
    fg.language(config.language)
    fg.generator("digest")
    fg.updated(updated)
    fg.lastBuildDate(updated)
    fg.pubDate(updated)
    for item in items:
        entry = fg.add_entry(order="append")
        entry.id(item.id)
        entry.guid(item.id, permalink=False)
        entry.title(item.title)
        entry.link(href=item.url, rel="alternate")
        entry.published(item.published)
        entry.updated(item.updated)
        entry.summary(item.summary)
        entry.description(item.summary)
        # Escaped HTML rather than CDATA: a ']]>' in an article's code would break CDATA.
        entry.content(item.content_html, type="html")
        for author in item.authors:
            entry.author({"name": author.name, **({"uri": author.url} if author.url else {})})
            entry.dc.dc_creator(author.name)
        if item.categories:  # in one call: feedgen rebuilds every category on each, cubic over tag feeds
            entry.category([{"term": c.name, "scheme": c.url, "label": c.name} for c in item.categories])
    return fg


def _json_feed(feed: Feed, items: Sequence[FeedItem], config: SiteConfig) -> bytes:
    def author(a: Author) -> dict:
        return {"name": a.name, **({"url": a.url} if a.url else {})}

    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "home_page_url": feed.page_url,
        "feed_url": urls.absolute_url(config.base_url, urls.feed_path(feed.folder, "json")),
        "description": feed.description,
        "language": config.language,
        "authors": [{"name": config.title, "url": config.base_url}],
        "items": [
            {
                "id": item.id,
                "url": item.url,
                "title": item.title,
                "content_html": item.content_html,
                "summary": item.summary,
                "date_published": item.published.isoformat(),
                "date_modified": item.updated.isoformat(),
                **({"authors": [author(a) for a in item.authors]} if item.authors else {}),
                "tags": [c.name for c in item.categories],
            }
            for item in items
        ],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render_feed(feed: Feed, config: SiteConfig, item_of: ItemMaker) -> tuple[list[RenderedFile], frozenset[Read]]:
    """The feed's files, and every part of the site its items read."""
    made = [item_of(a) for a in feed.articles]
    items = [item for item, _ in made]
    reads = frozenset().union(*(item_reads for _, item_reads in made))
    updated = max((i.updated for i in items), default=_EPOCH)
    files = []
    fg = _feedgen(feed, items, updated, config) if {"rss", "atom"} & set(feed.formats) else None
    for fmt in feed.formats:
        path = urls.feed_path(feed.folder, fmt)
        if fmt == "rss":
            files.append(RenderedFile(path, fg.rss_str(pretty=True)))
        elif fmt == "atom":
            # The Atom self link must name the Atom file itself, not the RSS one.
            fg.link([{"href": urls.absolute_url(config.base_url, path), "rel": "self"},
                     {"href": feed.page_url, "rel": "alternate"}], replace=True)
            files.append(RenderedFile(path, fg.atom_str(pretty=True)))
        else:
            files.append(RenderedFile(path, _json_feed(feed, items, config)))
    return files, reads

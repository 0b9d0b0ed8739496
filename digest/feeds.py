"""The feeds: one feed model (site, per company, per tag) written as RSS 2.0, Atom 1.0 and JSON Feed 1.1.

An item's id never changes with edits, rebuilds or a new base_url: it is a
UUID derived from the publication date and the slug as first published, or
the `id:` the writer pinned in front matter. Feeds carry no build time, so
they are byte-identical when nothing changed.
"""

from __future__ import annotations

import json
import uuid
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timezone
from typing import Any, Iterable, Mapping, Sequence

from feedgen.feed import FeedGenerator

from . import urls
from .authors import author_listings
from .config import Author, SiteConfig
from .content import Article
from .files import RenderedFile, json_bytes
from .i18n import _
from .images import plain_pictures
from .bodyreads import noting_bodies
from .incremental.reads import Read
from .site import Site
from .units import NO_CONTEXT, RenderContext, Rendered

# Fixed forever: changing it would change every item id of every digest site.
_ID_NAMESPACE = uuid.UUID("5b1d6c1e-3f0a-4d0e-9c55-6d1a4e2f7b10")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
FEED_STYLESHEET = "feed.xsl"  # makes RSS and Atom files a readable page in a browser; readers ignore it


def _with_stylesheet(xml: bytes, config: SiteConfig) -> bytes:
    declaration, rest = xml.split(b"\n", 1)
    href = urls.site_url(config.base_path, FEED_STYLESHEET).encode()
    return declaration + b'\n<?xml-stylesheet type="text/xsl" href="' + href + b'"?>\n' + rest


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
class SerializedItem:
    """An item as each format writes it, made once per item and spliced into every feed that carries it:
    an article sits in the feeds of each of its companies, tags and authors, and building its XML once
    instead of once per feed was most of what a feed file cost. Kept compressed (zlib, fastest level):
    a process may hold every article's item for the whole build, and 20 KB of XML an article was 200 MB
    more at 10,000 articles; compressed, both forms take about four fifths of the item's HTML (800-word
    stories; a short one takes a little more)."""

    updated: datetime
    rss_z: bytes  # the <item> element, indented as inside a whole feed
    atom_z: bytes  # the <entry> element, likewise
    json_z: bytes  # the item's JSON object, indented as inside a whole JSON Feed; b"" if not asked for

    @property
    def rss(self) -> bytes:
        return zlib.decompress(self.rss_z)

    @property
    def atom(self) -> bytes:
        return zlib.decompress(self.atom_z)

    @property
    def json(self) -> str:
        return zlib.decompress(self.json_z).decode("utf-8")


def serialized(item: FeedItem, json_feed: bool = True) -> SerializedItem:
    """`json_feed`: make the JSON form too (only the site's feeds have one)."""
    rss, atom = _item_xml(item)
    json = zlib.compress(_item_json(item).encode("utf-8"), 1) if json_feed else b""
    return SerializedItem(item.updated, zlib.compress(rss, 1), zlib.compress(atom, 1), json)


@dataclass(frozen=True, slots=True)
class FeedUnit:
    """One feed (the site's, a company's or a tag's) in each of its formats."""

    folder: str  # '' for the site, 'companies/x/' or 'tags/x/'
    title: str
    description: str
    page_url: str  # the HTML page the feed follows
    formats: tuple[str, ...]  # of urls.FEED_FILES
    articles: tuple[Article, ...]  # newest first, at most feed_items

    @property
    def id(self) -> str:
        return f"feed:{self.folder}"

    @property
    def feed_id(self) -> str:
        # Like item ids, independent of base_url so that a move keeps subscriptions intact.
        return f"urn:uuid:{uuid.uuid5(_ID_NAMESPACE, 'feed:' + self.folder)}"

    @property
    def origin(self) -> str:
        return f"the feeds of {self.page_url}"

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(urls.feed_path(self.folder, fmt) for fmt in self.formats)

    @property
    def context(self) -> Mapping[str, Any]:
        return NO_CONTEXT  # reads only the site, never a context of its own

    def identity(self) -> Any:
        return self

    def render(self, ctx: RenderContext) -> Rendered:
        """The feed's files; its reads are every part of the site its items read."""
        json_feed = "json" in self.formats
        made = [feed_item(article, ctx, json_feed) for article in self.articles]
        items = [item for item, _ in made]
        reads = frozenset().union(*(item_reads for _, item_reads in made))
        return Rendered(tuple(_feed_files(self, items, ctx.config)), reads)


def plan_feeds(site: Site, config: SiteConfig) -> tuple[FeedUnit, ...]:
    """Every feed of the site, without its items' content yet (that is made when the feed is rendered)."""
    newest = lambda articles: tuple(articles[: config.feed_items])  # noqa: E731
    page = lambda path: urls.absolute_url(config.base_url, path)  # noqa: E731
    feeds = [FeedUnit("", config.title, config.description or config.title, page(""), urls.feed_formats(""),
                      newest(site.articles))]
    for company in site.companies:
        feeds.append(FeedUnit(company.ref.path, f"{company.ref.name} · {config.title}",
                          _("Restructuring news about %(company)s from %(site)s")
                          % {"company": company.ref.name, "site": config.title},
                              page(company.ref.path), urls.feed_formats(company.ref.path), newest(company.articles)))
    for tag in site.tags:
        feeds.append(FeedUnit(tag.ref.path, f"{tag.ref.name} · {config.title}",
                          _("Stories on %(topic)s from %(site)s") % {"topic": tag.ref.name, "site": config.title},
                              page(tag.ref.path), urls.feed_formats(tag.ref.path), newest(tag.articles)))
    for listing in author_listings(site.articles, config):
        feeds.append(FeedUnit(listing.ref.path, f"{listing.ref.name} · {config.title}",
                              _("Stories by %(author)s in %(site)s")
                              % {"author": listing.ref.name, "site": config.title},
                              page(listing.ref.path), urls.feed_formats(listing.ref.path), newest(listing.articles)))
    return tuple(feeds)


_CARRIERS = "feeds carrying each article"  # a key of RenderContext.memo


def count_carriers(units: Iterable[Any], ctx: RenderContext) -> None:
    """Note how many of `units` (what this build renders) are feeds carrying each article, so that an
    article's feed item is let go once the last of them has used it. Kept until the process ends, the items
    were 50 MB in the worker that made a 10,000-article site's 521 feeds. A worker forked for some of the
    feeds keeps the items whose other carriers are elsewhere, as before."""
    ctx.memo[_CARRIERS] = Counter(a.slug for unit in units if isinstance(unit, FeedUnit) for a in unit.articles)


def feed_item(article: Article, ctx: RenderContext, json_feed: bool) -> tuple[SerializedItem, frozenset[Read]]:
    """An article's feed item and the parts of the site it read; made once per process however many
    feeds carry the article (once more when the site's feeds, the only ones with a JSON form, come after
    another feed that carries it)."""
    slug = article.slug
    made = ctx.memo.get(("feed item", slug, True))  # with the JSON form: serves every feed
    if made is None and not json_feed:
        made = ctx.memo.get(("feed item", slug, False))
    if made is None:
        made = ctx.memo[("feed item", slug, json_feed)] = _item(article, ctx, json_feed)
    carriers = ctx.memo.get(_CARRIERS)
    if carriers is not None and slug in carriers:
        carriers[slug] -= 1
        if carriers[slug] <= 0:  # no feed left to carry it: a later one would make it again, the same
            del carriers[slug]
            ctx.memo.pop(("feed item", slug, True), None)
            ctx.memo.pop(("feed item", slug, False), None)
    return made


def _item(article: Article, ctx: RenderContext, json_feed: bool) -> tuple[SerializedItem, frozenset[Read]]:
    config = ctx.config
    reads: set[Read] = set()
    site = ctx.recording_site(reads)
    # The item's body is the article page's content block, with every link made absolute. The bodies it
    # reads go with the item, as every feed that carries it reads them.
    with noting_bodies(reads):
        html = ctx.env.get_template("_article_content.html").render(
            site=site, config=config, article=article, page_path=article.path)
    content_html = urls.absolutize_links(plain_pictures(html), urls.absolute_url(config.base_url, article.path))
    refs = (*site.companies_of(article), *site.tags_of(article))
    home = urls.absolute_url(config.base_url, "")
    kind = () if article.kind == "news" else (Category(article.kind.capitalize(), home),)  # news goes unlabelled
    return serialized(FeedItem(
        id=article_feed_id(article, config.timezone),
        url=urls.absolute_url(config.base_url, article.path),
        title=article.title,
        summary=article.summary or article.title,
        content_html=content_html,
        published=article.date,
        updated=item_updated(article, config.timezone),
        authors=site.authors_of(article),
        categories=kind + tuple(Category(r.name, urls.absolute_url(config.base_url, r.path)) for r in refs),
    ), json_feed), frozenset(reads)


def _feedgen(feed: FeedUnit, updated: datetime, config: SiteConfig) -> FeedGenerator:
    """The feed's own elements, without items: those are serialised once per item (see `_item_xml`)."""
    fg = FeedGenerator()
    fg.load_extension("dc")
    fg.id(feed.feed_id)
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
    return fg


def _add_entry(fg: FeedGenerator, item: FeedItem) -> None:
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


def _item_xml(item: FeedItem) -> tuple[bytes, bytes]:
    """The item's RSS <item> and Atom <entry>, serialised as feedgen writes them inside a whole feed (same
    namespaces, same indentation), so a feed is its head plus these bytes."""
    fg = FeedGenerator()
    fg.load_extension("dc")
    fg.id(item.id)
    fg.title(item.title)
    fg.description(item.summary)
    fg.link(href=item.url, rel="alternate")
    fg.updated(item.updated)
    _add_entry(fg, item)
    return (_between(fg.rss_str(pretty=True), b"<item>", b"</item>"),
            _between(fg.atom_str(pretty=True), b"<entry>", b"</entry>"))


def _between(xml: bytes, opening: bytes, closing: bytes) -> bytes:
    """From the start of the line that opens the element to the end of the line that closes it. Text in
    an item is escaped, so neither tag can occur inside it."""
    start = xml.rindex(b"\n", 0, xml.index(opening)) + 1
    end = xml.index(b"\n", xml.rindex(closing)) + 1
    return xml[start:end]


def _with_items(head: bytes, closing: bytes, items: list[bytes]) -> bytes:
    """The item-less feed `head` with `items` spliced in before the line that closes its container."""
    at = head.rindex(b"\n", 0, head.rindex(closing)) + 1
    return head[:at] + b"".join(items) + head[at:]


def _item_json(item: FeedItem) -> str:
    def author(a: Author) -> dict:
        return {"name": a.name, **({"url": a.url} if a.url else {})}

    document = {
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
    # Two levels down in the feed (document, items); JSON strings hold no raw newline to indent.
    return "\n".join("    " + line for line in json.dumps(document, ensure_ascii=False, indent=2).split("\n"))


def _json_feed(feed: FeedUnit, items: Sequence[SerializedItem], config: SiteConfig) -> bytes:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "home_page_url": feed.page_url,
        "feed_url": urls.absolute_url(config.base_url, urls.feed_path(feed.folder, "json")),
        "description": feed.description,
        "language": config.language,
        "authors": [{"name": config.title, "url": config.base_url}],
        "items": [],
    }
    head = json_bytes(document).decode("utf-8")
    if not items:
        return head.encode("utf-8")
    before, after = head.rsplit('"items": []', 1)
    return (before + '"items": [\n' + ",\n".join(i.json for i in items) + "\n  ]" + after).encode("utf-8")


def _feed_files(feed: FeedUnit, items: Sequence[SerializedItem], config: SiteConfig) -> list[RenderedFile]:
    updated = max((i.updated for i in items), default=_EPOCH)
    fg = _feedgen(feed, updated, config) if {"rss", "atom"} & set(feed.formats) else None
    files = []
    for fmt, path in zip(feed.formats, feed.paths):
        if fmt == "rss":
            rss = _with_items(fg.rss_str(pretty=True), b"</channel>", [i.rss for i in items])
            files.append(RenderedFile(path, _with_stylesheet(rss, config)))
        elif fmt == "atom":
            # The Atom self link must name the Atom file itself, not the RSS one.
            fg.link([{"href": urls.absolute_url(config.base_url, path), "rel": "self"},
                     {"href": feed.page_url, "rel": "alternate"}], replace=True)
            atom = _with_items(fg.atom_str(pretty=True), b"</feed>", [i.atom for i in items])
            files.append(RenderedFile(path, _with_stylesheet(atom, config)))
        else:
            files.append(RenderedFile(path, _json_feed(feed, items, config)))
    return files

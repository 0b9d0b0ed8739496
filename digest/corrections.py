"""Every correction on the site: the /corrections/ page's list and its RSS, Atom and JSON feeds.

A correction's feed id is fixed when it is published: a UUID of its article's feed id, its date and its
place among that article's corrections of the same day (corrections are added, newest last), so editing
a note's wording or the article's slug (with a pinned `id:`) never makes it a new item.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, time
from html import escape

from . import urls
from .config import SiteConfig
from .content import Article, Correction
from .feeds import _ID_NAMESPACE, FeedItem, _feed_files, article_feed_id, serialized
from .files import RenderedFile
from .i18n import _
from .units import RenderContext, SiteFileUnit

FOLDER = urls.CORRECTIONS_FOLDER


@dataclass(frozen=True, slots=True)
class CorrectionEntry:
    article: Article
    correction: Correction
    id: str  # its feed id
    moment: datetime  # the start of its day in the site's zone


def site_corrections(articles: tuple[Article, ...], zone) -> tuple[CorrectionEntry, ...]:
    """Every correction of the published articles, newest first (same day: the newer article first)."""
    entries = []
    for article in articles:
        seen: dict = {}
        for correction in article.corrections:
            nth = seen[correction.date] = seen.get(correction.date, 0) + 1
            name = f"correction:{article_feed_id(article, zone)}:{correction.date.isoformat()}:{nth}"
            entries.append(CorrectionEntry(article, correction, f"urn:uuid:{uuid.uuid5(_ID_NAMESPACE, name)}",
                                           datetime.combine(correction.date, time(), tzinfo=zone)))
    return tuple(sorted(entries, key=lambda e: (e.correction.date, e.article.date), reverse=True))


@dataclass(frozen=True, slots=True)
class _Feed:
    """What the feed writer needs to know about a feed (the shape of `feeds.FeedUnit`)."""

    folder: str
    title: str
    description: str
    page_url: str
    formats: tuple[str, ...]
    feed_id: str

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(urls.feed_path(self.folder, fmt) for fmt in self.formats)


def corrections_feed_unit(entries: tuple[CorrectionEntry, ...], config: SiteConfig) -> SiteFileUnit:
    formats = urls.feed_formats(FOLDER)
    paths = tuple(urls.feed_path(FOLDER, fmt) for fmt in formats)
    return SiteFileUnit(f"feed:{FOLDER}", paths, "the corrections feeds", entries[: config.feed_items],
                        _corrections_feeds)


def _corrections_feeds(entries: tuple[CorrectionEntry, ...], ctx: RenderContext, reads) -> list[RenderedFile]:
    config = ctx.config
    feed = _Feed(FOLDER, _("Corrections · %(site)s") % {"site": config.title},
                 _("Every correction published in %(site)s, newest first.") % {"site": config.title},
                 urls.absolute_url(config.base_url, FOLDER), urls.feed_formats(FOLDER),
                 f"urn:uuid:{uuid.uuid5(_ID_NAMESPACE, 'feed:' + FOLDER)}")
    items = []
    for e in entries:
        url = urls.absolute_url(config.base_url, e.article.path)
        story = escape(_("In %(story)s.")) % {"story": f'<a href="{escape(url)}">{escape(e.article.title)}</a>'}
        items.append(FeedItem(
            id=e.id, url=url + "#corrections-title", title=_("Correction: %(title)s") % {"title": e.article.title},
            summary=e.correction.note,
            content_html=f"<p>{escape(e.correction.note)}</p>\n<p>{story}</p>",
            published=e.moment, updated=e.moment, authors=(), categories=()))
    return _feed_files(feed, [serialized(i) for i in items], config)

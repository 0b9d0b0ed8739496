"""The weekly digest's feeds (`/weekly/feed.xml`, `atom.xml`, `feed.json`): one item per finished issue.

What RSS-to-email services read. The running week stays out until it has ended at build time, so a
subscriber never gets half a week. An item's id is a UUID of the week's name, so it survives edits,
rebuilds and a new base_url; its content is the issue page's content block with every link absolute.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup

from . import i18n, urls
from .config import SiteConfig
from .feeds import _ID_NAMESPACE, FeedItem, FeedUnit, _feed_files, item_updated, serialized
from .i18n import _
from .incremental.reads import Read
from .site import Site
from .units import RenderContext, Rendered
from .weekly import Week

FOLDER = urls.WEEKLY_FEED_FOLDER


def week_feed_id(week: Week) -> str:
    return f"urn:uuid:{uuid.uuid5(_ID_NAMESPACE, 'weekly/' + week.id.name)}"


@dataclass(frozen=True, slots=True)
class WeeklyFeedUnit(FeedUnit):
    """The weekly feeds in every format: a feed whose items are issues rather than articles."""

    weeks: tuple[Week, ...] = ()  # finished, newest first, at most feed_items

    @property
    def origin(self) -> str:
        return "the weekly digest's feeds"

    def render(self, ctx: RenderContext) -> Rendered:
        reads: set[Read] = set()
        items = [serialized(_item(week, ctx, reads)) for week in self.weeks]
        return Rendered(tuple(_feed_files(self, items, ctx.config)), frozenset(reads))


def _item(week: Week, ctx: RenderContext, reads: set[Read]) -> FeedItem:
    config = ctx.config
    page_url = urls.absolute_url(config.base_url, week.path)
    html = ctx.env.get_template("_weekly_content.html").render(
        site=ctx.recording_site(reads), config=config, week=week, page_path=week.path)
    updated: datetime = max(item_updated(a, config.timezone) for a in week.articles)
    first = next((Markup(t).striptags() for a in week.articles for t in a.takeaways), "")
    counts = i18n.stories_and_events(len(week.articles), len(week.events)) + "."
    summary = week.note.summary if week.note is not None and week.note.summary else f"{counts} {first}".strip()
    return FeedItem(
        id=week_feed_id(week), url=page_url, title=week.title, summary=summary,
        content_html=urls.absolutize_links(html, page_url),
        published=week.ends, updated=max(updated, week.ends),
        authors=(), categories=())


def weekly_feed(site: Site, config: SiteConfig) -> WeeklyFeedUnit:
    finished = tuple(w for w in site.weeks if w.finished)[: config.feed_items]
    return WeeklyFeedUnit(FOLDER, _("The weekly digest · %(site)s") % {"site": config.title},
                          _("Every week's restructuring news from %(site)s, in one issue") % {"site": config.title},
                          urls.absolute_url(config.base_url, FOLDER), urls.feed_formats(FOLDER), (), finished)

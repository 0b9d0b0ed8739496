"""The weekly digest: the site's articles grouped by ISO week in the site's time zone, as issues.

Pure: the published articles and the build's `now` in, a tuple of `Week` out, newest first. A week has an
issue only when at least one published article belongs to it; the week an article belongs to is read from
its date in the site's time zone, so a story at 23:30 on a Sunday in Paris is that week's even though it is
already Monday in UTC. The running week (not yet ended at `now`) is marked so pages can say "this week so
far"; feeds and emails carry finished weeks only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Mapping, Sequence

from . import i18n
from .content import Article
from .events import TrackedEvent
from .figures import Total, total
from .i18n import _

if TYPE_CHECKING:
    from .weeknotes import WeeklyNote

WEEK_NAME = re.compile(r"^(\d{4})-w(\d{2})$")  # the path segment and the note's file name: 2025-w42
AVERAGE_OF = 4  # the figures are compared with the average of this many previous weeks


@dataclass(frozen=True, slots=True, order=True)
class WeekId:
    """An ISO week: year and week number (2025-W01 begins on Monday 30 December 2024)."""

    year: int
    number: int

    @property
    def name(self) -> str:
        """As in URLs and file names: 2025-w42."""
        return f"{self.year}-w{self.number:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def sunday(self) -> date:
        return min(self.monday, date.max - timedelta(days=6)) + timedelta(days=6)  # the last week of 9999 ends early

    @property
    def path(self) -> str:
        return f"weekly/{self.name}/"

    def end(self, zone: tzinfo) -> datetime:
        """The first moment after the week, in the site's time zone (midnight starting next Monday)."""
        if self.sunday == date.max:  # 9999's last week: never over
            return datetime.max.replace(tzinfo=zone)
        return datetime.combine(self.sunday + timedelta(days=1), time(), tzinfo=zone)

    @property
    def title(self) -> str:
        """Week 42 · 13–19 October 2025; months or years named on both sides when the week spans them."""
        span = i18n.active().day_span(self.monday, self.sunday)
        return _("Week %(number)s · %(days)s") % {"number": self.number, "days": span}


def week_of(moment: datetime, zone: tzinfo) -> WeekId:
    """The ISO week a moment falls in, read in the site's time zone."""
    year, number, _ = moment.astimezone(zone).isocalendar()
    return WeekId(year, number)


def parse_week(text: str) -> WeekId | None:
    """`2025-w42` or `2025-W42` as a week; None when malformed or when that year has no such week."""
    found = WEEK_NAME.match(text.lower())
    if not found:
        return None
    year, number = int(found[1]), int(found[2])
    try:
        date.fromisocalendar(year, number, 1)
    except ValueError:  # week 0, week 54, week 53 of a 52-week year
        return None
    return WeekId(year, number)


def weeks_in(year: int) -> int:
    """52 or 53: 28 December is always in the last ISO week of its year."""
    return date(year, 12, 28).isocalendar()[1]


@dataclass(frozen=True, slots=True)
class Change:
    """A figure of this week against the average of the weeks before it."""

    label: str
    value: int
    average: float | None  # None: no earlier week to compare with

    @property
    def words(self) -> str:
        if self.average is None:
            return _("no earlier weeks to compare with")
        if self.average == 0:
            return _("none in the previous weeks")
        percent = round((self.value - self.average) / self.average * 100)
        if percent == 0:
            return _("as many as the average")
        share = i18n.active().percent(abs(percent))
        return (_("%(share)s more than the average") if percent > 0
                else _("%(share)s fewer than the average")) % {"share": share}


@dataclass(frozen=True, slots=True)
class Week:
    """One issue of the weekly digest."""

    id: WeekId
    articles: tuple[Article, ...]  # newest first
    events: tuple[TrackedEvent, ...]  # reported by this week's articles, each once, newest first
    ends: datetime  # midnight starting the next Monday, in the site's time zone
    finished: bool  # ended at build time: only then in the feeds and the email
    previous: WeekId | None  # the issue before (older), if any
    next: WeekId | None  # the issue after (newer), if any
    changes: tuple[Change, ...]  # articles and events against the previous weeks' average
    note: WeeklyNote | None = None  # the editor's note (content/weekly/<name>.md), when one is published

    @property
    def title(self) -> str:
        """The note's title when it gives one, else "Week 42 · 13–19 October 2025"."""
        return self.note.title if self.note is not None and self.note.title else self.id.title

    @property
    def path(self) -> str:
        return self.id.path

    @property
    def affected(self) -> Total:
        return total(self.events)

    @property
    def companies(self) -> tuple:
        """The companies the week's events involve, each once, in order of first mention."""
        return tuple(dict.fromkeys(i.company for e in self.events for i in e.involved))


def _average(weeks: Sequence[WeekId], counts: dict[WeekId, int], week: WeekId) -> float | None:
    """The mean over the AVERAGE_OF calendar weeks before `week` (weeks without stories count as 0),
    or None when the site has no story before it."""
    if not weeks or week == weeks[0]:
        return None
    before = [week.monday - timedelta(weeks=n) for n in range(1, AVERAGE_OF + 1)]
    values = [counts.get(WeekId(*d.isocalendar()[:2]), 0) for d in before]
    return sum(values) / len(values)


def build_weeks(articles: Sequence[Article], events: Sequence[TrackedEvent], zone: tzinfo,
                now: datetime | None, notes: Mapping[WeekId, WeeklyNote] | None = None) -> tuple[Week, ...]:
    """Every week with a published article, newest first, with its published editor's note from `notes`;
    `now` None (a --future build) finishes them all."""
    grouped: dict[WeekId, list[Article]] = {}
    for article in articles:  # already newest first
        grouped.setdefault(week_of(article.date, zone), []).append(article)
    ordered = sorted(grouped)  # oldest first
    # An event belongs to every week that has one of its articles (by slug): indexed by slug, so the site
    # model does not test every event against every week (which was most of its time at 1,000 articles).
    weeks_of_slug: dict[str, list[WeekId]] = {}
    for w in ordered:
        for slug in dict.fromkeys(a.slug for a in grouped[w]):
            weeks_of_slug.setdefault(slug, []).append(w)
    found: dict[WeekId, list[TrackedEvent]] = {w: [] for w in ordered}
    for e in events:
        for w in dict.fromkeys(w for a in e.articles for w in weeks_of_slug.get(a.slug, ())):
            found[w].append(e)
    week_events = {w: tuple(found[w]) for w in ordered}
    article_counts = {w: len(grouped[w]) for w in ordered}
    event_counts = {w: len(week_events[w]) for w in ordered}
    weeks = []
    for i, week in enumerate(ordered):
        changes = (Change(_("Stories"), article_counts[week], _average(ordered, article_counts, week)),
                   Change(_("Events"), event_counts[week], _average(ordered, event_counts, week)))
        ends = week.end(zone)
        weeks.append(Week(week, tuple(grouped[week]), week_events[week], ends, now is None or ends <= now,
                          ordered[i - 1] if i > 0 else None, ordered[i + 1] if i + 1 < len(ordered) else None,
                          changes, (notes or {}).get(week)))
    return tuple(reversed(weeks))


def issues_due_at(site) -> datetime | None:
    """When the running week ends and its issue goes out: from then on the same inputs make another site
    (like the first scheduled article), so a build's record of "nothing changed" must expire then. None
    when no week is running."""
    running = [w for w in site.weeks if not w.finished]
    return running[0].ends if running else None

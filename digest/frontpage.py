"""The front page: which story leads, and the side rail of tracker news beside the other stories.

Pure: the site model and the build's date in, a frozen `FrontPage` out. The lead is the newest article
marked `featured: true`, else the newest article. The rail shows the newest tracked events and the
companies with the most events in the quarter of the build date; when that quarter has none yet (early in
a quarter, or a site built long after its stories), the latest quarter that has some, named as such.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Sequence

from .content import Article
from .events import TrackedEvent
from .i18n import _
from .urls import Ref

RAIL_EVENTS = 5
RAIL_COMPANIES = 5


@dataclass(frozen=True, slots=True)
class Quarter:
    year: int
    number: int  # 1 to 4

    @classmethod
    def of(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def name(self) -> str:
        return _("Q%(number)s %(year)s") % {"number": self.number, "year": self.year}


@dataclass(frozen=True, slots=True)
class CompanyCount:
    company: Ref
    events: int


@dataclass(frozen=True, slots=True)
class FrontPage:
    lead: Article | None
    rest: tuple[Article, ...]  # the first page's other stories, newest first
    latest_events: tuple[TrackedEvent, ...]  # newest first
    quarter: Quarter | None  # the quarter `busiest` counts
    current_quarter: bool  # whether `quarter` is the build date's
    busiest: tuple[CompanyCount, ...]  # most events first, then by name


def lead_article(articles: Sequence[Article]) -> Article | None:
    """The newest featured article, else the newest (articles come newest first)."""
    return next((a for a in articles if a.featured), articles[0] if articles else None)


def busiest_companies(events: Sequence[TrackedEvent], quarter: Quarter) -> tuple[CompanyCount, ...]:
    counts = Counter(e.company for e in events if Quarter.of(e.date) == quarter)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].name.casefold(), item[0].slug))
    return tuple(CompanyCount(ref, n) for ref, n in ranked[:RAIL_COMPANIES])


def front_page(articles: Sequence[Article], first_page: Sequence[Article], events: Sequence[TrackedEvent],
               today: date | None) -> FrontPage:
    """`articles`: every published article, newest first; `first_page`: those the home page's first page
    lists; `events`: the tracker's, newest first; `today`: the build date (None: the newest event's)."""
    lead = lead_article(articles)
    rest = tuple(a for a in first_page if a is not lead)
    quarter, current, busiest = None, False, ()
    if events:
        today = today or events[0].date
        quarter = Quarter.of(today)
        busiest = busiest_companies(events, quarter)
        current = bool(busiest)
        if not current:  # the latest quarter with an event up to the build date
            latest = next((e.date for e in events if e.date <= today), events[0].date)
            quarter = Quarter.of(latest)
            busiest = busiest_companies(events, quarter)
    return FrontPage(lead, rest, tuple(events[:RAIL_EVENTS]), quarter, current, busiest)


def build_date(now: datetime | None, zone) -> date | None:
    return now.astimezone(zone).date() if now else None


def next_quarter(now: datetime, zone) -> datetime:
    """When the quarter of `now` ends in the site's zone: the front page's rail counts another quarter."""
    day = now.astimezone(zone).date()
    year, month = (day.year + 1, 1) if day.month > 9 else (day.year, (day.month - 1) // 3 * 3 + 4)
    return datetime(year, month, 1, tzinfo=zone)

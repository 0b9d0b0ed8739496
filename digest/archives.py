"""Date archives: `/<yyyy>/` and `/<yyyy>/<mm>/`, the URLs a reader gets by shortening an article's URL.

Periods are read from the articles' paths (`2025/10/slug/`), so an article is listed under the year and
month its own URL names. Each period knows its newer and older neighbours that have articles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import i18n, urls
from .content import Article


@dataclass(frozen=True, slots=True)
class Period:
    ref: urls.Ref  # slug '2025' or '2025-10', label 'October 2025', path '2025/10/'
    articles: tuple[Article, ...]  # newest first
    newer: urls.Ref | None  # the next period (of the same length) with articles
    older: urls.Ref | None
    year: urls.Ref | None = None  # a month's year, for its breadcrumb

    @property
    def count(self) -> int:
        """How many stories: what a page of the period reads instead of every article (see Tag.has_events)."""
        return len(self.articles)


def month_path(day: date) -> str:
    return f"{day:%Y}/{day:%m}/"


def _ref(key: str) -> urls.Ref:
    if "/" in key:
        year, month = key.split("/")
        label = i18n.active().month(int(year), int(month))
        return urls.Ref(f"{year}-{month}", label, f"{year}/{month}/")
    return urls.Ref(key, key, f"{key}/")


def _periods(articles: tuple[Article, ...], key_of) -> tuple[Period, ...]:
    groups: dict[str, list[Article]] = {}
    for article in articles:  # newest first, kept within each period
        groups.setdefault(key_of(article), []).append(article)
    keys = sorted(groups)  # oldest first: 'yyyy' and 'yyyy/mm' sort as dates
    periods = []
    for i, key in enumerate(keys):
        newer = _ref(keys[i + 1]) if i + 1 < len(keys) else None
        older = _ref(keys[i - 1]) if i > 0 else None
        year = _ref(key.split("/")[0]) if "/" in key else None
        periods.append(Period(_ref(key), tuple(groups[key]), newer, older, year))
    return tuple(periods)


def years(articles: tuple[Article, ...]) -> tuple[Period, ...]:
    return _periods(articles, lambda a: a.path.split("/")[0])


def months(articles: tuple[Article, ...]) -> tuple[Period, ...]:
    return _periods(articles, lambda a: "/".join(a.path.split("/")[:2]))

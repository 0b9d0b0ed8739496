"""The site-wide list of restructuring events: reports resolved to companies and merged.

The same event (same company, kind and date) reported by several articles is
one tracked event that names every article; where the figures disagree, the
newest article's figure wins and the older report gets a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable

from .content import Article, Event
from .errors import SourceError
from .urls import Ref


@dataclass(frozen=True, slots=True)
class Report:
    """One article's account of an event."""

    event: Event
    article: Article


@dataclass(frozen=True, slots=True)
class TrackedEvent:
    company: Ref
    date: date
    kind: str
    affected: int | None
    percent: float | None
    location: str | None
    unit: str | None
    note: str | None
    articles: tuple[Article, ...]  # every article that reports it, newest first

    @property
    def article(self) -> Article:
        """The newest report: the one whose figures are shown."""
        return self.articles[0]

    @property
    def corrected(self) -> bool:
        return any(a.corrections for a in self.articles)


FIGURES = ("affected", "percent")
DETAILS = ("location", "unit", "note")


def _newest_first(reports: list[Report]) -> list[Report]:
    return sorted(reports, key=lambda r: (r.article.date, r.article.slug), reverse=True)


def track_events(
    articles: Iterable[Article], company_of: Callable[[str], Ref]
) -> tuple[tuple[TrackedEvent, ...], list[SourceError]]:
    """Every event of the published articles, merged and ordered newest first."""
    groups: dict[tuple[str, str, date], list[Report]] = {}
    for article in articles:
        for event in article.events:
            key = (company_of(event.company).slug, event.kind, event.date)
            groups.setdefault(key, []).append(Report(event, article))
    tracked, problems = [], []
    for (slug, kind, day), reports in groups.items():
        reports = _newest_first(reports)
        values = {}
        for name in FIGURES + DETAILS:
            # The newest report that gives a value decides it.
            chosen = next((r for r in reports if getattr(r.event, name) is not None), None)
            values[name] = getattr(chosen.event, name) if chosen else None
            if name in FIGURES and chosen:
                problems += _disagreements(name, chosen, reports)
        tracked.append(TrackedEvent(company_of(reports[0].event.company), day, kind, **values,
                                    articles=tuple(dict.fromkeys(r.article for r in reports))))
    tracked.sort(key=lambda e: (e.date, e.article.date, e.company.slug, e.kind), reverse=True)
    return tuple(tracked), problems


def _disagreements(name: str, chosen: Report, reports: list[Report]) -> list[SourceError]:
    shown = getattr(chosen.event, name)
    return [
        SourceError(
            r.article.source, r.event.line, None,
            f"events[{r.event.index}].{name}: {getattr(r.event, name):g} differs from {shown:g} in the newer "
            f"{chosen.article.source}; the newer figure is shown",
            severity="warning",
        )
        for r in reports
        if r is not chosen and getattr(r.event, name) is not None and getattr(r.event, name) != shown
    ]

"""The site-wide list of restructuring events: reports resolved to companies and merged.

The same event (same company, kind and date) reported by several articles is
one tracked event that names every article; where the figures disagree, the
newest article's figure wins and the older report gets a warning. An event
keeps every company it involves with its role (investor, target...), so the
site files it under each of them while it stays one event in every total.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable

from .content import Article, Event, PrimarySource
from .errors import SourceError
from .figures import Figure, add
from .i18n import _
from .urls import Ref


@dataclass(frozen=True, slots=True)
class Involvement:
    """A company an event names, and its role in it (None: the company it happened to, or not given)."""

    company: Ref
    role: str | None


@dataclass(frozen=True, slots=True)
class Report:
    """One article's account of an event."""

    event: Event
    article: Article


@dataclass(frozen=True, slots=True)
class TrackedEvent:
    company: Ref  # the company it happened to
    date: date
    kind: str
    affected: Figure | None  # as written; see `headcount`
    percent: float | None
    location: str | None
    unit: str | None
    note: str | None
    articles: tuple[Article, ...]  # every article that reports it, newest first
    affected_note: str | None = None
    employees: Figure | None = None
    contractors: Figure | None = None
    source: PrimarySource | None = None
    involved: tuple[Involvement, ...] = ()  # every company it names, `company` first

    @property
    def headcount(self) -> Figure | None:
        """People affected: the figure written, else the worker types added up; None when not reported."""
        return self.affected or add([f for f in (self.employees, self.contractors) if f is not None])

    @property
    def people(self) -> str:
        """The headcount in words: "12+", "about 200 employees + hundreds of contractors", "not reported"."""
        parts = [words % {"n": f.short} for words, f in ((_("%(n)s employees"), self.employees),
                                                         (_("%(n)s contractors"), self.contractors))
                 if f is not None] + ([self.affected_note] if self.affected_note else [])
        if self.affected is not None:
            return self.affected.short + (f" ({' + '.join(parts)})" if parts else "")
        return " + ".join(parts) or _("not reported")

    def role_of(self, slug: str) -> str | None:
        return next((i.role for i in self.involved if i.company.slug == slug), None)

    @property
    def article(self) -> Article:
        """The newest report: the one whose figures are shown."""
        return self.articles[0]

    @property
    def corrected(self) -> bool:
        return any(a.corrections for a in self.articles)


FIGURES = ("affected", "employees", "contractors", "percent")
DETAILS = ("affected_note", "location", "unit", "note", "source")


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
        if len(reports) == 1:  # most events: reported once, nothing to choose between
            event = reports[0].event
            values = {name: getattr(event, name) for name in FIGURES + DETAILS}
        else:
            reports = _newest_first(reports)
            values = {}
            for name in FIGURES + DETAILS:
                # The newest report that gives a value decides it.
                chosen = next((r for r in reports if getattr(r.event, name) is not None), None)
                values[name] = getattr(chosen.event, name) if chosen else None
                if name in FIGURES and chosen:
                    problems += _disagreements(name, chosen, reports)
        tracked.append(TrackedEvent(company_of(reports[0].event.company), day, kind, **values,
                                    articles=tuple(dict.fromkeys(r.article for r in reports)),
                                    involved=_involved(reports, company_of)))
    tracked.sort(key=lambda e: (e.date, e.article.date, e.company.slug, e.kind), reverse=True)
    return tuple(tracked), problems


def _involved(reports: list[Report], company_of: Callable[[str], Ref]) -> tuple[Involvement, ...]:
    """Every company any report names, each once, with the role the newest report that gives one gives."""
    roles: dict[Ref, str | None] = {}
    for report in reports:
        for party in report.event.parties or ():
            ref = company_of(party.name)
            if roles.get(ref) is None:
                roles[ref] = party.role
    main = company_of(reports[0].event.company)
    return (Involvement(main, roles.pop(main, None)), *(Involvement(r, role) for r, role in roles.items()))


def _written(value) -> str:
    return value.short if isinstance(value, Figure) else f"{value:g}"


def _disagreements(name: str, chosen: Report, reports: list[Report]) -> list[SourceError]:
    shown = getattr(chosen.event, name)
    return [
        SourceError(
            r.article.source, r.event.line, None,
            f"events[{r.event.index}].{name}: {_written(getattr(r.event, name))} differs from {_written(shown)} in the newer "
            f"{chosen.article.source}; the newer figure is shown",
            severity="warning",
        )
        for r in reports
        if r is not chosen and getattr(r.event, name) is not None and getattr(r.event, name) != shown
    ]

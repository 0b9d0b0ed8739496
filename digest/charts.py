"""Charts drawn at build time as inline SVG: a company's events over time, people affected per month.

Each chart is a <figure> whose SVG has a title and description and whose
caption lists the figures, so the chart is never the only way to read them.
Colours come from CSS classes (`k-layoff`...), so the theme decides them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from html import escape
from typing import Sequence

from markupsafe import Markup

from .events import TrackedEvent

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 14, 30


def kind_label(kind: str) -> str:
    return kind.replace("-", " ").capitalize()


def _figure(chart_id: str, title: str, description: str, body: list[str], caption: str) -> Markup:
    svg = (
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" preserveAspectRatio="xMinYMid meet" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(description)}</desc>'
        + "".join(body) + "</svg>"
    )
    return Markup(f'<figure class="chart" id="{chart_id}">{svg}<figcaption>{escape(caption)}</figcaption></figure>')


def _months_between(first: date, last: date) -> list[tuple[int, int]]:
    months, (y, m) = [], (first.year, first.month)
    while (y, m) <= (last.year, last.month):
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def _month_name(month: tuple[int, int]) -> str:
    return date(month[0], month[1], 1).strftime("%b %Y")


def _axes(y_max: int) -> list[str]:
    base = HEIGHT - BOTTOM
    return [
        f'<line class="axis" x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}"/>',
        f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}"/>',
        f'<text class="tick" x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end">{y_max:,}</text>',
        f'<text class="tick" x="{LEFT - 6}" y="{base}" text-anchor="end">0</text>',
    ]


def _nice_max(value: int) -> int:
    """A round axis maximum at or above value (1, 2, 5 × 10^n)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def company_chart(events: Sequence[TrackedEvent], name: str, chart_id: str = "company-chart") -> Markup:
    """One mark per event along time: a bar to its headcount, or a diamond on the axis where none was reported."""
    if not events:
        return Markup("")
    ordered = sorted(events, key=lambda e: (e.date, e.kind))
    first, last = ordered[0].date, ordered[-1].date
    span = max((last - first).days, 1)
    y_max = _nice_max(max((e.affected or 0) for e in ordered) or 1)
    plot_w, plot_h, base = WIDTH - LEFT - RIGHT - 24, HEIGHT - TOP - BOTTOM, HEIGHT - BOTTOM

    def x_of(day: date) -> float:
        return LEFT + 12 + ((day - first).days / span * plot_w if last > first else plot_w / 2)

    body = _axes(y_max)
    same_day: dict[date, int] = defaultdict(int)
    for event in ordered:
        # Events of one day stand side by side instead of on top of each other.
        x = x_of(event.date) + 12 * same_day[event.date]
        same_day[event.date] += 1
        label = f"{event.date:%d %b %Y}: {kind_label(event.kind)}" + (
            f", {event.affected:,} people" if event.affected is not None else ", headcount not reported")
        if event.affected:
            h = max(event.affected / y_max * plot_h, 2)
            body.append(f'<rect class="mark k-{event.kind}" x="{x - 5:.1f}" y="{base - h:.1f}" width="10" '
                        f'height="{h:.1f}"><title>{escape(label)}</title></rect>')
        else:
            body.append(f'<path class="mark k-{event.kind}" d="M{x:.1f} {base - 7} l6 7 l-6 7 l-6 -7 z">'
                        f'<title>{escape(label)}</title></path>')
    months = _months_between(first, last)
    ticks = [(y, m) for (y, m) in months if m == 1 or (y, m) == months[0]] if len(months) > 18 else months
    every = max(1, len(ticks) // 8)
    for month in ticks[::every]:
        day = max(date(*month, 1), first)
        text = str(month[0]) if len(months) > 18 else _month_name(month)
        body.append(f'<text class="tick" x="{x_of(day):.1f}" y="{HEIGHT - 10}" text-anchor="middle">{text}</text>')
    caption = f"{name}: " + "; ".join(
        f"{e.date:%d %b %Y} {kind_label(e.kind).lower()}"
        + (f", {e.affected:,} affected" if e.affected is not None else "") for e in ordered) + "."
    title = f"Restructuring events at {name} over time"
    description = "Bars show people affected; diamonds mark events without a reported headcount."
    return _figure(chart_id, title, description, body, caption)


def monthly_chart(events: Sequence[TrackedEvent], chart_id: str = "monthly-chart") -> Markup:
    """People affected per month, stacked by kind: one mark per month and kind with a reported headcount."""
    totals: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for event in events:
        if event.affected:
            month = (event.date.year, event.date.month)
            totals[month][event.kind] = totals[month].get(event.kind, 0) + event.affected
    if not totals:
        return Markup("")
    months = _months_between(date(*min(totals), 1), date(*max(totals), 1))
    y_max = _nice_max(max(sum(k.values()) for k in totals.values()))
    plot_w, plot_h, base = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM, HEIGHT - BOTTOM
    slot = plot_w / len(months)
    bar = max(min(slot * 0.7, 40), 1.5)
    body = _axes(y_max)
    label_every = max(1, len(months) // 8)
    for i, month in enumerate(months):
        x = LEFT + i * slot + (slot - bar) / 2
        top = base
        for kind, value in sorted(totals.get(month, {}).items()):
            h = max(value / y_max * plot_h, 1)
            top -= h
            label = f"{_month_name(month)}: {value:,} people, {kind_label(kind).lower()}"
            body.append(f'<rect class="mark k-{kind}" x="{x:.1f}" y="{top:.1f}" width="{bar:.1f}" height="{h:.1f}">'
                        f'<title>{escape(label)}</title></rect>')
        if i % label_every == 0:
            body.append(f'<text class="tick" x="{x + bar / 2:.1f}" y="{HEIGHT - 10}" text-anchor="middle">'
                        f'{_month_name(month)}</text>')
    caption = "People affected per month, where a headcount was reported: " + "; ".join(
        f"{_month_name(m)}: {sum(totals[m].values()):,} ("
        + ", ".join(f"{v:,} {kind_label(k).lower()}" for k, v in sorted(totals[m].items())) + ")"
        for m in sorted(totals)) + "."
    return _figure(chart_id, "People affected per month", "Stacked bars, one colour per kind of event.", body, caption)

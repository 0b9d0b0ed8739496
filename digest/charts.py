"""Charts drawn at build time as inline SVG: a company's events over time, people affected per month.

Each chart is a <figure> with an HTML legend and a caption that lists the
figures, so the chart is never the only way to read them. It holds two SVGs of
the same data, a wide one and a narrow one for phones (CSS shows one), because
a wide drawing scaled down to a phone makes its text unreadably small: text is
drawn at TEXT_SIZE user units and each variant is shown at about its own width.
Events without a reported headcount get their own lane below the axis, never
a mark at zero. Colours come from CSS classes (`k-layoff`...), so the theme decides them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Sequence

from markupsafe import Markup

from . import i18n
from .events import TrackedEvent
from .figures import Figure, add
from .i18n import N_, _, ngettext

TEXT_SIZE = 13  # user units: about 13 px, as CSS shows each variant at about its own width
MIN_SPACING = 4  # between two marks of one lane


@dataclass(frozen=True, slots=True)
class Frame:
    """One drawing size: the plot area inside the margins that hold the axis titles and ticks."""

    name: str  # wide or narrow: the CSS class that picks it
    width: int
    height: int
    left: int
    right: int
    top: int
    lane: int  # height of the "no headcount" lane below the time axis
    bottom: int
    bar: int  # a bar's width at most
    ticks: int  # month labels at most

    @property
    def base(self) -> int:
        return self.height - self.bottom - self.lane

    @property
    def plot_height(self) -> int:
        return self.base - self.top


WIDE = Frame("wide", 720, 260, 64, 16, 30, 34, 34, 36, 8)
NARROW = Frame("narrow", 360, 260, 56, 10, 30, 34, 34, 24, 3)


# The kinds of events as readers read them (content.EVENT_KINDS), here for the catalogs to find them.
KIND_LABELS = {
    "layoff": N_("Layoff"), "contractor-cut": N_("Contractor cut"), "closure": N_("Closure"),
    "hiring-freeze": N_("Hiring freeze"), "reorganization": N_("Reorganization"),
    "leadership-change": N_("Leadership change"), "investment": N_("Investment"), "acquisition": N_("Acquisition"),
}


# The kinds of primary sources (content.PRIMARY_SOURCE_KINDS), as the events table names them.
SOURCE_KIND_LABELS = {"warn-notice": N_("warn notice"), "filing": N_("filing"),
                      "company-statement": N_("company statement"), "press-report": N_("press report")}


# The roles of the other companies an event names (content.EVENT_ROLES).
ROLE_LABELS = {"investor": N_("investor"), "target": N_("target"), "acquirer": N_("acquirer"),
               "acquired": N_("acquired"), "client": N_("client"), "supplier": N_("supplier"),
               "agency": N_("agency"), "partner": N_("partner")}


def role_label(role: str) -> str:
    return _(ROLE_LABELS.get(role) or role)


def kind_label(kind: str) -> str:
    return _(KIND_LABELS.get(kind) or kind.replace("-", " ").capitalize())


def source_kind_label(kind: str) -> str:
    return _(SOURCE_KIND_LABELS.get(kind) or kind.replace("-", " "))


def long_date(day: date) -> str:
    """As the rest of the site writes dates: October 8, 2025."""
    return i18n.active().date(day)


def _month_name(month: tuple[int, int], short: bool = False) -> str:
    return i18n.active().month(month[0], month[1], short)


def _people(words: str) -> str:
    return _("%(n)s people") % {"n": words}


def _events(count: int) -> str:
    return ngettext("%(n)s event", "%(n)s events", count) % {"n": count}


def _without_headcount(count: int) -> str:
    return ngettext("%(n)s event without a reported headcount", "%(n)s events without a reported headcount",
                    count) % {"n": count}


def _labelled(label: str, text: str) -> str:
    """"October 2025: 2 events"; French puts a space before the colon."""
    return _("%(label)s: %(text)s") % {"label": label, "text": text}


def _affected(event) -> str:
    return _("%(people)s affected") % {"people": event.people} if event.headcount else _("headcount not reported")


def _months_between(first: date, last: date) -> list[tuple[int, int]]:
    months, (y, m) = [], (first.year, first.month)
    while (y, m) <= (last.year, last.month):
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def _nice_max(value: int) -> int:
    """A round axis maximum at or above value (1, 2, 5 × 10^n)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def _text(x: float, y: float, text: str, cls: str = "tick", anchor: str = "middle", extra: str = "") -> str:
    return (f'<text class="{cls}" x="{x:.1f}" y="{y:.1f}" font-size="{TEXT_SIZE}" text-anchor="{anchor}"{extra}>'
            f'{escape(text)}</text>')


def _axes(frame: Frame, y_max: int, unknown_lane: bool) -> list[str]:
    """The value axis (ticks at 0, half and the maximum, and its title), the time axis, and the lane title."""
    base = frame.base
    out = [f'<line class="axis" x1="{frame.left}" y1="{base}" x2="{frame.width - frame.right}" y2="{base}"/>',
           f'<line class="axis" x1="{frame.left}" y1="{frame.top}" x2="{frame.left}" y2="{base}"/>']
    for value in sorted({0, y_max // 2, y_max}) if y_max >= 2 else (0, y_max):
        y = base - value / y_max * frame.plot_height
        out.append(_text(frame.left - 6, y + 4, i18n.active().number(value), anchor="end"))
        if value:
            out.append(f'<line class="grid" x1="{frame.left}" y1="{y:.1f}" x2="{frame.width - frame.right}" '
                       f'y2="{y:.1f}"/>')
    middle = frame.top + frame.plot_height / 2
    out.append(_text(16, middle, _("People affected"), "axis-title",
                     extra=f' transform="rotate(-90 16 {middle:.1f})"'))
    if unknown_lane:
        out.append(_text(frame.left - 6, base + frame.lane / 2 + 4, _("n/r"), "tick lane-title", "end"))
    return out


def _spread(positions: list[float], width: float, low: float, high: float) -> list[float]:
    """Positions (in order) moved apart just enough that marks `width` wide never overlap, kept in [low, high]."""
    out: list[float] = []
    for x in positions:
        out.append(max(x, out[-1] + width + MIN_SPACING) if out else max(x, low))
    overflow = out[-1] - high if out else 0
    if overflow > 0:  # pushed past the end: shift back, then keep the spacing from the right
        out = [x - overflow for x in out]
        for i in range(len(out) - 2, -1, -1):
            out[i] = min(out[i], out[i + 1] - width - MIN_SPACING)
    return out


def _month_ticks(frame: Frame, months: list[tuple[int, int]], x_of, short: bool) -> list[str]:
    every = max(1, -(-len(months) // frame.ticks))
    return [_text(x_of(month), frame.height - frame.bottom + 22, _month_name(month, short))
            for month in months[::every]]


def _svg(frame: Frame, chart_id: str, title: str, description: str, body: list[str]) -> str:
    svg_id = f"{chart_id}-{frame.name}"
    return (f'<svg class="chart-{frame.name}" viewBox="0 0 {frame.width} {frame.height}" role="img" '
            f'aria-labelledby="{svg_id}-t {svg_id}-d" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{svg_id}-t">{escape(title)}</title><desc id="{svg_id}-d">{escape(description)}</desc>'
            + "".join(body) + "</svg>")


def _legend(kinds: Sequence[str], unknown: bool) -> str:
    items = [f'<li><span class="swatch k-{k}" aria-hidden="true"></span>{escape(kind_label(k))}</li>' for k in kinds]
    if unknown:
        items.append('<li><span class="swatch swatch-unknown" aria-hidden="true"></span>'
                     + escape(_("n/r: headcount not reported (circles below the axis)")) + "</li>")
    label = escape(_("Legend"))  # outside the f-string: the catalog extractor does not look inside one
    return f'<ul class="legend" aria-label="{label}">' + "".join(items) + "</ul>"


def _figure(chart_id: str, title: str, description: str, svgs: list[str], legend: str, caption: str) -> Markup:
    return Markup(f'<figure class="chart" id="{chart_id}">{legend}{"".join(svgs)}'
                  f'<figcaption>{escape(caption)}</figcaption></figure>')


def company_chart(events: Sequence[TrackedEvent], name: str, chart_id: str = "company-chart") -> Markup:
    """One mark per event along time: a labelled bar to its headcount, or a circle in the lane below the
    axis where none was reported. Nothing for fewer than two events (a single point is not a chart), nor
    when no event has a headcount (an empty value axis says nothing the table does not)."""
    ordered = sorted(events, key=lambda e: (e.date, e.kind))
    known = [e for e in ordered if e.headcount is not None]
    if len(ordered) < 2 or not known:
        return Markup("")
    first, last = ordered[0].date, ordered[-1].date
    months = _months_between(first, last)
    y_max = _nice_max(max((e.headcount.value for e in known), default=1) or 1)
    unknown = len(known) < len(ordered)
    title = _("Restructuring events at %(company)s over time") % {"company": name}
    description = _("Bars show people affected, labelled with the reported figure; circles below the axis mark "
                    "events without a reported headcount.")
    svgs = []
    for frame in (WIDE, NARROW):
        body = _axes(frame, y_max, unknown)
        inner_left, inner_right = frame.left + frame.bar, frame.width - frame.right - frame.bar
        span_start = date(*months[0], 1)
        span_days = max((date(*months[-1], 28) - span_start).days, 1)

        def x_of(day) -> float:
            day = date(*day, 15) if isinstance(day, tuple) else day
            return inner_left + (day - span_start).days / span_days * (inner_right - inner_left)

        bar = min(frame.bar, 24)
        for lane in (known, [e for e in ordered if e.headcount is None]):
            xs = _spread([x_of(e.date) for e in lane], bar, inner_left - bar / 2, inner_right + bar / 2)
            for x, event in zip(xs, lane):
                label = _labelled(long_date(event.date), f"{kind_label(event.kind)}, {_affected(event)}")
                tip = f"<title>{escape(label)}</title>"
                if event.headcount is not None:
                    h = max(event.headcount.value / y_max * frame.plot_height, 2)
                    body.append(f'<rect class="mark k-{event.kind}" data-kind="{event.kind}" x="{x - bar / 2:.1f}" '
                                f'y="{frame.base - h:.1f}" width="{bar}" height="{h:.1f}">{tip}</rect>')
                    body.append(_text(x, frame.base - h - 5, event.headcount.short, "value"))
                else:
                    body.append(f'<circle class="mark k-{event.kind}" data-kind="{event.kind}" cx="{x:.1f}" '
                                f'cy="{frame.base + frame.lane / 2:.1f}" r="{min(bar / 2, 8)}">{tip}</circle>')
        body += _month_ticks(frame, months, x_of, short=frame is NARROW)
        svgs.append(_svg(frame, chart_id, title, description, body))
    caption = _labelled(name, "; ".join(
        f"{long_date(e.date)}, {kind_label(e.kind).lower()}, {_affected(e)}" for e in ordered)) + "."
    legend = _legend(sorted({e.kind for e in ordered}), unknown)
    return _figure(chart_id, title, description, svgs, legend, caption)


def monthly_chart(events: Sequence[TrackedEvent], chart_id: str = "monthly-chart") -> Markup:
    """People affected per month, stacked by kind and labelled with the month's total; the events of a month
    without a reported headcount are counted in the lane below the axis."""
    figures: dict[tuple[int, int], dict[str, list[Figure]]] = defaultdict(lambda: defaultdict(list))
    unknown: dict[tuple[int, int], int] = defaultdict(int)
    for event in events:
        month = (event.date.year, event.date.month)
        if event.headcount is not None:
            figures[month][event.kind].append(event.headcount)
        else:
            unknown[month] += 1
    if not figures:
        return Markup("")
    months = _months_between(date(*min([*figures, *unknown]), 1), date(*max([*figures, *unknown]), 1))
    if len(months) < 2 and sum(len(v) for k in figures.values() for v in k.values()) < 2:
        return Markup("")
    month_total = {m: add([f for fs in kinds.values() for f in fs]) for m, kinds in figures.items()}
    y_max = _nice_max(max(t.value for t in month_total.values()) or 1)
    title = _("People affected per month")
    description = _("Stacked bars, one colour per kind of event, labelled with the month's total where a "
                    "headcount was reported; below the axis, how many events that month had none.")
    svgs = []
    for frame in (WIDE, NARROW):
        body = _axes(frame, y_max, bool(unknown))
        slot = (frame.width - frame.left - frame.right) / len(months)
        bar = max(min(slot * 0.7, frame.bar), 2)
        x_of = lambda month: frame.left + (months.index(month) + 0.5) * slot  # noqa: E731
        for month in months:
            x, top = x_of(month), frame.base
            for kind, values in sorted(figures.get(month, {}).items()):
                value = add(values)
                h = max(value.value / y_max * frame.plot_height, 1)
                top -= h
                label = _labelled(_month_name(month), f"{_people(value.words)}, {kind_label(kind).lower()}")
                body.append(f'<rect class="mark k-{kind}" data-kind="{kind}" x="{x - bar / 2:.1f}" y="{top:.1f}" '
                            f'width="{bar:.1f}" height="{h:.1f}"><title>{escape(label)}</title></rect>')
            if month in month_total:
                body.append(_text(x, top - 5, month_total[month].short, "value"))
            if unknown.get(month):
                count = unknown[month]
                label = _labelled(_month_name(month), _without_headcount(count))
                cy = frame.base + frame.lane / 2
                body.append(f'<circle class="mark unknown" data-kind="unknown" cx="{x:.1f}" cy="{cy:.1f}" r="9">'
                            f'<title>{escape(label)}</title></circle>')
                body.append(_text(x, cy + 4.5, str(count), "value inside"))
        body += _month_ticks(frame, months, x_of, short=frame is NARROW)
        svgs.append(_svg(frame, chart_id, title, description, body))
    caption = _("People affected per month, where a headcount was reported:") + " " + "; ".join(
        _labelled(_month_name(m), f"{month_total[m].words} ("
                  + ", ".join(f"{add(v).words} {kind_label(k).lower()}" for k, v in sorted(figures[m].items())) + ")")
        for m in sorted(figures)) + "."
    if unknown:
        caption += " " + _("Without a headcount:") + " " + "; ".join(
            _labelled(_month_name(m), _events(n)) for m, n in sorted(unknown.items())) + "."
    legend = _legend(sorted({k for kinds in figures.values() for k in kinds}), bool(unknown))
    return _figure(chart_id, title, description, svgs, legend, caption)


def week_chart(changes, chart_id: str = "week-chart") -> Markup:
    """A week's figures beside the average of the weeks before: per figure, two labelled horizontal bars.
    Nothing when there is no earlier week to compare with."""
    rows = [c for c in changes if c.average is not None]
    if not rows:
        return Markup("")
    number = i18n.active().number
    width, label_w, row_h, bar_h = 360, 120, 44, 16
    scale = max(max(c.value, c.average) for c in rows) or 1
    body = []
    for i, change in enumerate(rows):
        y = 8 + i * row_h
        body.append(_text(label_w - 8, y + bar_h + 2, change.label, "tick", "end"))
        for j, (value, cls, name) in enumerate(((change.value, "this-week", _("this week")),
                                                  (change.average, "average", _("average")))):
            w = max(value / scale * (width - label_w - 60), 1)
            top = y + j * (bar_h + 2)
            body.append(f'<rect class="mark {cls}" x="{label_w}" y="{top}" width="{w:.1f}" height="{bar_h}">'
                        f'<title>{escape(f"{change.label}, {name}: {number(value)}")}</title></rect>')
            body.append(_text(label_w + w + 4, top + bar_h - 3, number(value), "value", "start"))
    height = 8 + len(rows) * row_h
    title = _("This week against the average of the previous four weeks")
    description = _("For each figure, the upper bar is this week and the lower bar the average.")
    svg = (f'<svg class="week-chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{chart_id}-t '
           f'{chart_id}-d" xmlns="http://www.w3.org/2000/svg"><title id="{chart_id}-t">{escape(title)}</title>'
           f'<desc id="{chart_id}-d">{escape(description)}</desc>' + "".join(body) + "</svg>")
    # outside the f-string: the catalog extractor does not look inside one
    label, this_week, average = (escape(_("Legend")), escape(_("This week")),
                                 escape(_("Average of the previous four weeks")))
    legend = (f'<ul class="legend" aria-label="{label}"><li><span class="swatch this-week" '
              f'aria-hidden="true"></span>{this_week}</li><li><span class="swatch average" '
              f'aria-hidden="true"></span>{average}</li></ul>')
    caption = "; ".join(_("%(figure)s: %(value)s this week, %(average)s on average (%(change)s)")
                        % {"figure": c.label, "value": number(c.value), "average": number(c.average), "change": c.words}
                        for c in rows) + "."
    return _figure(chart_id, title, description, [svg], legend, caption)

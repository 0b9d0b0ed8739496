"""Headcounts with their precision: "12+", "about 200", "up to 50", and totals that say what they include.

A reported figure is rarely exact ("more than a dozen", "about 200"), and a
missing one is not zero. `Figure` keeps the number with its qualifier; `Total`
adds figures up and remembers how many events had one, so a page can say
"about 212 people in 2 of 6 events with a reported headcount".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from . import i18n
from .errors import quote
from .frontmatter import KeyPath
from .i18n import _, ngettext
from .validate import MISSING, Checker

QUALIFIERS = ("exactly", "about", "at-least", "up-to")
FIGURE_KEYS = ("value", "qualifier")


@dataclass(frozen=True, slots=True)
class Figure:
    value: int
    qualifier: str = "exactly"  # one of QUALIFIERS

    @property
    def short(self) -> str:
        """For a table cell: 12, 12+, about 200, up to 50."""
        number = i18n.active().number(self.value)
        return {"exactly": number, "about": _("about %(n)s") % {"n": number}, "at-least": f"{number}+",
                "up-to": _("up to %(n)s") % {"n": number}}[self.qualifier]

    @property
    def words(self) -> str:
        """For a sentence: 12, at least 12, about 200, up to 50."""
        if self.qualifier != "at-least":
            return self.short
        return _("at least %(n)s") % {"n": i18n.active().number(self.value)}


def combined_qualifier(qualifiers: Iterable[str]) -> str:
    """The precision of a sum. Exact parts keep it exact; lower bounds among exact parts make it a lower
    bound (upper bounds likewise); anything else makes it approximate: "about 200" plus "at least 12" is
    about 212, not at least 212, since the first part may be below 200."""
    found = set(qualifiers) - {"exactly"}
    if not found:
        return "exactly"
    if found == {"at-least"} or found == {"up-to"}:
        return found.pop()
    return "about"


def add(figures: Sequence[Figure]) -> Figure | None:
    """The sum of figures with its precision; None when there is none."""
    if not figures:
        return None
    return Figure(sum(f.value for f in figures), combined_qualifier(f.qualifier for f in figures))


@dataclass(frozen=True, slots=True)
class Total:
    """People affected over a set of events, and what the number covers."""

    figure: Figure | None  # None: no event had a headcount
    counted: int  # events with a reported headcount
    events: int  # events in the set
    uncounted: tuple[str, ...]  # words about people no figure counts ("hundreds of contractors")

    @property
    def short(self) -> str:
        return self.figure.short if self.figure else _("not reported")

    @property
    def scope(self) -> str:
        """What the total includes: "in 2 of 6 events with a reported headcount"."""
        if self.figure is None:
            return _("no headcount reported") if self.events else ""
        if self.counted == self.events:
            return _("in all events") if self.events > 1 else ""
        return ngettext("in %(counted)s of %(events)s event with a reported headcount",
                        "in %(counted)s of %(events)s events with a reported headcount",
                        self.events) % {"counted": self.counted, "events": self.events}

    @property
    def sentence(self) -> str:
        """"About 212 people in 2 of 6 events with a reported headcount, plus hundreds of contractors"."""
        if self.figure is None:
            return _("No headcount reported") + (f"; {'; '.join(self.uncounted)}" if self.uncounted else "")
        one = self.figure.value == 1 and self.figure.qualifier == "exactly"
        text = (_("%(n)s person") if one else _("%(n)s people")) % {"n": self.figure.words}
        text += f" {self.scope}" if self.scope else ""
        if self.uncounted:
            text += _(", plus %(notes)s") % {"notes": "; ".join(self.uncounted)}
        return text[0].upper() + text[1:]


def total(events: Sequence) -> Total:
    """The total of events that have `headcount` (a Figure or None) and `affected_note`."""
    figures = [e.headcount for e in events if e.headcount is not None]
    notes = tuple(dict.fromkeys(e.affected_note for e in events if e.affected_note))
    return Total(add(figures), len(figures), len(events), notes)


def read_figure(check: Checker, path: KeyPath) -> Figure | None:
    """A whole number, or a mapping {value, qualifier}; a located problem for anything else."""
    value = check.get(path)
    if value is MISSING or value is None:
        return None
    if isinstance(value, dict):
        check.known_keys(path, FIGURE_KEYS)
        number = check.integer(path + ("value",), minimum=0)
        if check.get(path + ("value",)) in (MISSING, None):
            check.report(path + ("value",), "is required (a whole number; leave the figure out when it was not "
                         "reported)")
        qualifier = check.choice(path + ("qualifier",), QUALIFIERS, "a qualifier", default="exactly")
        if qualifier is None:
            return None
        return Figure(number, qualifier) if number is not None else None
    if isinstance(value, (str, float)) and not isinstance(value, bool):
        check.report(path, f"{quote(value)} is not a whole number; write words such as 'hundreds' in "
                     "affected_note, and 'about 200' as {value: 200, qualifier: about}")
        return None
    number = check.integer(path, minimum=0)
    return Figure(number) if number is not None else None

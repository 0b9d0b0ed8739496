"""Typed readers for YAML values: each returns a checked Python value or records a located problem.

Config, articles, events and company profiles all read their fields through
one `Checker`, so that every message has the same shape
(`path:line:col: field: message`) and every problem is gathered, not only the first.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone, tzinfo
from typing import Any, Iterable
from urllib.parse import urlsplit

from .errors import SourceError, Severity, quote
from .frontmatter import CONTROL_CHARACTER, KeyPath, YamlDoc

MISSING: Any = object()

_DATE_HINT = "use YYYY-MM-DD or YYYY-MM-DDTHH:MM+02:00"
# Four-digit years only: URLs are /<yyyy>/<mm>/, and Python's datetimes end at 9999-12-31.
FIRST_YEAR, LAST_YEAR = 1000, 9999


def field_name(path: KeyPath) -> str:
    """`('events', 1, 'kind')` → `events[1].kind`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def suggest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """` (did you mean 'x'?)`, or nothing when no choice is close (difflib's ratio below `cutoff`)."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f" (did you mean '{close[0]}'?)" if close else ""


# Bidirectional embeddings, overrides and isolates reorder what a reader sees (a name can show as another);
# zero-width characters make two names that look the same differ. Neither belongs in a title or a name,
# except the joiners (U+200C, U+200D) between two characters beyond the Latin letters (U+024F), where a
# script spells with them: Persian writes می‌خواهم with a non-joiner, Hindi and Malayalam shape letters
# with both, and 👩‍💻 is one emoji.
BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
ZERO_WIDTH = re.compile("[\u200b\u2060\ufeff]|(?<![^\x00-\u024f\\s])[\u200c\u200d]|[\u200c\u200d](?![^\x00-\u024f\\s])")


def _calendar_day(text: str) -> date | None:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    return None


@dataclass
class Checker:
    """Reads fields of one YAML document and collects what is wrong with them."""

    doc: YamlDoc
    display: str
    problems: list[SourceError] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """An error was found (warnings alone still make a record)."""
        return any(p.severity == "error" for p in self.problems)

    def report(self, path: KeyPath, message: str, *, key: bool = False, severity: Severity = "error") -> None:
        line, col = self.doc.where(path, key=key)
        prefix = f"{field_name(path)}: " if path else ""
        self.problems.append(SourceError(self.display, line, col, prefix + message, severity))

    def get(self, path: KeyPath) -> Any:
        value: Any = self.doc.data
        for part in path:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return MISSING
        return value

    def known_keys(self, path: KeyPath, allowed: Iterable[str], what: str = "field") -> None:
        mapping = self.get(path)
        allowed = list(allowed)
        if not isinstance(mapping, dict):
            return
        for name in mapping:
            if name not in allowed:
                line, col = self.doc.where(path + (name,), key=True)
                where = f"{field_name(path)}: " if path else ""
                self.problems.append(
                    SourceError(self.display, line, col, f"{where}unknown {what} {quote(name)}{suggest(str(name), allowed)}")
                )

    def _present(self, path: KeyPath, required: bool, what: str = "is required") -> Any:
        """The value, or MISSING when absent or null (reported when required)."""
        value = self.get(path)
        if value is MISSING or value is None:
            if required:
                self.report(path, what)
            return MISSING
        return value

    def mapping(self, path: KeyPath, required: bool = False) -> dict | None:
        value = self._present(path, required)
        if value is MISSING:
            return None
        if not isinstance(value, dict):
            self.report(path, f"{quote(value)} must be a mapping of 'key: value' lines")
            return None
        return value

    def string(self, path: KeyPath, required: bool = False, default: str | None = None) -> str | None:
        value = self.get(path)
        if value is MISSING or value is None or (required and isinstance(value, str) and not value.strip()):
            if required:  # '  ' or a no-break space alone is as empty as '' to a reader
                self.report(path, "is required" if value is MISSING else "must not be empty")
            return default
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.report(path, f"{quote(value)} must be text")
            return default
        if not isinstance(value, str):
            # `title: 2025` is text to the writer; YAML read it as a number.
            return str(value)
        return self._printable(path, value, default)

    def choice(self, path: KeyPath, choices: tuple[str, ...], what: str, required: bool = False,
               default: str | None = None) -> str | None:
        """Text that must be one of `choices` ("'clousre' is not an event kind (did you mean 'closure'?)")."""
        value = self.string(path, required=required)
        if value is None:
            return default
        if value not in choices:
            self.report(path, f"{quote(value)} is not {what}{suggest(value, choices)}; use one of {', '.join(choices)}")
            return None
        return value

    def _printable(self, path: KeyPath, value: str, default: str | None) -> str | None:
        control = CONTROL_CHARACTER.search(value)
        if control:
            self.report(path, f"contains the invisible control character U+{ord(control.group()):04X}; delete it")
            return default
        return value

    def name(self, path: KeyPath, required: bool = False) -> str | None:
        """Text a reader sees as a name or headline: bidi controls are an error, zero-width marks are
        removed with a warning."""
        value = self._visible(path, self.string(path, required=required))
        if required and value is not None and not value.strip():
            self.report(path, "must not be empty (it held only invisible characters)")
            return None
        return value

    def names(self, path: KeyPath) -> tuple[str, ...]:
        return self.strings(path, names=True)

    def _visible(self, path: KeyPath, value: str | None) -> str | None:
        if value is None:
            return None
        if bidi := BIDI_CONTROL.search(value):
            self.report(path, f"contains the invisible direction control U+{ord(bidi.group()):04X}, which can make "
                        "text show as something else; delete it")
            return None
        if ZERO_WIDTH.search(value):
            value = ZERO_WIDTH.sub("", value)
            self.report(path, f"invisible zero-width characters removed; read as {quote(value)}", severity="warning")
        return value

    def strings(self, path: KeyPath, names: bool = False) -> tuple[str, ...]:
        """A list of strings; a single string is a one-item list; blanks are dropped. With `names`,
        each is read as `name()` reads one."""
        value = self.get(path)
        if value is MISSING or value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.report(path, f"{quote(value)} must be a list of text, e.g. [first, second]")
            return ()
        out = []
        for i, item in enumerate(value):
            if isinstance(item, str) and item.strip():
                item = self._printable(path + (i,), item, None)
                if names:
                    item = self._visible(path + (i,) if isinstance(self.get(path), list) else path, item)
                if item is not None and not item.strip():
                    self.report(path + (i,), "empty item (it held only invisible characters); remove it")
                elif item is not None:
                    out.append(item.strip())
            elif isinstance(item, str) or item is None:
                self.report(path + (i,), "empty item; remove it")
            else:
                self.report(path + (i,), f"{quote(item)} must be text")
        return tuple(out)

    def items(self, path: KeyPath) -> list[int]:
        """Indexes of a list of mappings (sources, events...)."""
        value = self.get(path)
        if value is MISSING or value is None:
            return []
        if not isinstance(value, list):
            self.report(path, f"{quote(value)} must be a list ('- ' items)")
            return []
        good = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                good.append(i)
            else:
                self.report(path + (i,), f"{quote(item)} must be a mapping of 'key: value' lines")
        return good

    def integer(self, path: KeyPath, default: int | None = None, minimum: int | None = None) -> int | None:
        value = self.get(path)
        if value is MISSING or value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.report(path, f"{quote(value)} is not a whole number")
            return default
        if minimum is not None and value < minimum:
            self.report(path, f"{value} must be at least {minimum}")
            return default
        return value

    def number(self, path: KeyPath, low: float, high: float) -> float | None:
        value = self.get(path)
        if value is MISSING or value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.report(path, f"{quote(value)} is not a number")
            return None
        if not low <= value <= high:
            self.report(path, f"{value:g} must be between {low:g} and {high:g}")
            return None
        return value

    def boolean(self, path: KeyPath, default: bool = False) -> bool:
        value = self.get(path)
        if value is MISSING or value is None:
            return default
        if not isinstance(value, bool):
            self.report(path, f"{quote(value)} must be true or false")
            return default
        return value

    def day(self, path: KeyPath, required: bool = False) -> date | None:
        """A calendar date (YYYY-MM-DD)."""
        value = self._present(path, required, "is required (YYYY-MM-DD)")
        if value is MISSING:
            return None
        parsed = _calendar_day(str(value).strip())
        if parsed is None:
            self.report(path, f"{quote(value)} is not a date (use YYYY-MM-DD)")
        elif not FIRST_YEAR <= parsed.year <= LAST_YEAR:
            self.report(path, f"{quote(value)}: the year must be between {FIRST_YEAR} and {LAST_YEAR}")
            return None
        return parsed

    def moment(self, path: KeyPath, zone: tzinfo, required: bool = False) -> datetime | None:
        """A date or a datetime; a date is midnight and a naive time is local, both in `zone`."""
        value = self._present(path, required, "is required (YYYY-MM-DD)")
        if value is MISSING:
            return None
        text = str(value).strip()
        parsed: datetime | None = None
        if (day := _calendar_day(text)) is not None:
            parsed = datetime.combine(day, time())
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?", text):
            try:
                parsed = datetime.fromisoformat(text.replace(" ", "T", 1).replace(" ", ""))
            except ValueError:
                parsed = None
        if parsed is None:
            self.report(path, f"{quote(value)} is not a date ({_DATE_HINT})")
            return None
        if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
            self.report(path, f"{quote(value)}: the year must be between {FIRST_YEAR} and {LAST_YEAR}")
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=zone)
            if not self._local_time_exists(path, value, parsed, zone):
                return None
        try:  # the build shows it in UTC and in the site's zone; both must stay within year 9999
            for shown in (parsed.astimezone(timezone.utc), parsed.astimezone(zone)):
                if not FIRST_YEAR <= shown.year <= LAST_YEAR:
                    raise OverflowError
        except OverflowError:
            self.report(path, f"{quote(value)}: the year must be between {FIRST_YEAR} and {LAST_YEAR} "
                        "once converted to UTC and to the site's timezone too")
            return None
        return parsed

    def _local_time_exists(self, path: KeyPath, value: Any, local: datetime, zone: tzinfo) -> bool:
        """A local time the clocks skipped (spring forward) is an error; one they showed twice (fall
        back) is read as the first and warned about, since the writer may have meant the second."""
        try:
            there_and_back = local.astimezone(timezone.utc).astimezone(zone)
        except OverflowError:
            return True  # reported as out of range by the caller
        if there_and_back.replace(tzinfo=None) != local.replace(tzinfo=None):
            self.report(path, f"{quote(value)} does not exist in {zone}: the clocks skipped that hour; "
                        "give the time with its offset (e.g. +02:00) or a time outside the gap")
            return False
        if local.replace(fold=1).utcoffset() != local.utcoffset():
            self.report(path, f"{quote(value)} happens twice in {zone} (the clocks went back); read as the first, "
                        f"{local:%H:%M%z}; give the offset to choose", severity="warning")
        return True

    def url(self, path: KeyPath, required: bool = False) -> str | None:
        value = self.string(path, required=required)
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self.report(path, f"{quote(value)} is not an absolute URL (start it with https://)")
            return None
        return value.strip()

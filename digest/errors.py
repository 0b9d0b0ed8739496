"""Problems a writer reads: one located message per mistake, and the failure that carries them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class SourceError:
    """One problem in one file, printed as `path:line:col: message`."""

    path: str  # as the writer knows it: relative to the site folder where possible
    line: int | None
    col: int | None
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{self.message}"

    def sort_key(self) -> tuple:
        return (self.path, self.line or 0, self.col or 0, self.message)


class BuildFailed(Exception):
    """The content or config has errors; nothing was written."""

    def __init__(self, problems: Iterable[SourceError]):
        self.problems = tuple(sorted(problems, key=SourceError.sort_key))
        super().__init__("\n".join(str(p) for p in self.problems))


def has_errors(problems: Iterable[SourceError], strict: bool = False) -> bool:
    """True when the build must stop: any error, or any warning when strict."""
    return any(p.severity == "error" or strict for p in problems)


def quote(value: object, limit: int = 60) -> str:
    """The culprit as the writer typed it, shortened; text in single quotes, numbers and lists bare."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'" if isinstance(value, str) else text


def plural(n: int, word: str, plural_form: str | None = None) -> str:
    """`1 article`, `3 articles`, `2 companies` (with the plural form given)."""
    return f"{n} {word if n == 1 else plural_form or word + 's'}"

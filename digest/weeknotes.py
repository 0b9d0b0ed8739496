"""The editor's notes of the weekly digest: `content/weekly/<yyyy>-w<ww>.md`, one per issue at most.

A note is the third kind of Markdown document, beside articles and pages, read the same way (front matter,
sanitised Markdown, links between documents, the parse cache). Its file name says which week it belongs
to; its front matter may give the issue a `title` and a `summary`, and hold it back as a `draft`. Its body
goes at the top of the issue, in the weekly feeds and in the email. A note for a week with no published
story is kept but shown nowhere, with a warning: the stories may still be drafts or scheduled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from .config import SiteConfig
from .content import _body_html, _field_lines, _source_key, document_fingerprint, link_lines
from .errors import SourceError, quote
from .frontmatter import SourceDoc
from .validate import Checker
from .weekly import WEEK_NAME, WeekId, parse_week, weeks_in

NOTE_FIELDS = ("title", "summary", "draft")
NOTES_FOLDER = "weekly"  # under the content folder


@dataclass(frozen=True, slots=True, eq=False)  # one object per note: identity is equality
class WeeklyNote:
    source: str  # the file, as printed in messages
    source_key: str  # the file relative to the content folder
    week: WeekId  # from the file name
    title: str | None  # replaces the issue's default title when given
    summary: str | None  # the issue's one-line description, when given
    html: str  # the rendered body
    draft: bool
    field_lines: Mapping[str, tuple[int, int | None]]
    assets: tuple[tuple[Path, str], ...]  # files the body links to, and where they are published
    link_checks: tuple[tuple[str, bool], ...]
    source_hash: str = ""
    link_lines: tuple[tuple[str, int], ...] = ()  # as content.Article's
    fingerprint: str = field(init=False, repr=False, default="")  # as content.Article's

    def __post_init__(self) -> None:
        object.__setattr__(self, "fingerprint", document_fingerprint(self.source_hash, self.html))

    @property
    def path(self) -> str:
        """The site path of the issue it is shown on."""
        return self.week.path


def _week_of_file(check: Checker, path: Path) -> WeekId | None:
    """The week a note's file name names; an error at the file's first line when it names none."""
    stem = path.name.removesuffix(".md")
    week = parse_week(stem)
    if week is not None and stem == week.name:
        return week
    report = lambda message: check.problems.append(SourceError(check.display, 1, None, message))  # noqa: E731
    if week is not None:  # 2025-W42.md: one spelling, so two files can never claim one week
        report(f"the file name {quote(path.name)} must be lower case: rename it '{week.name}.md'")
    elif found := WEEK_NAME.match(stem.lower()):
        year, number = int(found[1]), int(found[2])
        has = f" (it has {weeks_in(year)})" if year >= 1 else ""
        report(f"the file name {quote(path.name)} names no week: {year} has no week {number}{has}")
    else:
        loose = re.fullmatch(r"(\d{4})-?w?(\d{1,2})", stem.lower())
        hint = f" (did you mean '{loose[1]}-w{int(loose[2]):02d}.md'?)" if loose else ""
        report(f"the file name {quote(path.name)} is not a week: name a note <yyyy>-w<ww>.md, e.g. 2025-w42.md{hint}")
    return None


def parse_note(doc: SourceDoc, config: SiteConfig) -> tuple[WeeklyNote | None, list[SourceError]]:
    check = Checker(doc.meta, doc.display)
    check.known_keys((), NOTE_FIELDS)
    week = _week_of_file(check, doc.path)
    title = check.name(("title",))
    summary = check.string(("summary",))
    draft = check.boolean(("draft",))
    html, links = _body_html(doc, week.path if week else "", config, check)
    if check.failed or week is None:
        return None, check.problems
    return WeeklyNote(doc.display, _source_key(doc, config), week, title.strip() if title and title.strip() else None,
                      (" ".join(summary.split()) or None) if summary else None, html, draft, _field_lines(doc),
                      tuple(links.assets), tuple(links.checked), link_lines=link_lines(doc, links)), check.problems


def notes_without_issue(notes: Sequence[WeeklyNote], weeks: Sequence) -> list[SourceError]:
    """A warning for each published note whose week has no issue (no published story)."""
    issued = {w.id for w in weeks}
    return [SourceError(n.source, 1, None, f"{n.week.name} has no published story, so it has no issue and this "
                        "note is not shown (yet: the week's stories may be drafts or scheduled)", "warning")
            for n in notes if n.week not in issued]

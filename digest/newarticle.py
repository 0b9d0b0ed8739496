"""`digest new`: a new draft article, or with --weekly a weekly issue's editor's note, with its front
matter filled in; never overwrites a file."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from . import urls
from .config import SiteConfig
from .errors import BuildFailed, SourceError, quote
from .frontmatter import CONTROL_CHARACTER
from .weekly import parse_week, week_of


def _yaml_list(items: list[str]) -> str:
    # JSON strings are valid YAML and quote everything a title may hold.
    return "[" + ", ".join(json.dumps(i, ensure_ascii=False) for i in items) + "]"


def write_new_article(config: SiteConfig, title: str, companies: list[str], tags: list[str],
                      day: str | None) -> str:
    slug = urls.slugify(title)
    if not title.strip() or not urls.plain_slugify(title):
        raise BuildFailed([SourceError("digest new", None, None,
                                       f"cannot make a slug from the title {quote(title)}; use letters or digits")])
    for option, value in [("title", title), *(("--company", c) for c in companies), *(("--tag", t) for t in tags)]:
        if CONTROL_CHARACTER.search(value) or not value.strip():
            raise BuildFailed([SourceError("digest new", None, None,
                                           f"{option} {quote(value)} is empty or has an invisible control character")])
    try:
        published = date.fromisoformat(day) if day else datetime.now(config.timezone).date()
    except ValueError:
        raise BuildFailed([SourceError("--date", None, None, f"{quote(day)} is not a date (use YYYY-MM-DD)")]) from None
    path = config.content_dir / "articles" / f"{published:%Y}" / f"{published:%m}" / f"{slug}.md"
    text = (
        "---\n"
        f"title: {json.dumps(title.strip(), ensure_ascii=False)}\n"
        f"date: {published.isoformat()}\n"
        f"companies: {_yaml_list(companies)}\n"
        f"tags: {_yaml_list(tags)}\n"
        "takeaways: []\n"
        "sources: []\n"
        "draft: true\n"
        "---\n\n"
        "Write the story here. Remove `draft: true` to publish it.\n"
    )
    return _create(config, path, text)


def write_new_note(config: SiteConfig, week_name: str | None) -> str:
    """A draft editor's note for `week_name` (2025-W42), by default the running week in the site's time zone."""
    week = week_of(datetime.now(config.timezone), config.timezone) if week_name is None else parse_week(week_name)
    if week is None:
        raise BuildFailed([SourceError("--weekly", None, None, f"{quote(week_name)} is not a week such as 2025-W42 "
                                       "(or that year has no such week)")])
    text = (
        "---\n"
        f"# title: {json.dumps(week.title, ensure_ascii=False)}  # uncomment to give the issue another title\n"
        "# summary: \"\"  # one line for the page description, the feeds and the email's preview\n"
        "draft: true\n"
        "---\n\n"
        "A few words on the week: what links its stories, what to watch next. "
        "Remove `draft: true` to show this note at the top of the issue.\n"
    )
    return _create(config, config.content_dir / "weekly" / f"{week.name}.md", text)


def _create(config: SiteConfig, path: Path, text: str) -> str:
    """Write a new file and return its path as the writer knows it; never overwrite one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise BuildFailed([SourceError(config.display(path), None, None,
                                       "already exists; digest new never overwrites a file")]) from None
    return config.display(path)

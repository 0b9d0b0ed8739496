"""`digest new`: a new draft article with its front matter filled in; never overwrites a file."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from . import urls
from .config import SiteConfig
from .errors import BuildFailed, SourceError, quote
from .frontmatter import CONTROL_CHARACTER


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
    folder = config.content_dir / "articles" / f"{published:%Y}" / f"{published:%m}"
    path = folder / f"{slug}.md"
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
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise BuildFailed([SourceError(config.display(path), None, None,
                                       "already exists; digest new never overwrites a file")]) from None
    return config.display(path)

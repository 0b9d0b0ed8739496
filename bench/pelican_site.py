"""The benchmark corpus converted for Pelican: same articles, same Markdown extensions, comparable pages."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

PELICANCONF = '''AUTHOR = "Bench"
SITENAME = "Generated Digest"
SITEURL = "https://bench.example.org"
PATH = "content"
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 20
ARTICLE_URL = ARTICLE_SAVE_AS_BASE = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
FEED_ALL_RSS = "feed.xml"
FEED_ALL_ATOM = "atom.xml"
TAG_FEED_RSS = "tags/{slug}/feed.xml"
TAG_FEED_ATOM = "tags/{slug}/atom.xml"
CATEGORY_FEED_ATOM = None
MARKDOWN = {"extensions": ["markdown.extensions.tables", "markdown.extensions.footnotes",
                           "markdown.extensions.fenced_code", "markdown.extensions.attr_list",
                           "markdown.extensions.toc"], "output_format": "html5"}
LOAD_CONTENT_CACHE = True  # the reference figures use the cache for edits
CACHE_CONTENT = True
'''


def convert(corpus: Path, out: Path) -> None:
    """Front matter → Pelican metadata lines; companies become tags too, as Pelican has no companies."""
    (out / "content").mkdir(parents=True, exist_ok=True)
    (out / "pelicanconf.py").write_text(PELICANCONF, encoding="utf-8")
    for source in sorted((corpus / "content" / "articles").rglob("*.md")):
        _, front, body = source.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(front)
        tags = [*meta.get("companies", []), *meta.get("tags", [])]
        header = [f"Title: {meta['title']}", f"Date: {str(meta['date']).replace('T', ' ')[:16]}",
                  f"Slug: {source.stem}", f"Tags: {', '.join(re.sub(r'[,]', '', t) for t in tags)}",
                  "Category: news"]
        (out / "content" / source.name).write_text("\n".join(header) + "\n\n" + body, encoding="utf-8")

"""Old addresses: `aliases:` in front matter, the redirect page written at each, the record of where
every article was published (`data/articles.json`), and the check that finds an article whose address
changed since that record without an alias for the old one.

An alias is a site path as a reader's browser shows it after the site's base URL (`/2024/05/old-slug/`).
Its redirect page says `noindex`, names the article as canonical and is planned apart from the pages, so it
is in no sitemap, feed or search index (Pagefind indexes only pages marked data-pagefind-body).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping
from urllib.parse import unquote, urlsplit

from . import urls
from .errors import SourceError, quote
from .files import RenderedFile, json_bytes
from .i18n import N_
from .validate import Checker

# units.py is imported inside functions: content.py reads aliases with this module, and the incremental
# package that units.py needs imports content.py.

ADDRESSES_FILE = "data/articles.json"
_UNSAFE = re.compile(r"[\s?#\\<>\"']|[\x00-\x1f\x7f]")
_EXAMPLE = "e.g. /2024/05/old-slug/"


def read_aliases(check: Checker) -> tuple[str, ...]:
    """The `aliases:` of an article or page, as output site paths ('2024/05/old-slug/'), each checked."""
    out: list[str] = []
    value = check.get(("aliases",))
    for i, alias in enumerate(check.strings(("aliases",))):
        at = ("aliases", i) if isinstance(value, list) else ("aliases",)
        problem, path = _site_path(alias)
        if problem:
            check.report(at, f"{quote(alias)} {problem}")
        elif path in out:
            check.report(at, f"{quote(alias)} is listed twice")
        else:
            out.append(path)
    return tuple(out)


def _site_path(alias: str) -> tuple[str | None, str]:
    parts = urlsplit(alias)
    if parts.scheme or alias.startswith("//"):
        return f"must be a path on this site without scheme or host, {_EXAMPLE}", ""
    if not alias.startswith("/"):
        return f"must be a site path starting with /, {_EXAMPLE}", ""
    if _UNSAFE.search(alias):
        return "must be a plain path, without spaces, quotes, a query (?) or a fragment (#)", ""
    path = unquote(alias[1:])
    segments = path.split("/")
    if not path or any(s in (".", "..") for s in segments) or "" in segments[:-1]:
        return f"must name a page below the site's root, {_EXAMPLE}", ""
    if not path.endswith("/") and not path.endswith((".html", ".htm")):
        path += "/"  # /old-slug is served from old-slug/index.html, as every page is
    return None, path


@dataclass(frozen=True, slots=True)
class RedirectUnit:
    """The page at an old address: refresh to the new one, canonical link to it, noindex, and a visible
    link for a browser that does not follow the refresh."""

    alias: str  # the old site path
    target: str  # the site path of the document now
    title: str
    origin: str

    @property
    def id(self) -> str:
        return "alias:" + self.alias

    @property
    def paths(self) -> tuple[str, ...]:
        return (urls.output_file(self.alias),)

    @property
    def context(self) -> Mapping[str, Any]:
        return MappingProxyType({})

    def identity(self) -> Any:
        return (self.alias, self.target, self.title)

    def render(self, ctx):
        from .units import Rendered

        html = ctx.env.from_string(REDIRECT_TEMPLATE).render(
            config=ctx.config, title=self.title, href=urls.site_url(ctx.config.base_path, self.target),
            target=urls.absolute_url(ctx.config.base_url, self.target))
        return Rendered((RenderedFile(self.paths[0], html.encode("utf-8")),), frozenset())


# Not a theme template: a redirect must work with any theme, a site's own included. The refresh goes to the
# site path, not base_url, so that it also works in a preview or a copy served elsewhere; the canonical link
# names the published address.
N_("This page has moved to")  # for the catalogs: the template below is a string, which the extractor skips
REDIRECT_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ config.language }}">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<link rel="canonical" href="{{ target }}">
<meta name="robots" content="noindex">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="0; url={{ href }}">
</head>
<body>
<p>{{ _("This page has moved to") }} <a href="{{ href }}">{{ title }}</a>.</p>
</body>
</html>
"""


def alias_units(site, taken: Mapping[str, str]) -> tuple[list[RedirectUnit], list[SourceError]]:
    """A redirect for every alias of every published article and page; an alias whose file another
    output (`taken`: path → what writes it) or another alias writes is an error on its `aliases:` line."""
    units, problems = [], []
    owners = dict(taken)
    for doc in (*site.articles, *site.pages):
        for alias in getattr(doc, "aliases", ()):
            unit = RedirectUnit(alias, doc.path, doc.title, f"the alias /{alias} of {doc.source}")
            path = unit.paths[0]
            taken_by = next((p for p in (path, *urls.folders_above(path)) if p in owners), None)
            if taken_by is not None:  # '/feed.xml' as an alias would make the site's feed a folder
                line, col = doc.field_lines.get("aliases", (None, None))
                problems.append(SourceError(doc.source, line, col, f"aliases: '/{alias}' is already the address of "
                                            f"{owners[taken_by]}; remove it or rename the other"))
                continue
            owners[path] = unit.origin
            units.append(unit)
    return units, problems


# --- where articles were published, and renamed slugs -----------------------------------------------


def addresses_unit():
    """data/articles.json: every published article's stable id, source file, address and aliases. The next
    `digest check` compares the content with it (see `renamed`); readers may use it too."""
    from .units import SiteFileUnit

    return SiteFileUnit("addresses", (ADDRESSES_FILE,), "the list of article addresses", None,
                        lambda _, ctx, reads: [_addresses(ctx.recording_site(reads), ctx.config)])


def _addresses(site, config) -> RenderedFile:
    from .feeds import article_feed_id  # feeds imports the theme's article block; only needed here

    records = [{"id": article_feed_id(a, config.timezone), "source": a.source_key, "path": "/" + a.path,
                "url": urls.absolute_url(config.base_url, a.path), "title": a.title,
                "aliases": ["/" + alias for alias in a.aliases]}
               for a in site.articles]
    return RenderedFile(ADDRESSES_FILE, json_bytes({"articles": records}))


def published_before(output_dir: Path) -> list[dict]:
    """The records of the last build's data/articles.json in the output folder; [] when there is none."""
    try:
        records = json.loads((output_dir / ADDRESSES_FILE).read_text(encoding="utf-8"))["articles"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    if not isinstance(records, list):  # a file edited by hand, or not ours
        return []
    return [r for r in records if isinstance(r, dict) and isinstance(r.get("path"), str)]


def renamed(site, config, written: frozenset[str]) -> list[SourceError]:
    """A warning for each article now at another address than the one the last build published it at
    (matched by its stable id, else by its source file), when nothing is written at the old address: the
    `aliases:` line that keeps the old links working."""
    from .feeds import article_feed_id

    before = published_before(config.output_dir)
    by_id = {r.get("id"): r for r in before}
    by_source = {r.get("source"): r for r in before}
    problems = []
    for article in site.articles:
        feed_id = article_feed_id(article, config.timezone)
        old = by_id.get(feed_id) or by_source.get(article.source_key)
        if old is None:
            continue
        if old.get("id") != feed_id and isinstance(old.get("id"), str) and not article.feed_id:
            # The id is made from the day and the slug: point at whichever of the two changed.
            moved = old["path"].rstrip("/").rsplit("/", 1)[-1] != article.slug
            field = ("slug" if "slug" in article.field_lines else "title") if moved else "date"
            line, col = article.field_lines.get(field, (None, None))
            problems.append(SourceError(article.source, line, col,
                                        f"a new {'slug' if moved else 'date'} gives this article a new feed id: feed "
                                        "readers would show it again as a new story; to keep its id, add: "
                                        f"id: {old['id']}", "warning"))
        problem, old_path = _site_path(old["path"])
        if problem or old_path == article.path or urls.output_file(old_path) in written:
            continue
        wanted = ", ".join(["/" + a for a in article.aliases] + ["/" + old_path])
        field = "slug" if "slug" in article.field_lines else "title"
        line, col = article.field_lines.get(field, (None, None))
        problems.append(SourceError(article.source, line, col,
                                    f"this article was published at /{old_path}, which will lead nowhere; "
                                    f"to redirect it here, add: aliases: [{wanted}]", "warning"))
    return problems


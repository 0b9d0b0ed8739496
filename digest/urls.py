"""Slugs, and every URL and output-path rule of the site, in one place."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from datetime import datetime
from html import unescape
from urllib.parse import urljoin

from slugify import slugify as _slugify

from .htmlurls import srcset_candidates, url_attributes

@dataclass(frozen=True, slots=True)
class Ref:
    """A named link to a company or tag page: its slug, display name and site path."""

    slug: str
    name: str
    path: str


SLUG_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


MAX_SLUG = 80  # characters; a folder name may have 255 bytes, and a URL should stay readable


@lru_cache(maxsize=65536)  # a site names a few hundred companies and tags thousands of times
def slugify(text: str) -> str:
    """`Société Générale` → `societe-generale`: transliterated, lower case, hyphens. Never empty and
    never longer than MAX_SLUG, so that it is always one folder: a name with nothing to transliterate
    (`🔥`, `#`) becomes `x-` and a short hash of the name, a long one is cut with a hash of the whole."""
    slug = _slugify(text)
    if not slug:
        return "x-" + _short_hash(text.strip().casefold())
    if len(slug) > MAX_SLUG:
        head = slug[: MAX_SLUG - 7]
        if "-" in head[MAX_SLUG // 2:]:  # cut between words where that keeps most of it
            head = head[: head.rindex("-")]
        return head.rstrip("-") + "-" + _short_hash(slug)
    return slug


def plain_slugify(text: str) -> str:
    """The transliterated slug alone: empty when there is nothing to transliterate, and not cut."""
    return _slugify(text)


def _short_hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=3).hexdigest()


def is_slug(text: str) -> bool:
    return SLUG_PATTERN.fullmatch(text) is not None


def article_path(date: datetime, slug: str) -> str:
    return f"{date:%Y}/{date:%m}/{slug}/"


def page_path(slug: str) -> str:
    return f"{slug}/"


def company_path(slug: str) -> str:
    return f"companies/{slug}/"


def tag_path(slug: str) -> str:
    return f"tags/{slug}/"


def author_path(author_id: str) -> str:
    return f"authors/{slugify(author_id)}/"


def listing_page_path(first_page: str, number: int) -> str:
    """Page N of a listing: `companies/x/` → `companies/x/page/2/`; the home page is ''."""
    return first_page if number == 1 else f"{first_page}page/{number}/"


def output_file(path: str) -> str:
    """The file a site path is served from: every page is index.html inside its folder."""
    return path + "index.html" if path == "" or path.endswith("/") else path


@dataclass(frozen=True, slots=True)
class FeedFile:
    """One feed file, as pages link to it."""

    format: str  # rss, atom or json
    path: str  # site path, e.g. companies/x/feed.xml
    media_type: str
    label: str  # what readers call the format


FEED_FILES = {"rss": "feed.xml", "atom": "atom.xml", "json": "feed.json"}
_FEED_TYPES = {"rss": ("application/rss+xml", "RSS"), "atom": ("application/atom+xml", "Atom"),
               "json": ("application/feed+json", "JSON Feed")}
SITE_FEED_FORMATS = ("rss", "atom", "json")
TOPIC_FEED_FORMATS = ("rss", "atom")  # per company and per tag
WEEKLY_FEED_FOLDER = "weekly/"  # the weekly digest: every format, as RSS-to-email services read any
CORRECTIONS_FOLDER = "corrections/"  # every correction on the site: every format too


def feed_formats(folder: str) -> tuple[str, ...]:
    """The site's feeds come in every format; a company's or a tag's in RSS and Atom."""
    return SITE_FEED_FORMATS if folder in ("", WEEKLY_FEED_FOLDER, CORRECTIONS_FOLDER) else TOPIC_FEED_FORMATS


def feed_path(folder: str, fmt: str) -> str:
    """`companies/x/` + rss → `companies/x/feed.xml`; the site's feeds are at the root."""
    return folder + FEED_FILES[fmt]


def feed_files(folder: str) -> tuple[FeedFile, ...]:
    """The feeds of a page's folder ('' for the site's), for templates: the one place pages learn feed
    file names from."""
    return tuple(FeedFile(fmt, feed_path(folder, fmt), *_FEED_TYPES[fmt]) for fmt in feed_formats(folder))


def site_url(base_path: str, path: str) -> str:
    """A link usable on any page of the site: `/digest/` + `tags/x/`."""
    return base_path + path


def absolute_url(base_url: str, path: str) -> str:
    return base_url + path


def absolutize_links(html: str, page_url: str) -> str:
    """Every href, src, poster and srcset candidate made absolute against the page it appears on (for
    feeds). Only the values that change are rewritten; every other byte stays as it was."""
    out, done = [], 0
    for attribute in url_attributes(html):
        raw = html[attribute.start:attribute.end]
        value = unescape(raw)
        joined = _absolute_srcset(value, page_url) if attribute.name == "srcset" else urljoin(page_url, value.strip())
        if joined == value:
            continue
        quote = attribute.quote or '"'
        wrap = "" if attribute.quote else '"'  # an unquoted value may not stay unquoted once it is a whole URL
        escaped = joined.replace("&", "&amp;").replace(quote, "&quot;" if quote == '"' else "&#39;")
        out += [html[done:attribute.start], wrap, escaped, wrap]
        done = attribute.end
    return "".join(out) + html[done:] if out else html


def _absolute_srcset(value: str, page_url: str) -> str:
    out, done = [], 0
    for start, end in srcset_candidates(value):
        out += [value[done:start], urljoin(page_url, value[start:end])]
        done = end
    return "".join(out) + value[done:]


def folders_above(path: str) -> list[str]:
    """The folders an output file sits in ('a/b/index.html' → ['a', 'a/b']): none may be another output's
    file, or one of the two could not be written."""
    parts = path.split("/")[:-1]
    return ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]

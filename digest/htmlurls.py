"""Where URLs stand in HTML: the attributes that hold them (href, src, srcset with each of its candidates,
poster), in any quoting.

Two readers, one per purpose. The link check reads a page through lxml's HTML parser (`page_urls`; a
page over a megabyte without keeping its tree). Feeds rewrite links in place (`url_attributes` locates
each value in the text, as an HTML5 tokenizer reads start tags), because serialising a parsed tree again
would change the bytes of everything around the links: entities, quoting, void elements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

import lxml.etree

URL_ATTRIBUTES = ("href", "src", "srcset", "poster")
_XPATH = lxml.etree.XPath("|".join(f"//@{name}" for name in URL_ATTRIBUTES))
_PARSER = lxml.etree.HTMLParser(encoding="utf-8", collect_ids=False, no_network=True)


# Above this size a page is read without building its tree: the tracker page of a 10,000-article site
# (9.5 MB) made a tree of 120 MB, the peak of the cold build. A tree and XPath are faster for every
# other page (0.5 against 0.7 ms a page at 10,000 articles).
STREAMED_ABOVE = 1_000_000


def page_urls(data: bytes) -> set[str]:
    """Every URL an HTML page links to or loads, entities decoded; a srcset gives each candidate."""
    if not data.strip():
        return set()
    if len(data) > STREAMED_ABOVE:
        return lxml.etree.fromstring(data, lxml.etree.HTMLParser(target=_UrlCollector(), encoding="utf-8",
                                                                  collect_ids=False, no_network=True))
    root = lxml.etree.fromstring(data, _PARSER)
    found: set[str] = set()
    if root is not None:
        for value in _XPATH(root):
            _add(found, value.attrname, value)
    return found


def _add(found: set[str], name: str, value: str) -> None:
    if name == "srcset":
        found.update(value[start:end] for start, end in srcset_candidates(value))
    else:
        found.add(value.strip())


class _UrlCollector:
    """An lxml parser target: the URL attributes of each start tag, and no tree."""

    def __init__(self):
        self.found: set[str] = set()

    def start(self, tag, attrib):
        for name, value in attrib.items():
            if name in _WANTED:
                _add(self.found, name, value)

    def close(self) -> set[str]:
        return self.found


_CANDIDATE_URL = re.compile(r"[^\s,][^\s]*")


def srcset_candidates(value: str) -> list[tuple[int, int]]:
    """(start, end) of each candidate's URL in a srcset value (`a.png 1x, b.png 2x`), as the HTML standard
    splits it: a URL runs to the next whitespace, less trailing commas; descriptors run to the next comma
    outside parentheses."""
    spans, pos, size = [], 0, len(value)
    while True:
        while pos < size and (value[pos].isspace() or value[pos] == ","):
            pos += 1
        match = _CANDIDATE_URL.match(value, pos)
        if match is None:
            return spans
        end = match.end()
        url_end = len(value[:end].rstrip(","))
        spans.append((pos, url_end))
        pos = end
        if url_end < end:
            continue  # `a.png,b.png`: the comma ended the candidate
        depth = 0
        while pos < size and (value[pos] != "," or depth):
            depth += {"(": 1, ")": -1}.get(value[pos], 0)
            pos += 1


@dataclass(frozen=True, slots=True)
class Attribute:
    """One URL-bearing attribute value in a text: where its value stands, and its quote ('' if none)."""

    name: str  # lower case
    start: int  # the value's first character, inside the quotes
    end: int
    quote: str  # '"', "'" or ''


# One token at a time, as an HTML5 tokenizer sees markup: a comment, a declaration or processing
# instruction, an end tag, or a start tag with its attributes (names, then values quoted with " or ' or
# unquoted). Possessive quantifiers: a tag left open at the end of the text cannot make it backtrack.
_VALUE = r"""(?:"[^"]*+"?|'[^']*+'?|[^\s>]*+)"""
_ATTRIBUTES = rf"(?>[\s/]*+[^\s/>][^\s/>=]*+(?:\s*+=\s*+{_VALUE})?)*+"
_MARKUP = re.compile(rf"<(?:!--.*?(?:-->|\Z)|[!?/][^>]*+>?|([A-Za-z][^\s/>]*+)({_ATTRIBUTES})[\s/]*+>?)", re.DOTALL)
_ATTRIBUTE = re.compile(r"""[\s/]*([^\s/>][^\s/>=]*)(?:\s*=\s*(?:"([^"]*)"?|'([^']*)'?|([^\s>]*)))?""")
_RAW_TEXT = ("script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title")
_WANTED = frozenset(URL_ATTRIBUTES)
_MAY_HOLD_URLS = re.compile(r"href|src|poster", re.IGNORECASE)  # srcset contains src


def url_attributes(html: str) -> Iterator[Attribute]:
    """Every href, src, srcset and poster value in the start tags of `html`; comments, end tags,
    declarations and the text of raw-text elements (script, style, textarea...) are skipped."""
    pos = 0
    while (markup := _MARKUP.search(html, pos)) is not None:
        pos = markup.end()
        tag = markup.group(1)
        if tag is None:
            continue
        if _MAY_HOLD_URLS.search(html, markup.start(2), markup.end(2)):
            at, end = markup.start(2), markup.end(2)
            while (attribute := _ATTRIBUTE.match(html, at, end)) is not None:
                at = attribute.end()
                name = attribute.group(1).lower()
                if name in _WANTED:
                    for group, quote in ((2, '"'), (3, "'"), (4, "")):
                        if attribute.group(group) is not None:
                            yield Attribute(name, attribute.start(group), attribute.end(group), quote)
        if tag.lower() in _RAW_TEXT:
            close = re.compile(rf"</{re.escape(tag)}[\s/>]", re.IGNORECASE).search(html, pos)
            pos = close.start() if close else len(html)

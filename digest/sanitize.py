"""What HTML a writer may put on a page: the allowlist rendered Markdown is cleaned with, and the URLs refused.

Markdown passes raw HTML through and the attribute-list extension sets any attribute, so a body could
carry `<script>`, `onerror=` or a `javascript:` link into every page and feed. Rendered HTML is cleaned
with nh3 (the Rust sanitizer ammonia) against an allowlist of what our Markdown and its extensions emit
plus the tags writers use on purpose (figures, details, sup/sub, abbr). `unsafe_html: true` in site.yaml
turns this off for a site that trusts every writer.
"""

from __future__ import annotations

import html as html_lib
import re

import nh3

TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "img", "ul", "ol", "li", "dl", "dt", "dd", "blockquote",
    "pre", "code", "kbd", "samp", "var", "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small",
    "q", "cite", "abbr", "time", "sup", "sub", "br", "hr", "wbr", "span", "div", "aside", "section",
    "figure", "figcaption", "details", "summary", "table", "caption", "colgroup", "col", "thead", "tbody",
    "tfoot", "tr", "th", "td", "picture", "source", "video", "audio", "track",
})
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},  # ids: headings, footnotes; classes: our boxes, code languages
    "a": {"href"},
    # Responsive images and media: their addresses are checked like links (dangerous_urls reads srcset, poster).
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"},
    "source": {"src", "srcset", "sizes", "type", "media", "width", "height"},
    "video": {"src", "poster", "controls", "width", "height", "preload", "muted", "loop", "playsinline"},
    "audio": {"src", "controls", "preload", "loop", "muted"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
    "time": {"datetime"},
}
# The tables extension aligns columns with `align=` (markdown_ext); inline styles are never kept.
ALIGNMENTS = {"align": {"left", "right", "center"}}
# Links to other sources are `digest-source:` placeholders until every URL is known (links.py).
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel", "digest-source"})

DANGEROUS_SCHEMES = ("javascript", "vbscript", "data")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")  # what a browser takes as a scheme, before any / ? #
_URL_ATTRIBUTE = re.compile(r"""\s(?:href|src|srcset|xlink:href|action|formaction|poster|background)\s*=\s*"""
                            r"""("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20]")  # browsers skip these inside "java\tscript:"


def sanitize(html: str) -> str:
    """The HTML with everything outside the allowlist removed; the very same text when nothing was."""
    clean = nh3.clean(html, tags=set(TAGS), attributes=ATTRIBUTES, link_rel=None, strip_comments=False,
                      url_schemes=set(URL_SCHEMES), tag_attribute_values={"th": ALIGNMENTS, "td": ALIGNMENTS})
    # The cleaner writes entities its own way (`&#160;` as `&nbsp;`, `&#8617;` as `↩`); when that is the only
    # difference nothing was removed, and the original bytes are kept so benign pages do not change.
    return html if clean == html or html_lib.unescape(clean) == html_lib.unescape(html) else clean


def scheme_of(url: str) -> str:
    """The scheme a browser reads in `url`, lower-case ('java\tscript:x' → 'javascript'); '' for none."""
    cleaned = _IGNORED_IN_SCHEME.sub("", url)
    return cleaned.partition(":")[0].lower() if ":" in cleaned else ""


def dangerous_urls(html: str) -> list[str]:
    """Every link or image address in the HTML that the cleaner would strip, leaving a link without an
    address or an image without a source: those that would run code or smuggle content (javascript:,
    data:), and any scheme other than the ones kept (file:, a Windows path's C:, ftp:)."""
    found = []
    for match in _URL_ATTRIBUTE.finditer(html):
        value = html_lib.unescape(match.group(1).strip("\"'"))
        scheme = scheme_of(value)
        written = _SCHEME.match(value.strip())
        if scheme in DANGEROUS_SCHEMES or written is not None and written.group(1).lower() not in URL_SCHEMES:
            found.append(value)
    return found

"""The Markdown converter (one per process, with the site's own extensions added), our extension (the
`!!! takeaways` box, local links) and the bounds on what converting one document may cost (nesting, time,
slow link patterns)."""

from __future__ import annotations

import difflib
import hashlib
import posixpath
import re
import signal
import threading
import time
import xml.etree.ElementTree as etree
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import quote, unquote, urlsplit

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import LinkInlineProcessor
from markdown.treeprocessors import Treeprocessor

from . import i18n, sanitize
from .markdown_settings import DEFAULT_TAKEAWAYS_TITLE, EXTENSIONS, NO_SETTINGS, MarkdownSettings


class TakeawaysProcessor(BlockProcessor):
    """`!!! takeaways "Title"` followed by an indented list → `<aside class="takeaways">`."""

    START = re.compile(r'(?:^|\n)!!! *takeaways(?: +"([^"\n]*)")? *(?:\n|$)')

    def test(self, parent, block):
        return self.START.search(block) is not None

    def run(self, parent, blocks):
        block = blocks.pop(0)
        match = self.START.search(block)
        if match.start():
            self.parser.parseBlocks(parent, [block[: match.start()]])
        inner, rest = self.detab(block[match.end():])
        # Blank lines split a loose list into several blocks: gather the indented ones.
        while blocks and blocks[0].startswith(" " * self.tab_length):
            more, rest_of_next = self.detab(blocks.pop(0))
            inner += "\n\n" + more
            if rest_of_next:
                blocks.insert(0, rest_of_next)
                break
        aside = etree.SubElement(parent, "aside", {"class": "takeaways"})
        heading = etree.SubElement(aside, "h2")
        default = i18n.active().gettext(DEFAULT_TAKEAWAYS_TITLE)  # in environment_key: records follow it
        heading.text = (match.group(1) or default).strip() or default
        self.parser.parseChunk(aside, inner)
        if rest:
            blocks.insert(0, rest)


_BOX_LIKE = re.compile(r" {0,3}!!! *([^\s\"]+)(.*)")


def box_mistakes(text: str) -> list[tuple[int, str]]:
    """(line in the text, from 1; what is wrong) for each line that looks meant to open a takeaways box but
    does not (`!!! takeaway`, `!!! Takeaways`, an unclosed title): Markdown would print it as text. Other
    `!!!` boxes (a site's admonition extension) are left alone."""
    found, fenced = [], False
    for number, line in enumerate(text.split("\n"), 1):
        if _FENCE.match(line):
            fenced = not fenced
        match = None if fenced else _BOX_LIKE.fullmatch(line.rstrip())
        if match is None or TakeawaysProcessor.START.fullmatch(line.rstrip()):
            continue
        word = match.group(1)
        if word.lower().strip("-_:") != "takeaways" and not difflib.get_close_matches(word.lower(), ["takeaways"],
                                                                                     cutoff=0.75):
            continue
        if word == "takeaways":
            found.append((number, 'this takeaways box\'s title is shown as text: write it in double quotes on '
                                  'the same line, !!! takeaways "Title"'))
        else:
            found.append((number, f"'!!! {word}' is shown as text: a key-takeaways box starts with "
                                  "'!!! takeaways' (lower case, optionally followed by a \"Title\")"))
    return found


class PlainBoxHeading(Treeprocessor):
    """Drops the id the toc extension gives the box's heading, so both kinds of box render alike."""

    def run(self, root):
        for aside in root.iter("aside"):
            if aside.get("class") == "takeaways":
                for heading in aside.findall("h2"):
                    heading.attrib.pop("id", None)


# The ids the default theme gives elements around a body (a test keeps this list in step with its templates):
# a heading "## Main" gets id="main_1", not a second id="main" beside the page's own <main id="main">.
THEME_IDS = ("companies-keys", "corrections-title", "events-columns", "events-title", "figures-title",
             "interface-strings", "licence", "main", "more-title", "note-title", "precision", "rail-busiest-title",
             "rail-events-title", "related-title", "search-query", "site-search", "sources-title", "stories-title",
             "timeline-title", "tracker-table", "what-title")
_RESERVED = "data-digest-reserved"


class ReserveThemeIds(Treeprocessor):
    """Before toc, which gives headings ids that no element of the body has yet: placeholders that hold the
    theme's ids, so toc steps around them the way it steps around ids written in the body."""

    def run(self, root):
        for name in THEME_IDS:
            etree.SubElement(root, "span", {"id": name, _RESERVED: ""})


class DropThemeIds(Treeprocessor):
    """After toc: the placeholders go."""

    def run(self, root):
        for element in [child for child in root if child.get(_RESERVED) is not None]:
            root.remove(element)


SOURCE_SCHEME = "digest-source:"  # a link to another Markdown source, resolved once every URL is known


@dataclass
class LinkContext:
    """Where the document being converted lives, so that its relative links can be resolved."""

    source: Path  # the Markdown file
    content_dir: Path
    page_path: str  # the document's site path, e.g. 2025/10/slug/
    base_path: str  # base_url's path, e.g. /
    assets: list[tuple[Path, str]] = field(default_factory=list)  # (file, output path) to copy
    missing: list[str] = field(default_factory=list)  # links to files that do not exist
    checked: list[tuple[str, bool]] = field(default_factory=list)  # every file looked for, and if it was there
    roots: tuple[Path, ...] = ()  # where linked files may really be (reader.site_roots); () trusts any
    images: list = field(default_factory=list)  # images.SourceImage of each picture, resized at build time
    image_problems: list[tuple[str, str]] = field(default_factory=list)  # (address as written, message)
    documents: list[tuple[str, str]] = field(default_factory=list)  # (source in content, address as written)

    def asset_name(self, target: Path) -> str:
        """`assets/<name>` for a file from outside the document's folder; a second file with the same
        name from another folder gets a short hash of its path in its name rather than replacing the first."""
        taken = {published: file for file, published in self.assets}
        name = self.page_path + "assets/" + target.name
        if taken.get(name, target) != target:
            digest = hashlib.blake2b(target.as_posix().encode(), digest_size=3).hexdigest()
            name = self.page_path + f"assets/{target.stem}-{digest}{target.suffix}"
        return name.removeprefix(self.page_path)

    def exists(self, target: Path) -> bool:
        found = target.is_file()
        self.checked.append((str(target), found))
        return found


class LocalLinks(Treeprocessor):
    """Links to Markdown sources become placeholders; links to files beside the document become assets."""

    def run(self, root):
        context: LinkContext | None = getattr(self.md, "link_context", None)
        if context is None:
            return
        from .images import body_picture  # images reaches units and config, which import this module

        for element in list(root.iter()):
            if element.tag == "img" and body_picture(element, element.get("src") or "", context):
                continue
            attr = {"a": "href", "img": "src"}.get(element.tag)
            value = element.get(attr) if attr else None
            if value:
                element.set(attr, self._resolve(value, context))

    @staticmethod
    def _resolve(url: str, context: LinkContext) -> str:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
            return url
        suffix = (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
        target = Path(posixpath.normpath((context.source.parent / unquote(parts.path)).as_posix()))
        try:
            in_content = target.relative_to(context.content_dir).as_posix()
        except ValueError:
            in_content = None
        if target.suffix == ".md":
            if in_content is None or not context.exists(target):
                context.missing.append(url)
                return url
            context.documents.append((in_content, url))
            return SOURCE_SCHEME + in_content + suffix
        if in_content is None or not context.exists(target):
            return url  # a site path written by hand: the link check judges it against the output
        if in_content.startswith("media/"):
            return context.base_path + quote(in_content, safe="/") + suffix
        beside = target.relative_to(context.source.parent).as_posix() if target.is_relative_to(
            context.source.parent) else context.asset_name(target)
        context.assets.append((target, context.page_path + beside))
        return context.base_path + quote(context.page_path + beside, safe="/") + suffix  # a file named 'memo 2.pdf'


class _Brackets:
    """Where each `[` of a text is closed, found in one pass. Python-Markdown's own `getText` walks from
    every `[` to its `]`, character by character, so 20,000 unclosed `[` took over a minute; this answers
    each in constant time with the same result, for the text the link processors are looking at."""

    def __init__(self) -> None:
        self.text: str | None = None
        self.closing: dict[int, int] = {}

    def get_text(self, data: str, index: int) -> tuple[str, int, bool]:
        if data is not self.text:
            self.text, self.closing, opened = data, {}, []
            for match in re.finditer(r"[\[\]]", data):
                if match.group() == "[":
                    opened.append(match.start())
                elif opened:
                    self.closing[opened.pop()] = match.start()
        end = self.closing.get(index - 1) if index and data[index - 1] == "[" else None
        if end is None:
            return data[index:], len(data), False
        return data[index:end], end + 1, True


LONGEST_LINK = 2000  # characters of a link's `(address "title")`, the longest URL browsers agree on


def _bounded(get_link_of):
    """Python-Markdown looks for the `)` that ends a link as far as the text goes, from every `](`:
    a paragraph of `[a](` repeated was quadratic. A link's address and title are looked for within
    LONGEST_LINK characters."""
    def get_link(data: str, index: int):
        if data.find(")", index, index + LONGEST_LINK) < 0:
            return "", None, index, False  # no `)` in reach: not a link, as the full search would find
        return original(data[: index + LONGEST_LINK], index)

    original = get_link_of
    return get_link


class TakeawaysExtension(Extension):
    def extendMarkdown(self, md):
        brackets = _Brackets()
        for pattern in md.inlinePatterns:
            if isinstance(pattern, LinkInlineProcessor):  # links, images and references
                pattern.getText = brackets.get_text
                pattern.getLink = _bounded(pattern.getLink)
        # Above the indented-code processor (80), which would swallow the box's body.
        md.parser.blockprocessors.register(TakeawaysProcessor(md.parser), "takeaways", 105)
        # Around toc (5), which adds heading ids.
        md.treeprocessors.register(ReserveThemeIds(md), "theme_ids", 5.5)
        md.treeprocessors.register(DropThemeIds(md), "theme_ids_dropped", 4.5)
        md.treeprocessors.register(PlainBoxHeading(md), "takeaways_heading", 4)
        # After inline processing (20), which turns [text](url) into <a> elements.
        md.treeprocessors.register(LocalLinks(md), "local_links", 3)


# Column alignment as `align=` rather than `style=`: pages then satisfy a CSP without inline styles.
_OWN_CONFIGS = {"footnotes": {"UNIQUE_IDS": False}, "tables": {"use_align_attribute": True}}


def make_markdown(settings: MarkdownSettings = NO_SETTINGS) -> markdown.Markdown:
    configs = {name: dict(values) for name, values in _OWN_CONFIGS.items()}
    for name, values in settings.configs.items():
        configs[name] = {**configs.get(name, {}), **values}
    added = [name for name in settings.extensions if name not in EXTENSIONS]
    return markdown.Markdown(
        extensions=[*EXTENSIONS, *added, *settings.objects, TakeawaysExtension()],
        extension_configs=configs,
        output_format="html",
    )


def extension_problem(name: str, values: Mapping[str, Any] | None = None) -> str | None:
    """Why the extension `name` (with these settings) cannot be loaded, or None when it can."""
    try:
        markdown.Markdown(extensions=[name], extension_configs={name: dict(values)} if values else {})
    except ImportError as exc:
        return f"{name!r} cannot be imported ({exc}); is it installed (pip install …)?"
    except AttributeError:
        return f"{name!r} is not a Python-Markdown extension (the module has no makeExtension)"
    except KeyError as exc:
        return f"{name!r} has no setting {exc}"
    except Exception as exc:  # noqa: BLE001 - a third-party extension may fail in any way; the writer reads why
        return f"{name!r} failed to load: {exc}"
    return None


_converters: dict[str, markdown.Markdown] = {}


def converter(settings: MarkdownSettings = NO_SETTINGS) -> markdown.Markdown:
    """The process's converter for these settings: building one costs more than converting an article.
    Only the latest is kept (a preview server may see the settings change between builds)."""
    key = repr(settings)
    md = _converters.get(key)
    if md is None:
        _converters.clear()
        md = _converters[key] = make_markdown(settings)
    return md


def render(text: str, links: LinkContext | None = None, settings: MarkdownSettings = NO_SETTINGS, *,
           safe: bool = True, refused: list[str] | None = None) -> str:
    """Markdown to HTML; with a LinkContext, local links are resolved and recorded in it. `safe` cleans
    the HTML with the allowlist in sanitize.py; addresses it refuses (javascript:, data:) go to `refused`."""
    md = converter(settings)
    md.reset()
    md.link_context = links
    try:
        html = md.convert(text)
    finally:
        md.link_context = None
    if not safe:
        return html
    if refused is not None:
        refused += sanitize.dangerous_urls(html)
    return sanitize.sanitize(html)


class TooSlow(Exception):
    """Converting one document took longer than its time budget."""


@contextmanager
def time_limit(seconds: float):
    """Raise TooSlow in the block after `seconds`: Python-Markdown has slow paths no input check can
    foresee. A timer signal can only interrupt the main thread (every worker process is one); elsewhere
    the block runs unbounded. A timer already running (a test timeout) is put back afterwards."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def stop(signum, frame):
        raise TooSlow

    started = time.monotonic()
    previous_handler = signal.signal(signal.SIGALRM, stop)
    previous_timer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_timer:
            signal.setitimer(signal.ITIMER_REAL, max(previous_timer - (time.monotonic() - started), 0.001))


# Block quote markers, indentation and list markers at the start of a line: each opens one level.
_FENCE = re.compile(r"[ \t]{0,3}(`{3,}|~{3,})")
_LINE_NESTING = re.compile(r"([ \t>]*)((?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*)")


def nesting_depth(text: str) -> tuple[int, int]:
    """The deepest nesting of lists and block quotes in a Markdown text, roughly as Python-Markdown will
    nest them (every `>`, every four columns of indentation, every list marker), and the line it is on."""
    deepest, where, fence = 0, 1, None
    for number, line in enumerate(text.split("\n"), 1):
        if fence is not None or _FENCE.match(line):  # code is shown as written, however it is indented
            marker = _FENCE.match(line)
            if marker and (fence is None or marker.group(1).startswith(fence)):
                fence = marker.group(1) if fence is None else None
            continue
        match = _LINE_NESTING.match(line)
        prefix, markers = match.group(1), match.group(2)
        depth = prefix.count(">") + len(prefix.replace(">", "").expandtabs(4)) // 4 + len(markers.split())
        if depth > deepest:
            deepest, where = depth, number
    return deepest, where


_SINGLE_PARAGRAPH = re.compile(r"\A<p>(.*)</p>\Z", re.DOTALL)


# Text with none of Markdown's markup characters renders to itself: no need to run the converter.
_PLAIN = re.compile(r"[A-Za-z0-9\u00C0-\u024F\"'(][^*_\[\]<>&!`\\#|~=^{}\n\t]*")
_LIST_START = re.compile(r"\d+[.)]\s")


def render_inline(text: str, settings: MarkdownSettings = NO_SETTINGS, *, safe: bool = True,
                  refused: list[str] | None = None) -> str:
    """Inline Markdown (emphasis, links, code) without the wrapping paragraph."""
    # The shortcut holds for digest's own extensions only: an added one may change plain text (smart quotes).
    if not settings.extensions and not settings.objects and _PLAIN.fullmatch(text) and not _LIST_START.match(text) and "  " not in text \
            and not text.endswith(" "):
        return text
    html = render(text, settings=settings, safe=safe, refused=refused)
    match = _SINGLE_PARAGRAPH.match(html)
    return match.group(1) if match and "<p>" not in match.group(1) else html


_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_FOOTNOTE_REF = re.compile(r'<sup id="fnref[^"]*">.*?</sup>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def first_paragraph_text(html: str) -> str:
    """The first top-level paragraph of rendered HTML as plain text (the default summary)."""
    import html as html_lib

    without_boxes = re.sub(r'<aside class="takeaways">.*?</aside>', "", html, flags=re.DOTALL)
    match = _FIRST_PARAGRAPH.search(without_boxes)
    if not match:
        return ""
    text = _TAG.sub("", _FOOTNOTE_REF.sub("", match.group(1)))
    return " ".join(html_lib.unescape(text).split())


def word_count(html: str) -> int:
    return len(_TAG.sub(" ", html).split())

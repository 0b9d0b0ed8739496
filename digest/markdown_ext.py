"""The Markdown converter (one per process) and our extension: the `!!! takeaways` box."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from functools import lru_cache

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

DEFAULT_TAKEAWAYS_TITLE = "Key takeaways"

# Everything that changes the HTML of a body; the incremental cache keys on it.
EXTENSIONS = ("tables", "footnotes", "fenced_code", "attr_list", "toc")


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
        heading.text = (match.group(1) or DEFAULT_TAKEAWAYS_TITLE).strip() or DEFAULT_TAKEAWAYS_TITLE
        self.parser.parseChunk(aside, inner)
        if rest:
            blocks.insert(0, rest)


class PlainBoxHeading(Treeprocessor):
    """Drops the id the toc extension gives the box's heading, so both kinds of box render alike."""

    def run(self, root):
        for aside in root.iter("aside"):
            if aside.get("class") == "takeaways":
                for heading in aside.findall("h2"):
                    heading.attrib.pop("id", None)


class TakeawaysExtension(Extension):
    def extendMarkdown(self, md):
        # Above the indented-code processor (80), which would swallow the box's body.
        md.parser.blockprocessors.register(TakeawaysProcessor(md.parser), "takeaways", 105)
        # After toc (5), which adds heading ids.
        md.treeprocessors.register(PlainBoxHeading(md), "takeaways_heading", 4)


def make_markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[*EXTENSIONS, TakeawaysExtension()],
        extension_configs={"footnotes": {"UNIQUE_IDS": False}},
        output_format="html",
    )


@lru_cache(maxsize=1)
def converter() -> markdown.Markdown:
    """The process's converter: building one costs more than converting an article."""
    return make_markdown()


def render(text: str) -> str:
    md = converter()
    md.reset()
    return md.convert(text)


_SINGLE_PARAGRAPH = re.compile(r"\A<p>(.*)</p>\Z", re.DOTALL)


def render_inline(text: str) -> str:
    """Inline Markdown (emphasis, links, code) without the wrapping paragraph."""
    html = render(text)
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

"""The build's own link check: every internal link, image and asset of every page must lead to a file
the build writes. A broken one is an error naming the page's source and the link."""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Iterable, Mapping
from urllib.parse import unquote, urlsplit

from .errors import SourceError, quote
from .files import RenderedFile
from .htmlurls import page_urls

GENERATED_LATER = ("pagefind/",)  # the search index is written after this check


class LinkChecker:
    """Checks pages one at a time against every path the build writes; verdicts on links that mean the
    same on every page (root-relative, absolute) are remembered, since most pages share them."""

    def __init__(self, existing: set[str], base_path: str, origins: Mapping[str, str]):
        self.existing = existing
        self.base_path = base_path
        self.origins = origins
        self.verdicts: dict[str, bool] = {}

    def _leads_somewhere(self, link: str, page_dir: str) -> bool:
        ok = self.verdicts.get(link)
        if ok is None:
            target = _target(link, page_dir, self.base_path)
            exists = self.existing
            ok = target is None or target.startswith(GENERATED_LATER) or target in exists or \
                (target + "index.html") in exists or (target.rstrip("/") + "/index.html") in exists
            if link.startswith(("/", "http:", "https:", "#", "mailto:")):
                self.verdicts[link] = ok
        return ok

    def check(self, file: RenderedFile) -> list[SourceError]:
        """Every href, src, srcset candidate and poster of an HTML page, read through an HTML parser."""
        if not file.path.endswith(".html"):
            return []
        page_dir = posixpath.dirname(self.base_path + file.path) + "/"
        origin = self.origins.get(file.path, file.path)
        return sorted(
            (SourceError(origin, _line_in(origin, link), None,
                         f"link {quote(link)} leads nowhere (on {file.path}){self._hint(link)}")
             for link in page_urls(file.data) if not self._leads_somewhere(link, page_dir)),
            key=SourceError.sort_key)

    def _hint(self, link: str) -> str:
        """A site path written without the site's own folder (base_url https://x.org/digest/): it works in a
        preview at the root and breaks where the site is published."""
        if self.base_path != "/" and link.startswith("/") and not link.startswith(self.base_path):
            return (f"; this site's addresses start with {self.base_path}: link to the source file instead "
                    "(e.g. ../07/story.md), which follows the site wherever it is published")
        return ""

    def check_files(self, paths: Iterable[str], folder: Path) -> list[SourceError]:
        """Check pages already on disk (those a build did not render again)."""
        return [problem for path in paths if path.endswith(".html")
                for problem in self.check(RenderedFile(path, (folder / path).read_bytes()))]


def _line_in(origin: str, link: str) -> int | None:
    """The line of the page's source where `link` is written as it is (a site path written by hand), so the
    writer is sent to it; None when the source cannot be read or the link was made by the theme."""
    try:
        text = Path(origin).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    found = text.find(link)
    return text.count("\n", 0, found) + 1 if found >= 0 else None


def _target(link: str, page_dir: str, base_path: str) -> str | None:
    """The output path a link points to, or None when it points outside the site."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not parts.path:
        return None  # another site, mailto:, data:, or a fragment of this page
    path = unquote(parts.path)
    absolute = path if path.startswith("/") else posixpath.normpath(page_dir + path) + ("/" if path.endswith("/") else "")
    if not absolute.startswith(base_path):
        return absolute  # above the site's folder: reported as broken
    return absolute[len(base_path):]

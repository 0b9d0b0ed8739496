"""The build's own link check: every internal link, image and asset of every page must lead to a file
the build writes. A broken one is an error naming the page's source and the link."""

from __future__ import annotations

import html
import posixpath
import re
from typing import Iterable, Mapping
from urllib.parse import unquote, urlsplit

from .errors import SourceError, quote
from .render import RenderedFile

_LINK = re.compile(rb'\s(?:href|src)="([^"]*)"')
GENERATED_LATER = ("pagefind/",)  # the search index is written after this check


def check_links(files: Iterable[RenderedFile], other_paths: Iterable[str], base_path: str,
                origins: Mapping[str, str]) -> list[SourceError]:
    files = list(files)
    exists = {f.path for f in files} | set(other_paths)
    problems = []
    verdicts: dict[bytes, bool] = {}  # root-relative and absolute links mean the same on every page
    for file in files:
        if not file.path.endswith(".html"):
            continue
        page_dir = posixpath.dirname(base_path + file.path) + "/"
        for raw in set(_LINK.findall(file.data)):
            ok = verdicts.get(raw)
            if ok is None:
                link = html.unescape(raw.decode("utf-8", "replace"))
                target = _target(link, page_dir, base_path)
                ok = target is None or target.startswith(GENERATED_LATER) or target in exists or \
                    (target + "index.html") in exists or (target.rstrip("/") + "/index.html") in exists
                if raw.startswith((b"/", b"http:", b"https:", b"#", b"mailto:")):
                    verdicts[raw] = ok
            if not ok:
                link = html.unescape(raw.decode("utf-8", "replace"))
                problems.append(SourceError(origins.get(file.path, file.path), None, None,
                                            f"link {quote(link)} leads nowhere (on {file.path})"))
    return sorted(problems, key=SourceError.sort_key)


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

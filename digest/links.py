"""Links between documents: `[earlier](../07/cuts.md)` becomes the URL of the article written there.

Runs after every document is parsed, when every URL is known, and before the
site model, so that a link to a missing or unpublished document is an error
that names the file and line of the link.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Callable, Mapping

from .content import Article, Content, Page
from .errors import SourceError
from .markdown_ext import SOURCE_SCHEME

_PLACEHOLDER = re.compile(re.escape(SOURCE_SCHEME) + r'([^"#?]*)')


def resolve_links(
    content: Content, base_path: str, publishes: Callable[[Article | Page], bool],
    has_errors: Callable[[str], bool] = lambda key: False,
) -> tuple[Content, list[SourceError]]:
    """Replace source placeholders with site URLs; a link to an unpublished document is an error. A link to
    a document that `has_errors` (by source key) is left alone: that document's own errors already fail the
    build, and one mistake should be reported once, not once more per story linking to it."""
    targets: dict[str, Article | Page] = {d.source_key: d for d in (*content.articles, *content.pages)}
    problems: list[SourceError] = []
    resolve = lambda document: resolve_document(document, targets, base_path, publishes, problems,  # noqa: E731
                                                has_errors)
    resolved = Content(tuple(resolve(a) for a in content.articles), tuple(resolve(p) for p in content.pages),
                       content.profiles, tuple(resolve(n) for n in content.notes))
    return resolved, problems


def resolve_document(document, targets: Mapping[str, Article | Page], base_path: str,
                     publishes: Callable[[Article | Page], bool], problems: list[SourceError],
                     has_errors: Callable[[str], bool] = lambda key: False):
    """One document with its links to other documents (`targets`, by source key) filled in."""
    # Every link to a source is in `link_lines`; a body with none is not read (see bodyreads.Packed).
    if not document.link_lines or SOURCE_SCHEME not in document.html:
        return document

    told: set[str] = set()  # each source once per document, at the line of its first link

    def url(match: re.Match) -> str:
        key = match.group(1)
        target = targets.get(key)
        if target is None and has_errors(key):
            return match.group(0)
        if target is None or not publishes(target):
            why = "which has errors or is not an article or page" if target is None else \
                "which is a draft (or scheduled) and will not be published"
            if key not in told:
                told.add(key)
                problems.append(SourceError(document.source, dict(document.link_lines).get(key), None,
                                            f"links to {key}, {why}"))
            return match.group(0)
        return base_path + target.path

    # A new record, so its fingerprint covers the URLs filled in (they depend on other documents).
    return dataclasses.replace(document, html=_PLACEHOLDER.sub(url, document.html))

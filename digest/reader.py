"""Finding the site's source files and reading them: articles, pages and company profiles."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .config import SiteConfig
from .errors import SourceError
from .frontmatter import SourceDoc, YamlDoc, decode, load_yaml, split_front_matter


@dataclass(frozen=True, slots=True)
class SourceFiles:
    """Every source file of the site, in a stable order."""

    articles: tuple[Path, ...]
    pages: tuple[Path, ...]
    profiles: tuple[Path, ...]


def _files(folder: Path, suffix: str, recursive: bool = False) -> list[Path]:
    """Files ending in `suffix`, sorted; hidden files, hidden folders and editor leftovers (.#x.md,
    ~x.md, _x.md) are not content. os.walk rather than glob: a 10,000-article site is listed in a
    fraction of the time, which a build that changes nothing notices."""
    if not folder.is_dir():
        return []
    found = []
    for top, dirs, names in os.walk(folder, followlinks=True):
        dirs[:] = [d for d in dirs if not d.startswith(_SKIPPED)] if recursive else []
        found += [os.path.join(top, n) for n in names if n.endswith(suffix) and not n.startswith(_SKIPPED)
                  and os.path.isfile(os.path.join(top, n))]
    return sorted(Path(p) for p in found)  # by path parts, as before: "a/x" sorts before "a-b/x"


_SKIPPED = (".", "~", "_")


NO_CONTENT = ("no content folder here: create content/articles/ and put articles in it as .md files "
              "('digest init' starts a whole site), or pass --content or --config")


def find_sources(config: SiteConfig) -> tuple[SourceFiles, list[SourceError]]:
    content = config.content_dir
    if not content.is_dir():
        return SourceFiles((), (), ()), [SourceError(config.display(content), None, None, NO_CONTENT)]
    companies = content / "companies"
    return SourceFiles(
        tuple(_files(content / "articles", ".md", recursive=True)),
        tuple(_files(content / "pages", ".md")),
        tuple(_files(companies, ".yaml") + _files(companies, ".yml")),
    ), unread_markdown(config)


def unread_markdown(config: SiteConfig) -> list[SourceError]:
    """A warning for each Markdown file in the content folder that the build does not read (content/x.md,
    content/posts/x.md, content/pages/drafts/x.md), saying where it would be read. Files and folders
    skipped on purpose ('.', '~', '_') are left alone, and so are content/articles/ (every .md there is
    read) and content/media/ (published as it is)."""
    content = config.content_dir
    found = []
    for top, dirs, names in os.walk(content, followlinks=True):
        here = Path(top)
        dirs[:] = sorted(d for d in dirs if not d.startswith(_SKIPPED)
                         and not (here == content and d in ("articles", "media")))
        found += [here / n for n in names if n.endswith(".md") and not n.startswith(_SKIPPED)]
    return [SourceError(config.display(path), None, None, _where_it_would_be_read(path.relative_to(content)),
                        "warning")
            for path in sorted(found) if path.parent != content / "pages"]


def _where_it_would_be_read(relative: Path) -> str:
    if relative.parts[0] == "pages":
        return f"not read: pages are read only directly in content/pages/ (content/pages/{relative.name})"
    return (f"not read: an article goes anywhere under content/articles/ (content/articles/{relative.as_posix()}), "
            f"a page in content/pages/ (content/pages/{relative.name})")


def read_markdown(path: Path, display: str, raw: bytes | None = None) -> SourceDoc:
    """One Markdown source split into front matter and body; YamlProblem when it cannot be."""
    return split_front_matter(decode(path.read_bytes() if raw is None else raw, display), path, display)


def read_profile(path: Path, display: str) -> YamlDoc:
    return load_yaml(decode(path.read_bytes(), display), display)

"""Finding the site's source files and reading them: articles, pages and company profiles."""

from __future__ import annotations

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


def _files(folder: Path, pattern: str) -> list[Path]:
    # Hidden files and editor leftovers (.#x.md, ~x.md) are not content.
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.glob(pattern)
        if p.is_file() and not any(part.startswith((".", "~", "_")) for part in p.relative_to(folder).parts)
    )


def find_sources(config: SiteConfig) -> tuple[SourceFiles, list[SourceError]]:
    content = config.content_dir
    if not content.is_dir():
        return SourceFiles((), (), ()), [SourceError(config.display(content), None, None,
                                                     "no content folder here; pass --content or --config")]
    companies = content / "companies"
    return SourceFiles(
        tuple(_files(content / "articles", "**/*.md")),
        tuple(_files(content / "pages", "*.md")),
        tuple(_files(companies, "*.yaml") + _files(companies, "*.yml")),
    ), []


def read_markdown(path: Path, display: str, raw: bytes | None = None) -> SourceDoc:
    """One Markdown source split into front matter and body; YamlProblem when it cannot be."""
    return split_front_matter(decode(path.read_bytes() if raw is None else raw, display), path, display)


def read_profile(path: Path, display: str) -> YamlDoc:
    return load_yaml(decode(path.read_bytes(), display), display)

"""Finding the site's source files and reading them: articles, pages and company profiles."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import SiteConfig
from .errors import SourceError
from .frontmatter import SourceDoc, YamlDoc, YamlProblem, decode, load_yaml, split_front_matter


@dataclass(frozen=True, slots=True)
class SourceFiles:
    articles: tuple[SourceDoc, ...]
    pages: tuple[SourceDoc, ...]
    profiles: tuple[tuple[YamlDoc, str, str], ...]  # (document, display path, slug from the file name)


def _files(folder: Path, pattern: str) -> list[Path]:
    # Hidden files and editor leftovers (.#x.md, ~x.md) are not content.
    return sorted(
        p for p in folder.glob(pattern)
        if p.is_file() and not any(part.startswith((".", "~", "_")) for part in p.relative_to(folder).parts)
    )


def _read(path: Path, display: str) -> str:
    return decode(path.read_bytes(), display)


def read_sources(config: SiteConfig) -> tuple[SourceFiles, list[SourceError]]:
    problems: list[SourceError] = []
    content = config.content_dir
    if not content.is_dir():
        problems.append(SourceError(config.display(content), None, None,
                                    "no content folder here; pass --content or --config"))
        return SourceFiles((), (), ()), problems

    def markdown_docs(folder: Path, pattern: str) -> tuple[SourceDoc, ...]:
        docs = []
        for path in _files(folder, pattern) if folder.is_dir() else []:
            display = config.display(path)
            try:
                docs.append(split_front_matter(_read(path, display), path, display))
            except YamlProblem as exc:
                problems.append(exc.problem)
        return tuple(docs)

    articles = markdown_docs(content / "articles", "**/*.md")
    pages = markdown_docs(content / "pages", "*.md")
    profiles = []
    companies = content / "companies"
    for path in (_files(companies, "*.yaml") + _files(companies, "*.yml")) if companies.is_dir() else []:
        display = config.display(path)
        try:
            doc = load_yaml(_read(path, display), display)
        except YamlProblem as exc:
            problems.append(exc.problem)
            continue
        profiles.append((doc, display, path.name.rsplit(".", 1)[0]))
    return SourceFiles(articles, pages, tuple(profiles)), problems

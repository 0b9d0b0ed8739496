"""Finding the site's source files and reading them: articles, pages and company profiles."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .config import SiteConfig
from .errors import SourceError
from .frontmatter import SourceDoc, YamlDoc, decode, load_yaml, split_front_matter


@dataclass(frozen=True, slots=True)
class SourceFiles:
    """Every source file of the site, in a stable order."""

    articles: tuple[Path, ...]
    pages: tuple[Path, ...]
    profiles: tuple[Path, ...]
    notes: tuple[Path, ...] = ()  # content/weekly/*.md: the weekly digest's editor's notes


def site_roots(config: SiteConfig) -> tuple[Path, ...]:
    """The folders a site's files may live in, symbolic links followed: the site's own folder, and the
    content folder when --content puts it elsewhere. A content/ (or static/) inside the site that is
    itself a link to elsewhere is not one of them: a writer could commit that link."""
    root = Path(os.path.realpath(config.root))
    if Path(os.path.abspath(config.content_dir)).is_relative_to(os.path.abspath(config.root)):
        return (root,)
    return root, Path(os.path.realpath(config.content_dir))


def inside_site(path: Path | str, roots: Iterable[Path]) -> bool:
    """`path`, every symbolic link on the way followed, is a file or folder inside one of `roots`
    (already real paths) and not in a hidden one there. A writer may link to anything inside the site,
    never outside it, nor to what the site hides: `.git/config` can hold a CI job's token."""
    real = Path(os.path.realpath(path))
    return any(real == root or real.is_relative_to(root) and not _hidden(real.relative_to(root)) for root in roots)


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") and part != ".well-known" for part in rel.parts)


def refuse_outside(path: Path | str, roots: Iterable[Path], display: str) -> SourceError | None:
    """The located error for a file or folder that is, through a symbolic link, outside the site or
    hidden in it."""
    if inside_site(path, roots):
        return None
    real = os.path.realpath(path)
    if not any(Path(real).is_relative_to(root) for root in roots):
        return SourceError(display, None, None, f"is a symbolic link to {real}, outside the site's folder; "
                                                "refusing to publish it (copy the file into the site)")
    what = f"is a symbolic link to {real}, which is" if real != os.path.abspath(path) else "is"
    return SourceError(display, None, None, f"{what} hidden (a name starting with '.'); refusing to publish it")


def shown(link: Path, display: Callable[[Path], str]) -> str:
    """A symbolic link as the writer knows it (`display` alone would name its target)."""
    parent = display(link.parent)
    return link.name if parent == "." else f"{parent}/{link.name}"


def walk_files(folder: Path, roots: Iterable[Path], display: Callable[[Path], str], recursive: bool = True,
               enter: Callable[[str], bool] = lambda name: True,
               want: Callable[[str], bool] = lambda name: True,
               through_links: set[Path] | None = None) -> tuple[list[Path], list[SourceError]]:
    """The files under `folder` whose name `want`s, in folders whose name we `enter`, sorted by path
    parts; symbolic links followed while they stay inside `roots`, and a link that leads outside is a
    problem, not a file. Each real folder is entered once, so a link loop ends at once instead of
    walking every path round the loop (exponentially many with two loops). `through_links` is given each
    file found that is a link or is reached through one."""
    roots = tuple(roots)
    start = refuse_outside(folder, roots, shown(folder, display))
    if start is not None:
        return [], [start]
    found: list[str] = []
    problems: list[SourceError] = []
    seen = {os.path.realpath(folder)}
    tops = [os.fspath(folder)]
    while tops:
        top = tops.pop()
        try:
            with os.scandir(top) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            continue  # gone or unreadable since it was listed: as os.walk, nothing under it
        below = []  # entered in name order, depth first, as os.walk does: the first name of a folder wins
        # A file in a real folder that is no link needs no check (its folder had one): most files, spared
        # a realpath each, which a 10,000-article site notices. The entries' own types spare a stat each.
        linked_folder = os.path.realpath(top) != os.path.abspath(top)
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if not recursive or not enter(entry.name):
                    continue
                real = os.path.realpath(entry.path)
                if real in seen:
                    continue  # a loop, or a folder already walked by another name
                seen.add(real)
                problem = refuse_outside(real, roots, shown(Path(entry.path), display))
                if problem is not None:
                    problems.append(problem)
                else:
                    below.append(entry.path)
                continue
            if not want(entry.name):
                continue
            try:
                if not entry.is_file():
                    continue  # a broken link, a link loop or a device is no file to publish
                linked = entry.is_symlink()
            except OSError:
                continue
            if not linked_folder and not linked:
                found.append(entry.path)
                continue
            problem = refuse_outside(entry.path, roots, shown(Path(entry.path), display))
            if problem is not None:
                problems.append(problem)
            else:
                found.append(entry.path)
                if through_links is not None:
                    through_links.add(Path(entry.path))
        tops.extend(reversed(below))
    # By path parts, as Paths sort: "a/x" before "a-b/x" (sorting the strings split is a tenth the time).
    return [Path(p) for p in sorted(found, key=lambda p: p.split(os.sep))], problems


def _files(folder: Path, suffix: str, config: SiteConfig, problems: list[SourceError],
           recursive: bool = False) -> list[Path]:
    """Files ending in `suffix`, sorted; hidden files, hidden folders and editor leftovers (.#x.md,
    ~x.md, _x.md) are not content. os.walk rather than glob: a 10,000-article site is listed in a
    fraction of the time, which a build that changes nothing notices. A source must really live in the
    content folder: a link to a file elsewhere in the site has no place among the sources."""
    if not folder.is_dir():
        return []
    through_links: set[Path] = set()
    found, more = walk_files(folder, site_roots(config), config.display, recursive,
                             enter=lambda name: not name.startswith(_SKIPPED),
                             want=lambda name: name.endswith(suffix) and not name.startswith(_SKIPPED),
                             through_links=through_links)
    problems += more
    content = (Path(os.path.realpath(config.content_dir)),)
    inside_content = Path(os.path.realpath(config.content_dir)) == Path(os.path.abspath(config.content_dir))
    kept = []
    for path in found:
        # Only a link, or a file reached through one, can be outside the content folder.
        if inside_content and (not through_links or path not in through_links):
            kept.append(path)
        elif inside_site(path, content):
            kept.append(path)
        else:
            problems.append(SourceError(shown(path, config.display), None, None,
                                        f"is a symbolic link to {os.path.realpath(path)}, outside the content "
                                        "folder; sources must live in it (move the file there)"))
    return kept


_SKIPPED = (".", "~", "_")


NO_CONTENT = ("no content folder here: create content/articles/ and put articles in it as .md files "
              "('digest init' starts a whole site), or pass --content or --config")


def find_sources(config: SiteConfig) -> tuple[SourceFiles, list[SourceError]]:
    content = config.content_dir
    if not content.is_dir():
        return SourceFiles((), (), ()), [SourceError(config.display(content), None, None, NO_CONTENT)]
    outside = refuse_outside(content, site_roots(config), shown(content, config.display))
    if outside is not None:
        return SourceFiles((), (), ()), [outside]
    companies = content / "companies"
    problems: list[SourceError] = []
    return SourceFiles(
        tuple(_files(content / "articles", ".md", config, problems, recursive=True)),
        tuple(_files(content / "pages", ".md", config, problems)),
        tuple(_files(companies, ".yaml", config, problems) + _files(companies, ".yml", config, problems)),
        tuple(_files(content / "weekly", ".md", config, problems)),
    ), problems + unread_markdown(config)


def unread_markdown(config: SiteConfig) -> list[SourceError]:
    """A warning for each Markdown file in the content folder that the build does not read, saying where it
    would be read (content/x.md, content/posts/x.md, content/pages/drafts/x.md) or the name to give it
    (x.markdown, x.MD, x.md.txt anywhere). Files and folders skipped on purpose ('.', '~', '_') are left
    alone, and so are content/media/ (published as it is), every .md under content/articles/ and the ones
    directly in content/pages/ and content/weekly/ (those are read)."""
    content = config.content_dir
    read_here = (content / "pages", content / "weekly")
    elsewhere, misnamed = [], []
    for top, dirs, names in os.walk(content):  # links are not followed: a loop must not hang a warning
        here = Path(top)
        dirs[:] = sorted(d for d in dirs if not d.startswith(_SKIPPED) and not (here == content and d == "media"))
        in_articles = here.is_relative_to(content / "articles")
        for name in names:
            if name.startswith(_SKIPPED):
                continue
            if not name.endswith(".md"):
                if Path(name).suffix.lower() in _MARKDOWN_LOOKALIKES:
                    misnamed.append(here / name)
            elif not in_articles and here not in read_here:
                elsewhere.append(here / name)
    return [SourceError(config.display(path), None, None, _where_it_would_be_read(path.relative_to(content)),
                        "warning") for path in sorted(elsewhere)] + \
        [SourceError(config.display(path), None, None,
                     f"not read: only files ending in '.md' are read; rename it {_as_md(path.name)}", "warning")
         for path in sorted(misnamed)]


# Names a Markdown file gets from other tools and editors; only '.md' is read.
_MARKDOWN_LOOKALIKES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".txt")


def _as_md(name: str) -> str:
    stem = name[: -len(Path(name).suffix)]  # 'x.md.txt' → 'x.md', 'x.MD' → 'x'
    return (stem[:-3] if stem.lower().endswith(".md") else stem) + ".md"


def _where_it_would_be_read(relative: Path) -> str:
    if relative.parts[0] == "pages":
        return f"not read: pages are read only directly in content/pages/ (content/pages/{relative.name})"
    if relative.parts[0] == "weekly":
        return f"not read: weekly notes are read only directly in content/weekly/ (content/weekly/{relative.name})"
    return (f"not read: an article goes anywhere under content/articles/ (content/articles/{relative.as_posix()}), "
            f"a page in content/pages/ (content/pages/{relative.name})")


def read_markdown(path: Path, display: str, raw: bytes | None = None) -> SourceDoc:
    """One Markdown source split into front matter and body; YamlProblem when it cannot be."""
    return split_front_matter(decode(path.read_bytes() if raw is None else raw, display), path, display)


def read_profile(path: Path, display: str) -> YamlDoc:
    return load_yaml(decode(path.read_bytes(), display), display)

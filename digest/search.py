"""Full-text search: the Pagefind index, built over the finished site before it is swapped in.

Pagefind is optional (`pip install 'restructuring-digest[search]'` brings its binary from
PyPI). Without it the site builds as usual, the search page says the index
is missing, and the build's summary says how to get it.

Pagefind is pointed at the folders that hold a page marked `data-pagefind-body` (`searchable_glob`):
when any page is marked it indexes only marked pages, but it reads every page and keeps each until the
end to find that out. At 10,000 articles the listing pages were 0.4 GB of its 1.8 GB and a quarter of its
time; the index is the same byte for byte.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

EXCLUDED = "table"
MARKER = "data-pagefind-body"
_PLAIN_NAME = re.compile(r"[\w.-]+")  # a folder or file name that means itself in Pagefind's glob
INSTALL_HINT = "search index not built: pagefind is not installed (pip install 'pagefind[bin]')"


def pagefind_command() -> list[str] | None:
    if importlib.util.find_spec("pagefind_bin") is not None and importlib.util.find_spec("pagefind") is not None:
        return [sys.executable, "-m", "pagefind"]
    for name in ("pagefind_extended", "pagefind"):
        found = shutil.which(name)
        if found:
            return [found]
    return None


class SearchIndexFailed(Exception):
    pass


def build_index(site_folder: Path) -> None:
    """Index every page marked data-pagefind-body (the default theme marks articles) into site_folder/pagefind/."""
    command = pagefind_command()
    if command is None:
        return
    # Tables (the events table, Markdown tables) read as a run of cells in an excerpt; their facts are in
    # the prose and in the tracker, which has a search of its own.
    glob = searchable_glob(site_folder)
    result = subprocess.run([*command, "--site", str(site_folder), "--exclude-selectors", EXCLUDED, "--silent",
                             *(["--glob", glob] if glob else [])], capture_output=True, text=True)
    if result.returncode != 0:
        raise SearchIndexFailed((result.stderr or result.stdout).strip() or f"pagefind exited {result.returncode}")


def searchable_glob(site_folder: Path) -> str | None:
    """A glob for Pagefind's `--glob` naming each top-level folder of the site that holds a page marked
    `data-pagefind-body`, and each such page at the top: `{2024/**/*.html,2025/**/*.html}` for our theme.
    Every marked page matches it, so the index is the one Pagefind makes of the whole site. None when no
    page is marked (Pagefind then indexes every page) or a name is more than letters, digits, `.`, `-`
    and `_` (Pagefind's glob gives meaning to brackets, braces, parentheses, `:`, `<`, `>`, `,`...)."""
    parts = []
    with os.scandir(site_folder) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.is_dir(follow_symlinks=False):  # Pagefind does not follow a linked folder either
                if any(_marked(os.path.join(folder, name)) for folder, _, names in os.walk(entry.path)
                       for name in names if name.endswith(".html")):
                    parts.append((entry.name, f"{entry.name}/**/*.html"))
            elif entry.name.endswith(".html") and _marked(entry.path):
                parts.append((entry.name, entry.name))
    if not parts or not all(_PLAIN_NAME.fullmatch(name) for name, _ in parts):
        return None
    return "{" + ",".join(glob for _, glob in parts) + "}"


def _marked(path: str) -> bool:
    """Whether an element of the page has the attribute, in any case, as Pagefind reads it; not the
    words in an article's text or code. Only pages with the words are parsed, and a folder's walk stops
    at its first marked page."""
    with open(path, "rb") as page:
        data = page.read()
    if MARKER.encode() not in data.lower():
        return False
    import lxml.html  # the parser lowercases attribute names, as browsers and Pagefind do

    try:
        return bool(lxml.html.fromstring(data).xpath(f"//*[@{MARKER}]"))
    except (ValueError, lxml.etree.ParserError):  # an empty or unreadable page marks nothing
        return False


def indexer(wanted: bool) -> tuple[Callable[[Path], None] | None, tuple[str, ...]]:
    """The function that indexes a finished site folder, when the index is wanted and Pagefind is here;
    and the note to show when it is wanted but cannot be made."""
    if not wanted:
        return None, ()
    if pagefind_command() is None:
        return None, (INSTALL_HINT,)
    return build_index, ()

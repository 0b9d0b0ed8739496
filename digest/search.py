"""Full-text search: the Pagefind index, built over the finished site before it is swapped in.

Pagefind is optional (`pip install 'restructuring-digest[search]'` brings its binary from
PyPI). Without it the site builds as usual, the search page says the index
is missing, and the build's summary says how to get it.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

EXCLUDED = "table"
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
    result = subprocess.run([*command, "--site", str(site_folder), "--exclude-selectors", EXCLUDED, "--silent"],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SearchIndexFailed((result.stderr or result.stdout).strip() or f"pagefind exited {result.returncode}")


def indexer(wanted: bool) -> tuple[Callable[[Path], None] | None, tuple[str, ...]]:
    """The function that indexes a finished site folder, when the index is wanted and Pagefind is here;
    and the note to show when it is wanted but cannot be made."""
    if not wanted:
        return None, ()
    if pagefind_command() is None:
        return None, (INSTALL_HINT,)
    return build_index, ()

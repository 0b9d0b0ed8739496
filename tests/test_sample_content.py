"""The sample site's articles are written in our own words: no run of eight words taken from the source reports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO.parent / "shared" / "sources"
RUN = 8


def words(text: str) -> list[str]:
    """Lower-cased words with punctuation stripped ("Scale AI’s" → "scale", "ais")."""
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "").replace("'", ""))


def runs(text: str, n: int = RUN) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i:i + n]) for i in range(len(w) - n + 1)}


def test_words_ignore_case_and_punctuation():
    assert words("Scale AI’s “New Projects Organization”, 12+ people!") == [
        "scale", "ais", "new", "projects", "organization", "12", "people"]
    assert runs("one two three four five six seven eight nine") == {
        ("one", "two", "three", "four", "five", "six", "seven", "eight"),
        ("two", "three", "four", "five", "six", "seven", "eight", "nine")}


ARTICLES = sorted((REPO / "content").rglob("*.md"))


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: str(p.relative_to(REPO / "content")))
def test_sample_article_shares_no_eight_word_run_with_the_sources(path):
    if not SOURCES.is_dir():
        pytest.skip(f"the source reports are not here ({SOURCES}); they sit beside the repository in ../shared")
    source_runs = set().union(*(runs(p.read_text(encoding="utf-8")) for p in sorted(SOURCES.glob("*.txt"))))
    shared = sorted(" ".join(r) for r in runs(path.read_text(encoding="utf-8")) & source_runs)
    assert shared == []

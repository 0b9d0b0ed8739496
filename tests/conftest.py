"""Fixtures shared by the tests: a small site in a temporary folder, or a copy of the fixture site."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sitetools import FIXTURES, MINIMAL_CONFIG, write


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A function that writes a site (site.yaml plus the given files) and returns its folder."""

    def make(files: dict[str, str] | None = None, config: str = MINIMAL_CONFIG) -> Path:
        root = tmp_path / "site"
        write(root, {"site.yaml": config, **(files or {})})
        (root / "content" / "articles").mkdir(parents=True, exist_ok=True)
        monkeypatch.chdir(root)  # messages name files relative to where the writer runs digest
        return root

    return make


@pytest.fixture
def fixture_site(tmp_path, monkeypatch) -> Path:
    """A copy of tests/fixtures/site, so a test may change it."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", root)
    monkeypatch.chdir(root)
    return root


@pytest.fixture(autouse=True)
def english_between_tests():
    """A build makes its site's language the process's active one (digest/i18n.py): a French site built by one
    test must not leave the next test's headcounts and week titles in French."""
    yield
    from digest import i18n

    i18n.activate(i18n.ENGLISH)

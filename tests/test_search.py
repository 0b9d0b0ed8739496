"""The Pagefind search index: built, identical across builds, and a clear note when Pagefind is missing."""

import pytest

from digest import search
from sitetools import build_site_at


@pytest.mark.skipif(search.pagefind_command() is None, reason="pagefind is not installed")
def test_search_index_is_built_and_identical_across_builds(fixture_site, tmp_path):
    build_site_at(fixture_site, output_dir=tmp_path / "a", search=True)
    build_site_at(fixture_site, output_dir=tmp_path / "b", search=True)
    index_a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a/pagefind").rglob("*") if p.is_file()}
    index_b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b/pagefind").rglob("*") if p.is_file()}
    assert index_a and index_a == index_b
    assert (tmp_path / "a/pagefind/pagefind.js").is_file()


@pytest.mark.skipif(search.pagefind_command() is None, reason="pagefind is not installed")
def test_a_build_with_search_after_one_without_makes_the_index(fixture_site):
    build_site_at(fixture_site, search=False)
    build_site_at(fixture_site, search=True)  # no page changed: the index is still missing
    assert (fixture_site / "public/pagefind/pagefind.js").is_file()


def test_without_pagefind_the_build_says_how_to_get_it(fixture_site, monkeypatch):
    monkeypatch.setattr(search, "pagefind_command", lambda: None)
    report = build_site_at(fixture_site, search=True)
    assert report.notes == ("search index not built: pagefind is not installed (pip install 'pagefind[bin]')",)
    assert not (fixture_site / "public/pagefind").exists()

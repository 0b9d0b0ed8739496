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


def write_pages(root, pages: dict[str, str]) -> None:
    for path, html in pages.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(html)


MARKED = '<html><body><article data-pagefind-body>Layoffs</article></body></html>'
PLAIN = '<html><body><p>A listing</p></body></html>'


def test_pagefind_reads_only_the_folders_that_hold_a_searchable_page(tmp_path):
    write_pages(tmp_path, {"2025/03/story/index.html": MARKED, "2025/index.html": PLAIN,
                           "companies/acme/index.html": PLAIN, "tags/ai/page/2/index.html": PLAIN,
                           "about.html": MARKED, "index.html": PLAIN})
    assert search.searchable_glob(tmp_path) == "{2025/**/*.html,about.html}"


def test_the_attribute_counts_in_any_case_and_its_name_in_text_does_not(tmp_path):
    write_pages(tmp_path, {"2025/03/story/index.html": '<html><body><P>&lt;article data-pagefind-body&gt;</P>'
                                                       '<code><span>data-pagefind-body</span></code></body></html>',
                           "about/index.html": '<html><body><ARTICLE DATA-PAGEFIND-BODY>x</ARTICLE></body></html>'})
    assert search.searchable_glob(tmp_path) == "{about/**/*.html}"


def test_with_no_searchable_page_pagefind_reads_every_page(tmp_path):
    write_pages(tmp_path, {"2025/03/story/index.html": PLAIN, "index.html": PLAIN})
    assert search.searchable_glob(tmp_path) is None


def test_a_folder_name_a_glob_would_misread_leaves_every_page_to_pagefind(tmp_path):
    for odd in ("odd{name}", "a(b)", "a:b", "q<1>"):
        write_pages(tmp_path / odd, {"2025/03/story/index.html": MARKED, f"{odd}/index.html": MARKED})
        assert search.searchable_glob(tmp_path / odd) is None


@pytest.mark.skipif(search.pagefind_command() is None, reason="pagefind is not installed")
def test_the_index_is_the_one_pagefind_makes_of_every_page(fixture_site, tmp_path, monkeypatch):
    import subprocess

    commands = []
    real_run = subprocess.run
    monkeypatch.setattr(search.subprocess, "run", lambda command, **kw: commands.append(command) or real_run(command, **kw))
    build_site_at(fixture_site, output_dir=tmp_path / "out", search=True)
    assert [c[c.index("--glob") + 1] for c in commands] == ["{2025/**/*.html}"]
    monkeypatch.undo()
    subprocess.run([*search.pagefind_command(), "--site", str(tmp_path / "out"), "--output-path",
                    str(tmp_path / "whole"), "--exclude-selectors", search.EXCLUDED, "--silent"], check=True)
    made = {p.relative_to(tmp_path / "out/pagefind"): p.read_bytes()
            for p in (tmp_path / "out/pagefind").rglob("*") if p.is_file()}
    whole = {p.relative_to(tmp_path / "whole"): p.read_bytes() for p in (tmp_path / "whole").rglob("*") if p.is_file()}
    assert made and made == whole

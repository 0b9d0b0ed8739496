"""The resident preview's build: after any sequence of saves it has made exactly the bytes of a cold build,
and an error introduced and fixed while it runs leaves no stale page."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from digest.pipeline import BuildOptions
from digest.resident import ResidentBuild
from sitetools import FIXTURES, build_site_at, keys_made

ARTICLE = "content/articles/2025/02/acme-closure.md"
BASE = "http://127.0.0.1:9/"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and p.name != ".digest"}


def cold(root: Path, out: Path) -> dict[str, bytes] | None:
    shutil.rmtree(out, ignore_errors=True)
    try:
        build_site_at(root, output_dir=out, base_url=BASE, cache=False)
    except Exception:  # noqa: BLE001 - a site with errors has no cold output to compare with
        return None
    return snapshot(out)


def edit(root: Path, rel: str, old: str, new: str) -> list[Path]:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return [path]


# Each save a writer makes: a function of the site folder returning the paths it touched.
SAVES = {
    "body": lambda r: edit(r, ARTICLE, "will close.", "will close by June."),
    "body again": lambda r: edit(r, ARTICLE, "Lyon plant will", "Lyon site will"),
    "body only": lambda r: edit(r, ARTICLE, "120 people work", "130 people work"),  # not the summary's paragraph
    "body only back": lambda r: edit(r, ARTICLE, "130 people work", "120 people work"),
    "title": lambda r: edit(r, ARTICLE, "title: Acme closes", "title: Acme shuts"),
    "tags": lambda r: edit(r, ARTICLE, "tags: [Closures]", "tags: [Closures, Plants]"),
    "broken link": lambda r: edit(r, ARTICLE, "will close.", "will close ([see](/nowhere/))."),
    "unbreak link": lambda r: edit(r, ARTICLE, "will close ([see](/nowhere/)).", "will close."),
    "error": lambda r: edit(r, ARTICLE, "date: 2025-02-03T09:30:00+01:00", "date: 2025-02-30"),
    "fix": lambda r: edit(r, ARTICLE, "date: 2025-02-30", "date: 2025-02-03T09:30:00+01:00"),
    "new article": lambda r: [_write(r / "content/articles/2025/02/new-one.md",
                                     "---\ntitle: A new one\ndate: 2025-02-10\ntags: [Closures]\n---\n\nNew.\n")],
    "delete": lambda r: _delete(r / "content/articles/2025/01/acme-hiring-freeze.md"),
    "rename": lambda r: _rename(r / "content/articles/2025/02/data-labeling-roundup.md",
                                r / "content/articles/2025/02/roundup.md"),
    "note": lambda r: [_write(r / "content/weekly/2025-w06.md", "---\ntitle: Acme's week\n---\n\nA *note*.\n")],
    "note edit": lambda r: [_write(r / "content/weekly/2025-w06.md", "---\nsummary: Closures.\n---\n\nEdited.\n")],
    "note gone": lambda r: _delete(r / "content/weekly/2025-w06.md"),
    "template": lambda r: [_write(r / "templates/404.html",
                                  '{% extends "base.html" %}{% block main %}<p>Gone.</p>{% endblock %}\n')],
}


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _delete(path: Path) -> list[Path]:
    path.unlink(missing_ok=True)
    return [path]


def _rename(old: Path, new: Path) -> list[Path]:
    if old.exists():
        old.rename(new)
    return [old, new]


def independent(root: Path) -> None:
    """Links between documents would break on a deletion; a build must then fail, which the sequence tests
    cover through "error"/"fix". Keep this site's documents independent."""
    for path in root.glob("content/articles/**/*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("](../02/acme-closure.md)", "](https://example.org/)")
                        .replace("](../01/acme-hiring-freeze.md)", "](https://example.org/)")
                        .replace("](../01/socgen-cuts.md)", "](https://example.org/)"), encoding="utf-8")


def start(tmp_path: Path) -> tuple[Path, ResidentBuild]:
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", root)
    independent(root)
    resident = ResidentBuild((root / "site.yaml").resolve(), tmp_path / "preview", BASE, BuildOptions(search=False))
    assert not resident.rebuild().failed
    return root, resident


@settings(max_examples=12, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(sorted(SAVES)), min_size=1, max_size=5))
def test_after_any_sequence_of_saves_the_preview_has_the_bytes_of_a_cold_build(tmp_path_factory, saves):
    tmp_path = tmp_path_factory.mktemp("resident")
    root, resident = start(tmp_path)
    for save in saves:
        changed = [p.resolve() for p in SAVES[save](root)]
        resident.quick_page(changed)
        outcome = resident.rebuild(changed)
        expected = cold(root, tmp_path / "cold")
        assert outcome.failed == (expected is None), (save, outcome.problems)
        if expected is not None:
            assert snapshot(tmp_path / "preview") == expected, save


def test_an_error_introduced_and_fixed_leaves_no_stale_page(tmp_path):
    root, resident = start(tmp_path)
    page = tmp_path / "preview/2025/02/acme-closure/index.html"
    before = page.read_bytes()
    for save in ("body", "error"):
        changed = [p.resolve() for p in SAVES[save](root)]
        resident.quick_page(changed)
        resident.rebuild(changed)
    assert resident.rebuild([]).failed
    for save in ("fix", "body again"):
        changed = [p.resolve() for p in SAVES[save](root)]
        resident.quick_page(changed)
        assert not resident.rebuild(changed).failed
    assert page.read_bytes() != before and b"Lyon site will close by June." in page.read_bytes()
    assert snapshot(tmp_path / "preview") == cold(root, tmp_path / "cold")


def test_a_page_shown_early_by_a_save_whose_build_failed_is_made_again_when_the_save_is_undone(tmp_path):
    root, resident = start(tmp_path)
    page = tmp_path / "preview/2025/02/acme-closure/index.html"
    before = page.read_bytes()
    changed = [p.resolve() for p in SAVES["broken link"](root)]
    assert resident.quick_page(changed) is not None and page.read_bytes() != before
    assert resident.rebuild(changed).failed  # the link leads nowhere
    changed = [p.resolve() for p in SAVES["unbreak link"](root)]
    assert not resident.rebuild(changed).failed
    assert page.read_bytes() == before


def test_a_body_edit_writes_the_page_before_the_rebuild(tmp_path):
    root, resident = start(tmp_path)
    changed = [p.resolve() for p in SAVES["body"](root)]
    assert resident.quick_page(changed) == "2025/02/acme-closure/"
    assert b"will close by June." in (tmp_path / "preview/2025/02/acme-closure/index.html").read_bytes()


def test_an_edit_that_moves_other_pages_waits_for_the_rebuild(tmp_path):
    root, resident = start(tmp_path)
    changed = [p.resolve() for p in SAVES["tags"](root)]
    assert resident.quick_page(changed) is None


def test_a_restarted_preview_starts_from_its_last_output(tmp_path):
    root, resident = start(tmp_path)
    resident.close()
    again = ResidentBuild((root / "site.yaml").resolve(), tmp_path / "preview", BASE, BuildOptions(search=False))
    outcome = again.rebuild()
    assert not outcome.failed and outcome.rendered == 0 and outcome.report.site is None


def test_the_preview_and_the_command_line_reuse_each_others_parsed_sources(fixture_site):
    from digest.config import load_config
    from digest.pipeline import build

    config = fixture_site / "site.yaml"  # served at the root, as the preview is: the same links in every body
    config.write_text(config.read_text().replace("https://fixture.example.org/news/", "https://fixture.example.org/"))
    sources = len(list((fixture_site / "content").rglob("*.md")))
    # `digest build` in the site's folder names sources relative to it; the preview, by absolute path.
    build(load_config(Path("site.yaml")), BuildOptions(search=False))
    preview = ResidentBuild(Path("site.yaml").resolve(), fixture_site / ".digest-cache/preview-9", BASE,
                            BuildOptions(search=False))
    assert preview.rebuild().report.reused == sources
    about = edit(fixture_site, "content/pages/about.md", "We cover", "We report on")  # no document links to it
    assert preview.rebuild([p.resolve() for p in about]).report.reused == sources - 1
    preview.close()
    again = build(load_config(Path("site.yaml")), BuildOptions(search=False))
    assert again.reused == sources


def test_a_saved_body_is_rebuilt_without_keying_the_outputs_that_do_not_show_it(tmp_path, monkeypatch):
    root, resident = start(tmp_path)
    keyed = keys_made(monkeypatch)
    changed = [p.resolve() for p in SAVES["body only"](root)]
    outcome = resident.rebuild(changed)
    assert len(keyed) == outcome.rendered + 1  # what it rendered, and chart.png's sizes (planned from a body)
    keyed.clear()
    changed = [p.resolve() for p in SAVES["title"](root)]
    outcome = resident.rebuild(changed)
    assert len(keyed) > 20  # a title shows on listings: every output is compared
    assert snapshot(tmp_path / "preview") == cold(root, tmp_path / "cold")

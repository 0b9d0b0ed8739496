"""Safe by default, files and folders: symbolic links never publish a byte from outside the site, the
output folder is only replaced when digest wrote it, and writing is all or nothing."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest import outputdir, search
from digest.errors import BuildFailed
from sitetools import MINIMAL_CONFIG, article, build_errors, build_site_at, image_bytes, write

SECRET = "s3cr3t-from-outside-the-site"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder beside the site (not in it) holding a file with a secret in it."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.png").write_text(SECRET)
    (folder / "secret.md").write_text(article("Secret", body=SECRET))
    return folder


def published_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted((root / "public").rglob("*")) if p.is_file())


def test_an_image_linked_to_a_file_outside_the_site_is_refused(site, outside):
    root = site({"content/articles/2025/10/a.md": article(date="2025-10-01", body="![e](env.png)")})
    (root / "content/articles/2025/10/env.png").symlink_to(outside / "secret.png")
    errors = build_errors(root)
    assert errors == [f"content/articles/2025/10/a.md: links to content/articles/2025/10/env.png, which is a "
                      f"symbolic link to {outside / 'secret.png'}, outside the site's folder; refusing to publish "
                      "it (copy the file into the site)"]
    assert not (root / "public").exists()


def test_an_image_linked_to_the_process_environment_is_refused(site):
    root = site({"content/articles/2025/10/a.md": article(date="2025-10-01", body="![e](env.png)")})
    (root / "content/articles/2025/10/env.png").symlink_to("/proc/self/environ")
    assert "outside the site's folder" in build_errors(root)[0]


def test_a_static_file_linked_outside_the_site_is_refused(site, outside):
    root = site()
    (root / "static").mkdir()
    (root / "static/passwd").symlink_to(outside / "secret.png")
    assert build_errors(root) == [f"static/passwd: is a symbolic link to {outside / 'secret.png'}, outside the "
                                  "site's folder; refusing to publish it (copy the file into the site)"]


def test_a_static_folder_linked_outside_the_site_is_refused(site, outside):
    root = site()
    (root / "static").mkdir()
    (root / "static/etc").symlink_to(outside)
    assert build_errors(root) == [f"static/etc: is a symbolic link to {outside}, outside the site's folder; "
                                  "refusing to publish it (copy the file into the site)"]


def test_a_media_file_linked_outside_the_site_is_refused(site, outside):
    root = site()
    (root / "content/media").mkdir(parents=True)
    (root / "content/media/logo.svg").symlink_to(outside / "secret.png")
    assert build_errors(root)[0].startswith("content/media/logo.svg: is a symbolic link to ")


def test_an_image_linked_to_a_hidden_file_of_the_site_is_refused(site):
    root = site({".git/config": f"[http] extraheader = AUTHORIZATION: basic {SECRET}",
                 "content/articles/2025/10/a.md": article(date="2025-10-01", body="![e](git.png)")})
    (root / "content/articles/2025/10/git.png").symlink_to(root / ".git/config")
    assert build_errors(root) == [f"content/articles/2025/10/a.md: links to content/articles/2025/10/git.png, "
                                  f"which is a symbolic link to {root / '.git/config'}, which is hidden (a name "
                                  "starting with '.'); refusing to publish it"]


def test_symbolic_links_inside_the_site_are_followed(site):
    root = site({"shared/logo.svg": "<svg/>",
                 "content/articles/2025/10/a.md": article(date="2025-10-01", body="![c](chart.png)")})
    (root / "shared/chart.png").write_bytes(chart := image_bytes(480, 240))
    (root / "content/articles/2025/10/chart.png").symlink_to(root / "shared/chart.png")
    (root / "static").mkdir()
    (root / "static/logo.svg").symlink_to("../shared/logo.svg")
    (root / "static/img").symlink_to(root / "shared")
    build_site_at(root)
    assert (root / "public/2025/10/a/chart-480.jpg").is_file()
    assert (root / "public/logo.svg").read_text() == "<svg/>"
    assert (root / "public/img/chart.png").read_bytes() == chart


def test_an_article_linked_to_a_file_outside_the_site_is_refused(site, outside):
    root = site()
    (root / "content/articles/secret.md").symlink_to(outside / "secret.md")
    assert build_errors(root) == [f"content/articles/secret.md: is a symbolic link to {outside / 'secret.md'}, "
                                  "outside the site's folder; refusing to publish it (copy the file into the site)"]


def test_an_article_linked_to_a_file_elsewhere_in_the_site_is_an_error_not_a_traceback(site):
    root = site({"drafts/a.md": article()})
    (root / "content/articles/a.md").symlink_to(root / "drafts/a.md")
    assert build_errors(root) == [f"content/articles/a.md: is a symbolic link to {root / 'drafts/a.md'}, outside "
                                  "the content folder; sources must live in it (move the file there)"]


@pytest.mark.parametrize("folder", ["content", "static"])
def test_a_content_or_static_folder_that_is_a_link_outside_the_site_is_refused(site, outside, folder):
    root = site()
    if folder == "content":
        shutil.rmtree(root / "content")
    (outside / "media").mkdir()
    (outside / "media/secret.png").write_text(SECRET)
    (root / folder).symlink_to(outside)
    errors = build_errors(root)
    assert f"{folder}: is a symbolic link to {outside}, outside the site's folder; refusing to publish it (copy " \
        "the file into the site)" in errors
    assert not (root / "public").exists()


def test_an_articles_folder_linked_outside_the_site_is_refused(site, outside):
    root = site()
    (root / "content/articles/elsewhere").symlink_to(outside)
    assert build_errors(root) == [f"content/articles/elsewhere: is a symbolic link to {outside}, outside the "
                                  "site's folder; refusing to publish it (copy the file into the site)"]


def test_symbolic_link_loops_in_the_articles_end_at_once(site):
    root = site({"content/articles/2025/a.md": article()})
    for name in ("loop", "again"):
        (root / "content/articles/2025" / name).symlink_to("..")
        (root / "content/articles" / name).symlink_to(".")
    started = time.monotonic()
    build_site_at(root)
    build_site_at(root)  # the second build walks the inputs to see whether anything changed
    assert time.monotonic() - started < 10
    assert (root / "public/2025/03/a/index.html").is_file()


# Property: whatever tree of files, folders and symbolic links a writer puts under content/, no byte from
# outside the site is ever published.

NAMES = ["a", "b", "img"]
_entry = st.tuples(
    st.lists(st.sampled_from(NAMES), min_size=0, max_size=2).map("/".join),  # the folder it goes in
    st.sampled_from(["x.md", "y.md", "p.png", "d", "a", "b"]),  # its name
    st.sampled_from(["file", "folder", "link"]),
    st.sampled_from(["outside/secret.png", "outside/secret.md", "outside", "/proc/self/environ", ".", "..",
                     "site/.git/config", "site/.git",
                     "../..", "a", "x.md", "p.png", "../a/p.png", "site", "missing"]),  # a link's target
)


def _plant(articles: Path, tmp: Path, entry) -> None:
    folder, name, kind, target = entry
    path = articles / folder / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "folder":
            path.mkdir()
        elif kind == "file" and name.endswith(".md"):
            body = "![p](p.png) [l](../a/p.png) ![e](env.png) [x](x.md)"
            path.write_text(article(f"Story {folder} {name}", date="2025-10-01", body=body))
        elif kind == "file":
            path.write_bytes(b"inside")
        else:
            outside = target.startswith(("outside", "site"))
            path.symlink_to(tmp / target if outside else target)
    except OSError:
        pass  # the name is taken already, or its folder is a link to a file: the tree stays as it is


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
          derandomize=True, max_examples=60)
@given(st.lists(_entry, max_size=12))
def test_no_tree_of_links_under_content_publishes_a_byte_from_outside_the_site(monkeypatch, entries):
    monkeypatch.setenv("DIGEST_TEST_SECRET", SECRET)  # /proc/self/environ holds it too
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        (tmp / "outside").mkdir()
        (tmp / "outside/secret.png").write_text(SECRET)
        (tmp / "outside/secret.md").write_text(article("Secret", body=SECRET))
        root = tmp / "site"
        write(root, {"site.yaml": MINIMAL_CONFIG, "content/articles/env.png": "inside", ".git/config": SECRET})
        for entry in entries:
            _plant(root / "content/articles", tmp, entry)
        try:
            build_site_at(root)
        except BuildFailed as failure:
            assert all(SECRET not in str(p) for p in failure.problems)
            return
        assert SECRET.encode() not in published_bytes(root)


# The output folder: replaced only when digest wrote it; a link to it is followed.

def test_a_marker_digest_did_not_write_does_not_make_a_folder_replaceable(fixture_site, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("precious")
    (mine / ".digest").write_text("x\n")
    (problem,) = build_errors(fixture_site, output_dir=mine)
    assert problem.endswith("is not empty and its .digest file is not one digest wrote; move its files away "
                            "or choose another --output")
    assert (mine / "notes.txt").read_text() == "precious"


def test_the_marker_of_an_earlier_digest_is_still_trusted(fixture_site):
    public = fixture_site / "public"
    public.mkdir()
    (public / "old.html").write_text("old")
    (public / ".digest").write_bytes(b"This folder is the output of digest; each build replaces all of it.\n")
    build_site_at(fixture_site)
    assert not (public / "old.html").exists() and (public / "index.html").is_file()


def test_an_output_that_is_a_symbolic_link_is_updated_at_its_target(fixture_site, tmp_path):
    target = tmp_path / "www" / "site"
    (fixture_site / "public").symlink_to(target)
    build_site_at(fixture_site)
    path = fixture_site / "content/articles/2025/02/acme-closure.md"
    path.write_text(path.read_text().replace("Acme closes its Lyon plant", "Acme shuts Lyon for good"))
    build_site_at(fixture_site, cache=False)
    assert (fixture_site / "public").is_symlink()
    assert "Acme shuts Lyon for good" in (target / "2025/02/acme-closure/index.html").read_text()
    assert sorted(p.name for p in target.parent.iterdir()) == ["site"]


def test_an_output_that_is_a_symbolic_link_loop_is_refused_clearly(fixture_site):
    (fixture_site / "public").symlink_to("public")
    (problem,) = build_errors(fixture_site)
    assert "site/public cannot be resolved (Symlink loop from " in problem
    assert problem.endswith("; choose another --output")


# Writing is all or nothing.

def _fake_index(monkeypatch, fail_after: int):
    """Pagefind stand-in: it writes an index of the pages it saw, and fails from its `fail_after`+1th run."""
    runs = []

    def index(folder: Path) -> None:
        runs.append(folder)
        if len(runs) > fail_after:
            raise search.SearchIndexFailed("the index broke")
        (folder / "pagefind").mkdir()
        pages = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))
        for number, page in enumerate(pages):
            (folder / "pagefind" / f"fragment-{number}").write_text(page)

    monkeypatch.setattr(search, "pagefind_command", lambda: ["pagefind"])
    monkeypatch.setattr(search, "build_index", index)
    return runs


def test_an_update_whose_search_index_fails_changes_nothing(fixture_site, monkeypatch):
    _fake_index(monkeypatch, fail_after=1)
    build_site_at(fixture_site, search=True)
    public = fixture_site / "public"
    before = {p: p.read_bytes() for p in public.rglob("*") if p.is_file()}
    path = fixture_site / "content/articles/2025/02/acme-closure.md"
    path.write_text(path.read_text().replace("Acme closes its Lyon plant", "Acme shuts Lyon for good"))
    assert build_errors(fixture_site, search=True) == ["pagefind: search index failed: the index broke"]
    assert {p: p.read_bytes() for p in public.rglob("*") if p.is_file()} == before
    assert [p.name for p in fixture_site.iterdir() if p.name.startswith(".public")] == []


def test_an_update_makes_the_search_index_afresh(fixture_site, monkeypatch, tmp_path):
    runs = _fake_index(monkeypatch, fail_after=99)
    build_site_at(fixture_site, search=True)
    (fixture_site / "content/articles/2025/02/data-labeling-roundup.md").unlink()
    build_site_at(fixture_site, search=True)
    build_site_at(fixture_site, search=True, cache=False, output_dir=tmp_path / "clean")
    assert len(runs) == 3
    incremental = {p.name: p.read_text() for p in (fixture_site / "public/pagefind").iterdir()}
    clean = {p.name: p.read_text() for p in (tmp_path / "clean/pagefind").iterdir()}
    assert incremental == clean


def _old_and_new(tmp_path: Path) -> tuple[Path, Path]:
    """An output folder and the finished folder beside it, each with an index.html saying which it is."""
    for name, text in (("public", "old"), (".public.building-1", "new")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text(text)
    return tmp_path / "public", tmp_path / ".public.building-1"


def test_the_new_output_takes_the_old_ones_place_in_one_step(tmp_path, monkeypatch):
    old, new = _old_and_new(tmp_path)
    monkeypatch.setattr(outputdir.os, "rename", None)  # no window where public/ is missing: no rename at all
    outputdir.swap(new, old)
    assert (old / "index.html").read_text() == "new" and not new.exists()


def test_without_an_atomic_exchange_the_output_is_swapped_by_two_renames(tmp_path, monkeypatch):
    old, new = _old_and_new(tmp_path)
    monkeypatch.setattr(outputdir, "_exchange", lambda a, b: False)
    outputdir.swap(new, old)
    assert (old / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_leftovers_of_killed_builds_are_removed_by_the_next_build(fixture_site):
    for name in (".public.building-k1lled", ".public.old-k1lled"):
        (fixture_site / name / "2025").mkdir(parents=True)
    build_site_at(fixture_site)
    assert [p.name for p in fixture_site.iterdir() if p.name.startswith(".public")] == []


def test_a_second_build_at_the_same_time_waits_then_fails_clearly(fixture_site, monkeypatch):
    monkeypatch.setattr(outputdir, "LOCK_WAIT", 0.3)
    held = outputdir.OutputLock(fixture_site / "public")
    try:
        (problem,) = build_errors(fixture_site)
    finally:
        held.release()
    assert problem.endswith("another build is writing public/ (it holds .public.lock); wait for it to finish, "
                            "or stop it, and build again")
    build_site_at(fixture_site)  # once the first is done, building works again
    assert not (fixture_site / ".public.lock").exists()


def test_a_terminated_build_cleans_up_like_an_interrupted_one(site):
    root = site({f"content/articles/{n}.md": article(f"Story {n}", body="Text. " * 400) for n in range(400)})
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--no-search", "--no-cache", "-j1"],
                               cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(root.glob(".public.building-*")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and "interrupted; the previous output is unchanged" in err
    assert [p.name for p in root.iterdir() if p.name.startswith(".public")] == []
    assert not (root / "public").exists()


@pytest.mark.skipif(search.pagefind_command() is None, reason="pagefind is not installed")
def test_after_an_article_is_removed_the_output_is_what_a_clean_build_makes(fixture_site, tmp_path):
    build_site_at(fixture_site, search=True)
    (fixture_site / "content/articles/2025/02/data-labeling-roundup.md").unlink()
    build_site_at(fixture_site, search=True)
    build_site_at(fixture_site, search=True, cache=False, output_dir=tmp_path / "clean")
    tree = lambda top: {p.relative_to(top): p.read_bytes() for p in top.rglob("*") if p.is_file()}  # noqa: E731
    assert tree(fixture_site / "public") == tree(tmp_path / "clean")


def test_sources_are_found_in_path_order_and_editor_leftovers_are_not_sources(site):
    from digest.config import load_config
    from digest.reader import find_sources

    root = site({f"content/articles/{name}": article(name) for name in
                 ("a-b/x.md", "a/x.md", "a/b/y.md", "a/.#x.md", "a/~x.md", "a/_x.md", ".hidden/z.md", "a/x.md.swp")})
    (root / "content/articles/c").symlink_to("a")  # the folder once more by another name: walked once
    sources, problems = find_sources(load_config(root / "site.yaml"))
    assert problems == []
    # By path parts, as the build orders sources: "a/…" before "a-b/…", though "-" sorts before "/".
    assert [p.relative_to(root / "content/articles").as_posix() for p in sources.articles] == \
        ["a/b/y.md", "a/x.md", "a-b/x.md"]

"""Safe by default, files and folders: symbolic links never publish a byte from outside the site, the
output folder is only replaced when digest wrote it, and writing is all or nothing."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.errors import BuildFailed
from sitetools import MINIMAL_CONFIG, article, build_errors, build_site_at, write

SECRET = "s3cr3t-from-outside-the-site"


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


def test_symbolic_links_inside_the_site_are_followed(site):
    root = site({"shared/chart.png": "chart bytes", "shared/logo.svg": "<svg/>",
                 "content/articles/2025/10/a.md": article(date="2025-10-01", body="![c](chart.png)")})
    (root / "content/articles/2025/10/chart.png").symlink_to(root / "shared/chart.png")
    (root / "static").mkdir()
    (root / "static/logo.svg").symlink_to("../shared/logo.svg")
    (root / "static/img").symlink_to(root / "shared")
    build_site_at(root)
    assert (root / "public/2025/10/a/chart.png").read_text() == "chart bytes"
    assert (root / "public/logo.svg").read_text() == "<svg/>"
    assert (root / "public/img/chart.png").read_text() == "chart bytes"


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
        write(root, {"site.yaml": MINIMAL_CONFIG, "content/articles/env.png": "inside"})
        for entry in entries:
            _plant(root / "content/articles", tmp, entry)
        try:
            build_site_at(root)
        except BuildFailed as failure:
            assert all(SECRET not in str(p) for p in failure.problems)
            return
        assert SECRET.encode() not in published_bytes(root)

"""`digest init`: a new site that builds as it is, written into an empty folder without overwriting anything;
and, end to end, the released tool (a wheel of this checkout in a fresh venv) starting and building one."""

import posixpath
import subprocess
import sys
import venv
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest

from digest import __version__
from digest.errors import BuildFailed
from digest.init import answers, init_site
from sitetools import build_site_at
from test_feeds import all_feeds, check_feed

REPO = Path(__file__).resolve().parent.parent
DAY = datetime(2025, 11, 3, tzinfo=timezone.utc)
EXAMPLE = "content/articles/2025/11/example-corp-closes-springfield-centre.md"


def run(*args, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, input=stdin or "", capture_output=True, text=True,
                          timeout=300)


def internal_links_that_lead_nowhere(public: Path, base_path: str) -> list[str]:
    """Every href, src and srcset candidate of every page that stays on the site, without a file behind it."""
    broken = []
    for page in public.rglob("*.html"):
        page_dir = base_path + posixpath.dirname(page.relative_to(public).as_posix())
        doc = lxml.html.fromstring(page.read_bytes())
        urls = doc.xpath("//@href | //@src") + [c.split()[0] for s in doc.xpath("//@srcset") for c in s.split(",")]
        for url in urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            path = unquote(parts.path)
            target = path if path.startswith("/") else posixpath.normpath(f"{page_dir}/{path}") + "/" * path.endswith("/")
            file = public / target.removeprefix(base_path)
            if not (file.is_file() or (file / "index.html").is_file() or target.startswith(base_path + "pagefind/")):
                broken.append(f"{page.relative_to(public)}: {url}")
    return broken


def test_init_writes_a_site_that_builds_with_no_problem_at_all(tmp_path, monkeypatch):
    result = init_site(tmp_path / "new", today=DAY)
    monkeypatch.chdir(tmp_path / "new")
    report = build_site_at(tmp_path / "new", now=DAY)
    assert set(result.written) == {"site.yaml", EXAMPLE, "content/companies/example-corp.yaml",
                                   "content/pages/about.md", ".gitignore", ".github/workflows/publish.yml"}
    assert report.warnings == ()
    assert (report.counts.articles, report.counts.companies) == (1, 1)
    public = tmp_path / "new/public"
    article = lxml.html.fromstring((public / "2025/11/example-corp-closes-springfield-centre/index.html").read_bytes())
    assert article.xpath('count(//aside[@class="takeaways"]//li)') == 2
    assert (public / "about/index.html").is_file() and (public / "tracker/index.html").is_file()
    assert "Example Corp" in (public / "data/events.csv").read_text(encoding="utf-8-sig")


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(BuildFailed) as refused:
        init_site(tmp_path, today=DAY)
    assert "is not empty" in str(refused.value.problems[0]) and "--force" in str(refused.value.problems[0])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_init_takes_a_folder_that_holds_only_a_git_repository(tmp_path):
    (tmp_path / ".git").mkdir()
    assert "site.yaml" in init_site(tmp_path, today=DAY).written


def test_force_adds_the_missing_files_and_keeps_every_existing_one(tmp_path):
    (tmp_path / "site.yaml").write_text("title: Mine\n")
    (tmp_path / ".gitignore").write_text("secrets/\n")
    result = init_site(tmp_path, force=True, today=DAY)
    assert result.kept == ("site.yaml", ".gitignore")
    assert (tmp_path / "site.yaml").read_text() == "title: Mine\n"
    assert (tmp_path / ".gitignore").read_text() == "secrets/\n"
    assert (tmp_path / EXAMPLE).is_file()


def test_the_cli_names_the_files_it_kept_and_prints_the_next_steps(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site/site.yaml").write_text("title: Mine\n")
    result = run(sys.executable, REPO / "build.py", "init", "site", "--force", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "  kept site.yaml (it was there already)" in result.stdout.splitlines()
    assert "  wrote .gitignore" in result.stdout.splitlines()
    assert "cd site" in result.stdout and "digest serve" in result.stdout and "Settings → Pages" in result.stdout


def test_the_cli_refuses_a_folder_that_is_not_empty_and_exits_1(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = run(sys.executable, REPO / "build.py", "init", cwd=tmp_path)
    assert result.returncode == 1
    assert ".: is not empty" in result.stderr
    assert not (tmp_path / "site.yaml").exists()


def test_title_and_base_url_are_asked_only_on_a_terminal(tmp_path):
    replies = iter(["Layoffs Weekly", "not a url", "https://me.github.io/layoffs"])
    assert answers(interactive=True, read=lambda prompt: next(replies)) == (
        "Layoffs Weekly", "https://me.github.io/layoffs")
    assert answers(interactive=False, read=lambda prompt: pytest.fail("asked")) == (
        "My Restructuring Digest", "https://example.org/")


def test_end_of_input_at_a_prompt_takes_the_default():
    def closed(prompt):
        raise EOFError

    assert answers(interactive=True, read=closed) == ("My Restructuring Digest", "https://example.org/")


def test_answers_go_into_site_yaml_as_yaml_reads_them(tmp_path, monkeypatch):
    init_site(tmp_path, title="Cuts: a digest #1", base_url="https://me.github.io/cuts", today=DAY)
    monkeypatch.chdir(tmp_path)
    from digest.config import load_config

    config = load_config(tmp_path / "site.yaml")
    assert (config.title, config.base_url) == ("Cuts: a digest #1", "https://me.github.io/cuts/")


def test_workflow_installs_the_pinned_release_with_search_and_runs_digest_build(tmp_path):
    init_site(tmp_path, today=DAY)
    workflow = (tmp_path / ".github/workflows/publish.yml").read_text()
    assert f'pip install "restructuring-digest[search]=={__version__}"' in workflow
    assert 'digest build --base-url "${{ steps.pages.outputs.base_url }}/"' in workflow
    assert "actions/deploy-pages@" in workflow
    assert "pip install -e" not in workflow and "build.py" not in workflow


def test_gitignore_keeps_the_output_and_the_cache_out_of_git(tmp_path):
    init_site(tmp_path, today=DAY)
    assert {"public/", ".digest-cache/"} <= set((tmp_path / ".gitignore").read_text().splitlines())


def test_build_in_an_empty_folder_suggests_digest_init(tmp_path):
    result = run(sys.executable, REPO / "build.py", "build", cwd=tmp_path)
    assert result.returncode == 2
    assert "no config file at site.yaml" in result.stderr and "'digest init'" in result.stderr


def test_a_site_without_a_content_folder_is_told_what_to_create(tmp_path):
    (tmp_path / "site.yaml").write_text("title: T\nbase_url: https://t.example/\n")
    result = run(sys.executable, REPO / "build.py", "build", cwd=tmp_path)
    assert result.returncode == 1
    assert "content: no content folder here: create content/articles/" in result.stderr


# The released tool, as a new user gets it: a wheel of this checkout, installed (not editable) into a fresh
# venv with the search extra, as the generated workflow installs it.

@pytest.fixture(scope="session")
def installed_digest(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("released")
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", root / "wheel", REPO, cwd=root)
    assert built.returncode == 0, built.stderr
    wheel = next((root / "wheel").glob("restructuring_digest-*.whl"))
    venv.create(root / "venv", with_pip=False)  # this Python's pip installs into it: faster than ensurepip
    python = root / "venv" / ("Scripts" if sys.platform == "win32" else "bin") / "python"
    installed = run(sys.executable, "-m", "pip", "--python", python, "install", "-q", f"{wheel}[search]", cwd=root)
    assert installed.returncode == 0, installed.stderr
    return python.parent / "digest"


@pytest.mark.slow
def test_released_tool_inits_and_builds_a_site_that_passes_the_sample_sites_checks(installed_digest, tmp_path):
    where = run(installed_digest.parent / "python", "-c", "import digest; print(digest.__file__)", cwd=tmp_path)
    assert str(installed_digest.parent.parent) in where.stdout  # the wheel's code, not this checkout's
    started = run(installed_digest, "init", "mysite", cwd=tmp_path)
    assert started.returncode == 0, started.stderr
    built = run(installed_digest, "build", cwd=tmp_path / "mysite")
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("built 1 article, 1 company, 2 tags into public/")
    assert built.stderr == ""  # no warning, and the search index was made
    public = tmp_path / "mysite/public"
    assert (public / "pagefind/pagefind.js").is_file()
    assert internal_links_that_lead_nowhere(public, "/") == []
    feeds = all_feeds(public)
    assert {"feed.xml", "atom.xml", "feed.json"} <= {p.relative_to(public).as_posix() for p in feeds}
    for feed in feeds:
        check_feed(feed)

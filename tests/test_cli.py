"""The command line as a writer runs it: a subprocess, its exit code and what it prints."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from sitetools import FIXTURES, article, write

REPO = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_build_alone_builds_and_prints_one_summary_line(fixture_site):
    result = run(cwd=fixture_site)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("built 4 articles, 2 companies, 4 tags (1 draft left out) into public/ in ")
    assert (fixture_site / "public/index.html").is_file()


def test_build_subcommand_takes_output_and_base_url(fixture_site, tmp_path):
    result = run("build", "--output", str(tmp_path / "out"), "--base-url", "https://preview.example/", cwd=fixture_site)
    assert result.returncode == 0, result.stderr
    assert "https://preview.example/2025/" in (tmp_path / "out/feed.xml").read_text()


def test_config_elsewhere_makes_folders_relative_to_it(tmp_path):
    shutil.copytree(FIXTURES / "site", tmp_path / "other")
    result = run("build", "--config", "other/site.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "other/public/index.html").is_file()


def test_content_errors_exit_1_with_one_line_each_and_no_traceback(tmp_path):
    shutil.copytree(FIXTURES / "broken", tmp_path / "broken")
    result = run(cwd=tmp_path / "broken")
    assert result.returncode == 1
    expected = (FIXTURES / "broken/expected.txt").read_text().splitlines()
    assert result.stderr.splitlines() == expected + ["digest: 24 errors; nothing was written"]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "broken/public").exists()


def test_check_reports_and_writes_nothing(fixture_site):
    result = run("check", cwd=fixture_site)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("checked 4 articles")
    assert not (fixture_site / "public").exists()


def test_check_exits_1_on_errors(fixture_site):
    write(fixture_site, {"content/articles/bad.md": article(date="tomorrow")})
    result = run("check", cwd=fixture_site)
    assert result.returncode == 1
    assert "content/articles/bad.md:3:7: date: 'tomorrow' is not a date" in result.stderr


def test_bad_command_line_exits_2(fixture_site):
    assert run("build", "--no-such-flag", cwd=fixture_site).returncode == 2
    assert run("frobnicate", cwd=fixture_site).returncode == 2


def test_a_bad_number_of_jobs_or_base_url_on_the_command_line_exits_2_naming_it(fixture_site):
    for args in (("--jobs", "0"), ("--jobs", "-3"), ("--base-url", "notaurl")):
        result = run("build", *args, cwd=fixture_site)
        assert result.returncode == 2 and f"argument {args[0]}" in result.stderr, args
    assert not (fixture_site / "public").exists()


def test_missing_config_exits_2_and_says_where_it_looked(tmp_path):
    result = run("build", cwd=tmp_path)
    assert result.returncode == 2
    assert "no config file at site.yaml" in result.stderr


def test_help_lists_the_commands(tmp_path):
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("build", "check", "serve", "new"):
        assert command in result.stdout


def test_new_writes_a_draft_and_refuses_to_overwrite(fixture_site):
    first = run("new", "Acme cuts 40 jobs", "--company", "Acme", "--tag", "layoffs", "--date", "2025-03-04",
                cwd=fixture_site)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "content/articles/2025/03/acme-cuts-40-jobs.md"
    text = (fixture_site / first.stdout.strip()).read_text()
    assert "draft: true" in text and 'companies: ["Acme"]' in text
    assert run("check", cwd=fixture_site).returncode == 0
    second = run("new", "Acme cuts 40 jobs", "--date", "2025-03-04", cwd=fixture_site)
    assert second.returncode == 1
    assert "already exists" in second.stderr
    assert (fixture_site / first.stdout.strip()).read_text() == text


def test_summary_says_what_was_left_out_and_verbose_lists_it(fixture_site):
    write(fixture_site, {"content/articles/later.md": article("Later", "2999-12-01")})
    result = run("build", "--verbose", cwd=fixture_site)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "(1 draft, 1 scheduled for 2999-12-01 left out)" in lines[0]
    assert lines[1] == "  0 unchanged sources reused from .digest-cache/, 67 outputs rendered (pages, feeds, sitemaps, data files)"
    assert lines[2].startswith("  time: checking inputs ") and "rendering" in lines[2]
    assert lines[3:] == ["  left out: content/articles/2025/02/unfinished.md (draft)",
                         "  left out: content/articles/later.md (scheduled for 2999-12-01 00:00 +0100)"]


def test_source_date_epoch_decides_what_is_scheduled(fixture_site):
    write(fixture_site, {"content/articles/later.md": article("Later", "2030-01-01")})
    import os
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1893456000"}  # 2030-01-01T00:00Z
    result = subprocess.run([sys.executable, str(REPO / "build.py")], cwd=fixture_site, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "scheduled" not in result.stdout


def test_the_summary_line_of_a_build_counts_its_warnings(fixture_site):
    write(fixture_site, {"content/articles/x.md": article(companies="[Globex]")})
    result = run("build", cwd=fixture_site)
    assert result.returncode == 0, result.stderr
    assert "warning: company 'Globex' has no profile" in result.stderr
    assert result.stdout.rstrip().endswith(" s with 1 warning (above)")


def test_warnings_alone_exit_0_unless_strict(fixture_site):
    write(fixture_site, {"content/articles/x.md": article(companies="[Globex]")})
    relaxed = run("check", cwd=fixture_site)
    assert relaxed.returncode == 0
    assert "warning: company 'Globex' has no profile" in relaxed.stderr
    assert relaxed.stdout.rstrip().endswith(": 1 warning")
    strict = run("check", "--strict", cwd=fixture_site)
    assert strict.returncode == 1
    assert strict.stderr.splitlines()[-1] == "digest: 0 errors, 1 warning; nothing was written"


def test_the_command_runs_exit_handlers_and_keeps_its_exit_code(fixture_site):
    # `run()` ends without freeing the heap object by object; what libraries registered to run at exit
    # still runs, and the exit code is main()'s.
    write(fixture_site, {"content/articles/bad.md": article(date="tomorrow")})
    script = ("import atexit, pathlib, sys; atexit.register(lambda: pathlib.Path('handler-ran').write_text('yes'));"
              "sys.argv = ['digest', 'check']; from digest.cli import run; run()")
    result = subprocess.run([sys.executable, "-c", script], cwd=fixture_site, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1
    assert result.stderr.endswith("digest: 1 error; nothing was written\n")
    assert (fixture_site / "handler-ran").read_text() == "yes"


def test_what_exit_handlers_print_is_not_lost(fixture_site):
    script = ("import atexit, sys; atexit.register(lambda: print('said at exit'));"
              "sys.argv = ['digest', 'check']; from digest.cli import run; run()")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # stdout block-buffered, as in a pipe
    result = subprocess.run([sys.executable, "-c", script], cwd=fixture_site, capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("said at exit\n")


def test_a_profiled_build_still_writes_its_profile(fixture_site):
    result = subprocess.run([sys.executable, "-m", "cProfile", "-o", "build.prof", str(REPO / "build.py"), "check"],
                            cwd=fixture_site, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (fixture_site / "build.prof").stat().st_size > 0

"""Progress: a long build shows its stage and count on a terminal, and nothing but the summary elsewhere."""

import io

from digest.progress import TerminalProgress
from sitetools import build_site_at
from test_cli import run


def test_the_build_reports_each_stage_up_to_its_total(fixture_site):
    seen = []
    build_site_at(fixture_site, cache=False, progress=lambda stage, done, total: seen.append((stage, done, total)))
    finals = {stage: (done, total) for stage, done, total in seen}
    assert finals["reading sources"][0] == finals["reading sources"][1] == 6
    assert finals["rendering"][0] == finals["rendering"][1] > 20
    assert [s for s, _, _ in seen].index("reading sources") < [s for s, _, _ in seen].index("rendering")


def test_terminal_progress_overwrites_one_line_and_clears_it():
    stream = io.StringIO()
    progress = TerminalProgress(stream, interval=0)
    progress("rendering", 1, 3)
    progress("rendering", 3, 3)
    progress.clear()
    assert stream.getvalue() == "\r\x1b[Krendering 1/3\r\x1b[Krendering 3/3\r\x1b[K"


def test_terminal_progress_skips_updates_faster_than_its_interval_but_never_the_last():
    stream = io.StringIO()
    progress = TerminalProgress(stream, interval=60)
    for done in range(1, 101):
        progress("reading sources", done, 100)
    assert stream.getvalue().count("\r") == 2 and stream.getvalue().endswith("reading sources 100/100")


def test_a_build_on_a_pipe_prints_no_progress(fixture_site):
    result = run("build", cwd=fixture_site)
    assert result.returncode == 0, result.stderr
    assert "\r" not in result.stderr + result.stdout and len(result.stdout.splitlines()) == 1

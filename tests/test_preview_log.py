"""The preview's terminal: one line per rebuild, and only the problems that are new or gone."""

from digest.errors import SourceError
from digest.resident import Outcome
from digest.serve import PreviewLog

BROKEN = SourceError("content/articles/a.md", 3, 7, "date: '2025-13-40' is not a date")


def test_a_rebuild_that_renders_outputs_says_how_many_and_how_long(capsys):
    PreviewLog().outcome("a.md", Outcome(0.25, 3, (), False))
    assert capsys.readouterr().out == "a.md: 3 outputs rendered in 0.25 s\n"


def test_a_start_with_nothing_to_render_says_it_is_up_to_date(capsys):
    PreviewLog().outcome("first build", Outcome(0.39, 0, (), False))
    assert capsys.readouterr().out == "first build: up to date, nothing to render (0.39 s)\n"


def test_a_problem_is_printed_once_and_its_fix_is_counted(capsys):
    log = PreviewLog()
    log.outcome("a.md", Outcome(0.1, 0, (BROKEN,), True))
    log.outcome("a.md", Outcome(0.1, 0, (BROKEN,), True))
    first = capsys.readouterr().err
    assert first.count(str(BROKEN)) == 1 and first.count("build failed") == 2
    log.outcome("a.md", Outcome(0.1, 1, (), False))
    assert capsys.readouterr().out == "a.md: 1 output rendered in 0.10 s; 1 problem gone\n"

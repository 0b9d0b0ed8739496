"""docs/illustrations.py draws honest sample pictures: the first event's figure where there is one, a pattern else."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("illustrations", REPO / "docs" / "illustrations.py")
illustrations = sys.modules["illustrations"] = importlib.util.module_from_spec(_spec)  # dataclasses look it up
_spec.loader.exec_module(illustrations)

SAMPLES = sorted(p for p in (REPO / "content" / "articles").rglob("*.md") if "\ndraft: true" not in p.read_text())
STAFF_CUT = REPO / "content/articles/2025/07/scale-ai-cuts-14-percent-of-staff.md"
CONTRACTORS = REPO / "content/articles/2025/10/scale-ai-closes-dallas-contractor-team.md"


def event(**fields) -> dict:
    return {"events": [{"company": "Acme", "date": "2025-01-02", "kind": "layoff", **fields}]}


def test_a_share_of_staff_colours_that_many_marks_of_a_hundred():
    marks = illustrations.share_marks(14)
    assert (len(marks), sum(marks)) == (100, 14)


def test_the_staff_cut_sample_reports_its_share_headcount_and_source():
    figure = illustrations.reported(illustrations.front_matter(STAFF_CUT))
    assert (figure.company, figure.percent, figure.count, figure.qualifier, figure.who, figure.source) == (
        "Scale AI", 14, 200, "about", "full-time staff", "bloomberg.com")


def test_the_contractor_sample_reports_a_lower_bound_headcount():
    figure = illustrations.reported(illustrations.front_matter(CONTRACTORS))
    assert (figure.percent, figure.count, figure.qualifier, figure.who) == (None, 12, "at-least", "contractors")


@pytest.mark.parametrize("meta", [{}, event(), event(kind="investment", note="Buys 49% of Acme.")],
                         ids=["no events", "no figure", "figure only in the note"])
def test_an_article_without_a_reported_figure_gets_no_figure(meta):
    assert illustrations.reported(meta) is None


def test_only_the_first_event_counts():
    meta = event()
    meta["events"].append({"company": "Acme", "kind": "layoff", "employees": 40})
    assert illustrations.reported(meta) is None


@pytest.mark.parametrize("count, per", [(12, 1), (100, 1), (101, 10), (1_400, 100)])
def test_a_headcount_is_drawn_in_at_most_a_hundred_marks(count, per):
    assert illustrations.marks_per_person(count) == per


@pytest.mark.parametrize("path", [STAFF_CUT, SAMPLES[0]], ids=["figure", "pattern"])
def test_a_drawing_is_1600_by_900_and_the_same_on_every_run(path):
    first, second = illustrations.illustration(path), illustrations.illustration(path)
    assert first.size == (1600, 900)
    assert first.tobytes() == second.tobytes()


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_the_committed_sample_picture_is_what_the_script_draws_now(path):
    """A figure changed in the front matter without re-running the script would leave a stale picture."""
    drawn = illustrations.illustration(path).quantize(32).convert("RGB")
    assert Image.open(path.with_suffix(".png")).convert("RGB").tobytes() == drawn.tobytes()


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_the_sample_caption_names_the_figure_drawn_or_says_it_shows_no_data(path):
    meta = illustrations.front_matter(path)
    figure = illustrations.reported(meta)
    caption = meta["image"]["caption"]
    if figure is None:
        assert "shows no data" in caption
    else:
        assert str(figure.count) in caption and (figure.percent is None or f"{figure.percent}%" in caption)

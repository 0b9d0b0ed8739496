"""Headcounts with their precision, and totals that say what they include."""

from types import SimpleNamespace

import pytest

from digest.figures import Figure, add, combined_qualifier, total


def ev(headcount=None, note=None):
    return SimpleNamespace(headcount=headcount, affected_note=note)


@pytest.mark.parametrize("figure, short, words", [
    (Figure(12), "12", "12"),
    (Figure(12, "at-least"), "12+", "at least 12"),
    (Figure(200, "about"), "about 200", "about 200"),
    (Figure(1500, "up-to"), "up to 1,500", "up to 1,500"),
])
def test_figure_is_written_with_its_precision(figure, short, words):
    assert (figure.short, figure.words) == (short, words)


@pytest.mark.parametrize("qualifiers, combined", [
    ([], "exactly"), (["exactly", "exactly"], "exactly"), (["exactly", "about"], "about"),
    (["about", "at-least"], "about"), (["exactly", "at-least"], "at-least"), (["exactly", "up-to"], "up-to"), (["at-least", "up-to"], "about"),
])
def test_a_sum_is_as_precise_as_its_parts(qualifiers, combined):
    assert combined_qualifier(qualifiers) == combined


def test_adding_nothing_is_not_zero():
    assert add([]) is None


def test_total_with_unknowns_says_how_many_events_it_covers():
    result = total([ev(Figure(200, "about"), "hundreds of contractors"), ev(Figure(12, "at-least")), ev(), ev()])
    assert result.figure == Figure(212, "about")
    assert result.sentence == ("About 212 people in 2 of 4 events with a reported headcount, "
                               "plus hundreds of contractors")


def test_total_without_unknowns_covers_all_events():
    assert total([ev(Figure(5)), ev(Figure(7))]).sentence == "12 people in all events"


def test_total_of_events_without_headcount_is_not_reported_never_zero():
    result = total([ev(), ev(None, "dozens of tutors")])
    assert result.figure is None and result.short == "not reported"
    assert result.sentence == "No headcount reported; dozens of tutors"

"""Work spread over forked workers gives what one process gives, in order; each slice of it gets a worker of
its own, so no worker lives through the whole build copying the parent's memory."""

import os

import pytest

from digest.parallel import SLICES_PER_WORKER, map_in_order


def square_with_pid(n):
    return n * n, os.getpid()


def test_results_come_back_in_the_order_of_the_items():
    results = map_in_order(square_with_pid, list(range(100)), jobs=2, min_per_job=1)
    assert [square for square, _ in results] == [n * n for n in range(100)]


def test_each_slice_is_made_by_a_worker_of_its_own():
    pids = [pid for _, pid in map_in_order(square_with_pid, list(range(64)), jobs=2, min_per_job=1)]
    assert os.getpid() not in pids
    assert len(set(pids)) == 2 * SLICES_PER_WORKER


def collector_on(_):
    import gc

    return gc.isenabled()


def test_a_worker_forked_while_the_collector_is_paused_collects_its_own_garbage():
    import gc

    from digest import collector

    with collector.paused():
        results = map_in_order(collector_on, list(range(8)), jobs=2, min_per_job=1)
        assert not gc.isenabled()
    collector.release()
    assert all(results) and gc.isenabled()


def test_sources_are_parsed_with_the_collector_on(fixture_site, monkeypatch):
    import gc

    from digest import content
    from sitetools import build_site_at

    seen, parse = [], content.parse_document
    monkeypatch.setattr(content, "parse_document", lambda *args: (seen.append(gc.isenabled()), parse(*args))[1])
    build_site_at(fixture_site, jobs=1, cache=False)
    assert seen and all(seen)


def test_too_little_work_stays_in_this_process():
    pids = {pid for _, pid in map_in_order(square_with_pid, list(range(10)), jobs=2, min_per_job=50)}
    assert pids == {os.getpid()}


def test_progress_is_told_up_to_every_item():
    told = []
    map_in_order(square_with_pid, list(range(40)), jobs=2, min_per_job=1, done=told.append)
    assert told == sorted(told) and told[-1] == 40


def fails_on_13(n):
    if n == 13:
        raise ValueError("thirteen is unlucky")
    return n


def test_a_workers_exception_is_raised_in_the_parent_with_the_workers_traceback():
    with pytest.raises(ValueError, match="thirteen is unlucky") as raised:
        map_in_order(fails_on_13, list(range(40)), jobs=2, min_per_job=1)
    assert "in fails_on_13" in "".join(raised.value.__notes__)


def dies_on_7(n):
    if n == 7:
        os._exit(3)
    return n


def test_a_worker_that_dies_is_an_error_naming_its_exit_code():
    with pytest.raises(RuntimeError, match="exit code 3"):
        map_in_order(dies_on_7, list(range(40)), jobs=2, min_per_job=1)


def returns_a_function(n):
    return lambda: n


def test_a_result_that_cannot_travel_back_is_an_error_saying_why():
    with pytest.raises(RuntimeError, match="in a worker: .*lambda"):
        map_in_order(returns_a_function, list(range(40)), jobs=2, min_per_job=1)

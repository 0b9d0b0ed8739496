"""Spreading work over the machine's cores: a function mapped over items in forked worker processes.

Workers are forked, so they inherit the parent's state (the site model, the
Jinja environment) without pickling it; only each chunk's results travel
back, in input order, so the output never depends on scheduling.
"""

from __future__ import annotations

import gc
import os
import threading
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_task: Callable | None = None
_items: Sequence | None = None
# A forked worker has only the thread that forked it: a lock another thread held at that moment (Jinja's
# template cache, Babel's data) stays held in the worker for ever. Work on other threads that takes such
# locks (the preview rendering a page on request) holds this one, and no fork happens meanwhile.
_fork_lock = threading.Lock()


def forks_held_off():
    """A block during which no worker is forked."""
    return _fork_lock


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _run_chunk(start: int, stop: int) -> list:
    assert _task is not None and _items is not None
    return [_task(item) for item in _items[start:stop]]


def map_in_order(task: Callable[[T], R], items: Sequence[T], jobs: int, min_per_job: int = 50,
                 done: Callable[[int], None] | None = None) -> list[R]:
    """[task(i) for i in items], over up to `jobs` processes when there is enough work to share;
    `done(n)` is told how many items are finished as results come in."""
    import multiprocessing  # here: `digest build` that finds nothing changed forks no worker
    from concurrent.futures import ProcessPoolExecutor

    global _task, _items
    workers = min(jobs, len(items) // max(min_per_job, 1))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        results = []
        for item in items:
            results.append(task(item))
            if done is not None:
                done(len(results))
        return results
    _task, _items = task, items
    try:
        # Several chunks per worker, so that one slow chunk does not hold the others up.
        size = max(1, -(-len(items) // (workers * 4)))
        bounds = [(i, min(i + size, len(items))) for i in range(0, len(items), size)]
        # Frozen objects are left out of the workers' garbage collections, which would otherwise write to
        # every inherited object's header and so make each worker copy the parent's whole heap.
        gc.freeze()
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            with forks_held_off():  # the workers are forked on the first submit
                futures = [pool.submit(_run_chunk, start, stop) for start, stop in bounds]
            results = []
            for future in futures:
                results += future.result()
                if done is not None:
                    done(len(results))
            return results
    finally:
        gc.unfreeze()
        _task, _items = None, None

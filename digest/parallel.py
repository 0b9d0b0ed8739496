"""Spreading work over the machine's cores: a function mapped over items in forked worker processes.

Workers are forked, so they inherit the parent's state (the site model, the
Jinja environment) without pickling it; only each chunk's results travel
back, in input order, so the output never depends on scheduling.
"""

from __future__ import annotations

import gc
import os
import pickle
import threading
import traceback
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_task: Callable | None = None
_items: Sequence | None = None
# A forked worker has only the thread that forked it: a lock another thread held at that moment (Jinja's
# template cache, Babel's data) stays held in the worker for ever. Work on other threads that takes such
# locks (the preview rendering a page on request) holds this one, and no fork happens meanwhile.
_fork_lock = threading.Lock()
# Slices of the work per worker process: each is made by a worker of its own (see map_in_order).
SLICES_PER_WORKER = 4


def forks_held_off():
    """A block during which no worker is forked."""
    return _fork_lock


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def map_in_order(task: Callable[[T], R], items: Sequence[T], jobs: int, min_per_job: int = 50,
                 done: Callable[[int], None] | None = None) -> list[R]:
    """[task(i) for i in items], over up to `jobs` processes when there is enough work to share;
    `done(n)` is told how many items are finished as results come in, and again every quarter of a second
    while workers run (the preview shows a page saved meanwhile: see serve.py).

    Each slice of the items gets a worker of its own, forked when a slot is free and gone when its slice
    is done. A worker copies every page of the parent's memory it touches (reading an object writes its
    reference count) and keeps what it makes once per process; a worker that lived through all the work
    ended up with half the parent's heap and its own caches for every page (two of them, 511 MB at
    10,000 articles). One that lives for a slice copies what that slice reads."""
    import multiprocessing  # here: `digest build` that finds nothing changed forks no worker

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
        # Several slices per worker: each worker copies less, and one slow slice does not hold the others up.
        size = max(1, -(-len(items) // (workers * SLICES_PER_WORKER)))
        bounds = [(i, min(i + size, len(items))) for i in range(0, len(items), size)]
        # Frozen objects are left out of the workers' garbage collections, which would otherwise write to
        # every inherited object's header and so make each worker copy the parent's whole heap.
        gc.freeze()
        slices = _in_forked_workers(bounds, workers, multiprocessing.get_context("fork"),
                                    done=lambda finished: done(finished) if done is not None else None)
        return [result for results in slices for result in results]
    finally:
        gc.unfreeze()
        _task, _items = None, None


def _in_forked_workers(bounds: list[tuple[int, int]], workers: int, context, done: Callable[[int], None]) -> list[list]:
    """The results of each slice of `_items`, in order, each slice made by a worker forked for it, at most
    `workers` at a time. A worker's exception is raised here; the others are stopped."""
    from multiprocessing.connection import wait

    results: list[list | None] = [None] * len(bounds)
    waiting = list(enumerate(bounds))
    running: dict = {}  # the end of a worker's pipe → (its slice, the process)
    finished = 0
    try:
        while waiting or running:
            while waiting and len(running) < workers:
                index, (start, stop) = waiting.pop(0)
                reader, writer = context.Pipe(duplex=False)
                process = context.Process(target=_run_slice, args=(start, stop, writer), daemon=True)
                with forks_held_off():
                    process.start()
                writer.close()
                running[reader] = (index, process)
            ready = wait(list(running), timeout=0.25)
            if not ready:
                done(finished)
            for reader in ready:
                index, process = running.pop(reader)
                try:
                    ok, value = pickle.loads(reader.recv_bytes())
                except EOFError:
                    process.join()
                    raise RuntimeError(f"a worker process stopped without its results (exit code {process.exitcode})") from None
                finally:
                    reader.close()
                process.join()
                if not ok:
                    exception, where = value
                    exception.add_note(f"in a worker process:\n{where}")
                    raise exception
                results[index] = value
                finished += len(value)
                done(finished)
    finally:
        for reader, (_, process) in running.items():
            process.terminate()
            reader.close()  # before the wait: a worker stuck sending its results gets a broken pipe
            process.join()
    return results  # type: ignore[return-value]


def _run_slice(start: int, stop: int, writer) -> None:
    """In the worker: the slice's results, or the exception that stopped it, sent back."""
    assert _task is not None and _items is not None
    gc.enable()  # the parent may have forked with it paused (see collector.py); a worker's own garbage is its own
    try:
        answer = (True, [_task(item) for item in _items[start:stop]])
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent, which raises it
        answer = (False, (exc, traceback.format_exc()))
    try:
        message = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # noqa: BLE001 - what cannot be pickled goes back as text
        message = pickle.dumps((False, (RuntimeError(f"{type(exc).__name__} in a worker: {exc}"),
                                        traceback.format_exc())))
    try:
        writer.send_bytes(message)
    except OSError:
        pass  # the parent stopped listening: it is stopping every worker
    finally:
        writer.close()

"""Progress of a long build on a terminal: the stage and how far it is, on one line that each update
overwrites and the summary replaces. On a pipe or in CI nothing is shown but the summary line."""

from __future__ import annotations

import os
import time
from typing import Callable, TextIO

Progress = Callable[[str, int, int], None]  # stage, done, total


def no_progress(stage: str, done: int, total: int) -> None:
    pass


class TerminalProgress:
    """At most ten updates a second, so that showing progress never slows the build down."""

    def __init__(self, stream: TextIO, interval: float = 0.1):
        self.stream = stream
        self.interval = interval
        self.last = 0.0
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < self.interval and 0 < done < total:
            return
        self.last = now
        self.stream.write(f"\r\x1b[K{stage} {done:,}/{total:,}")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


def terminal_progress(stream: TextIO) -> TerminalProgress | None:
    """Progress for an interactive terminal; None in CI, on a pipe or on a terminal that cannot
    overwrite a line."""
    interactive = stream.isatty() and os.environ.get("TERM", "") != "dumb" and not os.environ.get("CI")
    return TerminalProgress(stream) if interactive else None

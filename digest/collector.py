"""When Python's cyclic garbage collector may run during a build.

Reading the caches and making the site model create millions of objects that
live as long as the build and form no garbage cycles. Each few hundred
allocations the collector would scan the young ones, and now and then every
object in the process: at 10,000 articles that was half the time of making the
site model and a third of reading the parse cache. So the collector is off
while they are made, and what was made is frozen: later collections, and those
of forked workers (which would write to every inherited object's header and so
copy the parent's memory), leave it alone. `build()` unfreezes it when it ends,
so a preview that builds again and again can still collect an old model.

Never around parsing: it makes garbage of its own (Markdown, plugins' extensions)
for as many documents as changed, which is the collector's business. A worker
forked during a pause turns it back on.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused() -> Iterator[None]:
    """No collection inside the block; what it made and keeps is frozen when it ends. Nests."""
    if not gc.isenabled():  # an outer block (or the program) has it off already
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def release() -> None:
    """Frozen objects are collectable again (they join the oldest generation)."""
    gc.unfreeze()

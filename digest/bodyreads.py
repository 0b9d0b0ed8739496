"""Which articles' bodies an output read: the body fields of `content.Article` note it themselves.

A page that lists an article (a row of the tracker, a card on a tag page) shows
its title, date and events, not its body; so an article counts in other pages'
keys by its fingerprint without the body, and reading `html`, `words` or another
body field notes a `BodyRead`, whatever value the article was reached through.
This module is a leaf (content.py imports it), so the incremental package can
import both.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Hashable, Iterator, Mapping


@dataclass(frozen=True, slots=True)
class BodyRead:
    """The body of an article (its HTML, word count, pictures), read by an output wherever the article
    came from: its value is the article's whole fingerprint."""

    slug: str

    def value(self, site: Any, context: Mapping[str, Any], by_slug: Mapping[str, Any]) -> str | None:
        document = by_slug.get(self.slug)
        return None if document is None else document.body_fingerprint  # None: the article is gone

    def sort_key(self) -> tuple:
        return (2, self.slug, "")

    def memo_key(self, context: Mapping[str, Any]) -> Hashable:
        return self


# The reads of whatever is being made now (an output, a shared card, a feed item), for body fields to note
# themselves in: the article is a plain record by then, often reached through another value.
_reading_bodies: ContextVar[set | None] = ContextVar("reading_bodies", default=None)


@contextmanager
def noting_bodies(reads: set) -> Iterator[set]:
    """Within this block, every body field read of an article adds its `BodyRead` to `reads`."""
    token = _reading_bodies.set(reads)
    try:
        yield reads
    finally:
        _reading_bodies.reset(token)


def body_read(document: Any) -> None:
    reads = _reading_bodies.get()
    if reads is not None:
        reads.add(BodyRead(document.slug))


def noted_on_read(cls: type, names: tuple[str, ...]) -> type:
    """Make each named slot of a slotted dataclass note a `BodyRead` when read (set as before)."""
    for name in names:
        slot = cls.__dict__[name]

        def get(document: Any, _slot: Any = slot) -> Any:
            body_read(document)
            return _slot.__get__(document, cls)

        setattr(cls, name, property(get, slot.__set__, doc=f"{name} (noted as a body read)"))
    return cls

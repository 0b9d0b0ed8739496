"""Which articles' bodies an output read: the body fields of `content.Article` note it themselves.

A page that lists an article (a row of the tracker, a card on a tag page) shows
its title, date and events, not its body; so an article counts in other pages'
keys by its fingerprint without the body, and reading `html`, `words` or another
body field notes a `BodyRead`, whatever value the article was reached through.
This module is a leaf (content.py imports it), so the incremental package can
import both.

The same fields are where a stored body waits compressed (`Packed`) until
something reads it: a build after one edit reads two or three of 10,000 bodies.
"""

from __future__ import annotations

import operator
import zlib
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Callable, Hashable, Iterator, Mapping


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


class Packed:
    """A body field's text, compressed as the parse cache stores it (a third of the size) and made text again
    each time it is read: the articles a build loads from the cache keep their bodies in this form."""

    __slots__ = ("data",)

    def __init__(self, data: bytes):
        self.data = data

    @classmethod
    def of(cls, text: str) -> "Packed":
        return cls(zlib.compress(text.encode("utf-8", "surrogatepass"), 1))

    def text(self) -> str:
        return zlib.decompress(self.data).decode("utf-8", "surrogatepass")

    def __reduce__(self):
        return Packed, (self.data,)


_raw_slots: dict[tuple[type, str], Any] = {}


def stored_getter(cls: type, name: str) -> Callable[[Any], Any]:
    """What reads a field of `cls` as it is held, `Packed` or not, without noting a body read (for pickling)."""
    slot = _raw_slots.get((cls, name))
    return operator.attrgetter(name) if slot is None else slot.__get__


def noted_on_read(cls: type, names: tuple[str, ...]) -> type:
    """Make each named slot of a slotted dataclass note a `BodyRead` when read (set as before), and hold a
    `Packed` value until then."""
    for name in names:
        slot = _raw_slots[cls, name] = cls.__dict__[name]

        def get(document: Any, _slot: Any = slot) -> Any:
            body_read(document)
            value = _slot.__get__(document, cls)
            # Not kept as text once read: a worker making every company's feed reads most bodies, and kept
            # they were 44 MB more in each worker at 10,000 articles; a body is read two or three times a build.
            return value.text() if type(value) is Packed else value

        setattr(cls, name, property(get, slot.__set__, doc=f"{name} (noted as a body read)"))
    return cls

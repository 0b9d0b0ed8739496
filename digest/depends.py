"""What each output was made from: the parts of the site model its template read, and fingerprints of them.

A page's template is handed `site`, and may read any part of it (a custom theme
may read parts ours does not). Rendering through `RecordingSite` notes every
part read (`site.companies`, `site.related["some-slug"]`); `Fingerprints` turns
a part into a short string that changes whenever the part does. An output whose
context and recorded parts fingerprint as before needs no rendering: its file
from the previous build is what rendering would make again.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import PurePath
from typing import Any, Hashable, Iterator

Read = tuple[str, Hashable]  # (attribute of Site, key in it, or None for all of it)
WHOLE = None


class RecordingMapping(Mapping):
    """A mapping of the site (`site.related`) that notes which keys were looked up."""

    __slots__ = ("_name", "_mapping", "_reads")

    def __init__(self, name: str, mapping: Mapping, reads: set[Read]):
        self._name, self._mapping, self._reads = name, mapping, reads

    def __getitem__(self, key):
        self._reads.add((self._name, key))
        return self._mapping[key]

    def __iter__(self) -> Iterator:
        self._reads.add((self._name, WHOLE))
        return iter(self._mapping)

    def __len__(self) -> int:
        self._reads.add((self._name, WHOLE))
        return len(self._mapping)


class RecordingSite:
    """The site model as templates see it, noting each attribute read into `reads`."""

    __slots__ = ("_site", "_reads")

    def __init__(self, site: Any, reads: set[Read]):
        self._site, self._reads = site, reads

    def __getattr__(self, name: str):
        value = getattr(self._site, name)
        if isinstance(value, Mapping):
            return RecordingMapping(name, value, self._reads)
        self._reads.add((name, WHOLE))
        return value


class RecordingValue:
    """A value of a page's context (its company, tag, listing page), noting each attribute read as
    ('@name', attribute): page 7 of a tag's listing reads the tag's name and its own items, not every
    article of the tag, so editing an article on page 2 leaves page 7 as it was."""

    __slots__ = ("_name", "_value", "_reads")

    def __init__(self, name: str, value: Any, reads: set[Read]):
        self._name, self._value, self._reads = name, value, reads

    def __getattr__(self, attribute: str):
        self._reads.add(("@" + self._name, attribute))
        return getattr(self._value, attribute)


def recorded(value: Any) -> bool:
    """Context values read through RecordingValue: records of the model that are not documents (those
    have a digest of their own and are taken whole)."""
    return dataclasses.is_dataclass(value) and not isinstance(getattr(value, "digest", None), str)


def recording_context(context: Mapping[str, Any], reads: set[Read]) -> dict[str, Any]:
    return {k: RecordingValue(k, v, reads) if recorded(v) else v for k, v in context.items()}


def unrecorded(context: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a context that is fingerprinted whole."""
    return {k: v for k, v in context.items() if not recorded(v)}


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


_SCALARS = (str, int, float, bool, type(None), date, datetime, PurePath)
_PLAIN = frozenset((str, int, float, bool, type(None), date))


class Fingerprints:
    """Fingerprints of values of one build's site model. Documents (articles, pages) carry their own
    `digest`, made from their source; everything else is fingerprinted from its fields."""

    def __init__(self, site: Any, build_key: str):
        self.site = site
        self.build_key = build_key  # code, templates and config: what every output depends on
        self._memo: dict[int, str] = {}
        self._alive: list[Any] = []  # memo keys are ids: keep their objects from being reused
        self._reads: dict[Read, str] = {}
        self._fields: dict[type, tuple[str, ...]] = {}

    def of(self, value: Any) -> str:
        digest = getattr(value, "digest", None)
        if isinstance(digest, str) and digest:
            return digest
        if isinstance(value, _SCALARS):
            return repr(value)
        if isinstance(value, (tuple, list)):
            return "(" + ",".join(self.of(v) for v in value) + ")"
        if isinstance(value, (set, frozenset)):
            return "{" + ",".join(sorted(self.of(v) for v in value)) + "}"
        if isinstance(value, Mapping):
            return "{" + ",".join(f"{self.of(k)}:{self.of(v)}" for k, v in sorted(value.items(), key=lambda item: repr(item[0]))) + "}"
        if dataclasses.is_dataclass(value):
            names = self._fields.get(type(value))
            if names is None:
                names = self._fields[type(value)] = tuple(f.name for f in dataclasses.fields(value))
            values = [getattr(value, n) for n in names]
            if all(type(v) in _PLAIN for v in values):
                return type(value).__name__ + repr(values)  # a Ref, an Author: cheaper spelled out than hashed
            known = self._memo.get(id(value))
            if known is None:
                known = _hash(type(value).__name__ + "(" + ",".join(self.of(v) for v in values) + ")")
                self._memo[id(value)] = known
                self._alive.append(value)
            return known
        return repr(value)

    def read(self, part: Read, context: Mapping[str, Any]) -> str:
        """The fingerprint of one part of the site or of a page's context, as a template read it."""
        name, key = part
        if name.startswith("@"):
            value = context.get(name[1:], _MISSING)
            memo = (id(value), key)
            known = self._reads.get(memo)
            if known is None:
                known = self._reads[memo] = _hash(self.of(getattr(value, key, _MISSING)))
            return known
        known = self._reads.get(part)
        if known is None:
            value = getattr(self.site, name, _MISSING)
            if key is not WHOLE:
                value = value.get(key, _MISSING) if isinstance(value, Mapping) else _MISSING
            known = self._reads[part] = _hash(self.of(value))
        return known

    def key(self, identity: Any, reads: tuple[Read, ...], context: Mapping[str, Any]) -> str:
        """What an output is made of: the build's code, templates and config, its identity (path,
        template, the documents it shows), and every part of the site and its context its template read.
        `reads` is kept in the order it was keyed in (see `in_order`), so the parts need no names here."""
        return _hash(self.build_key + "\n" + self.of(identity) + "\n" + " ".join([self.read(r, context) for r in reads]))


def in_order(reads: set[Read] | frozenset[Read]) -> tuple[Read, ...]:
    """The reads of one output in a fixed order, to be stored with its key and keyed again in that order."""
    return tuple(sorted(reads, key=lambda read: (read[0], repr(read[1]))))


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING = _Missing()

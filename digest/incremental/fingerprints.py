"""Fingerprints of the site model: short strings that change whenever the value they stand for does.

Documents (articles, pages) carry a `fingerprint` made when they are constructed
(see `content.Article`), so they are never walked; every other value is
fingerprinted from its fields, once per build. An output's key combines what
every output depends on (code, config, templates), what the output is (its
identity) and the fingerprint of every part of the site it read.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from .reads import MISSING, Read


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


_SCALARS = (str, int, float, bool, type(None), date, datetime, PurePath)
_PLAIN = frozenset((str, int, float, bool, type(None), date))


class Fingerprints:
    """Fingerprints of values of one build's site model, memoised for the build."""

    def __init__(self, site: Any, build_key: str):
        self.site = site
        self.build_key = build_key  # code, templates and config: what every output depends on
        self._memo: dict[int, str] = {}
        self._alive: list[Any] = []  # memo keys are ids: keep their objects from being reused
        self._reads: dict[Any, str] = {}
        self._fields: dict[type, tuple[str, ...]] = {}
        self._how: dict[type, Any] = {}
        self._by_slug: dict[str, Any] | None = None

    def of(self, value: Any) -> str:
        kind = type(value)
        if kind in _PLAIN:
            return repr(value)
        how = self._how.get(kind)
        if how is None:
            how = self._how[kind] = self._how_for(kind, value)
        return how(value)

    def _how_for(self, kind: type, value: Any):
        """How values of one type are fingerprinted, decided once per type: this runs for every value a
        page read (hundreds of thousands at 10k articles), so no type test is repeated per value."""
        if isinstance(getattr(value, "fingerprint", None), str):  # a document, unless it has none yet
            fields = self._dataclass
            return lambda v: v.fingerprint or fields(v)
        if isinstance(value, _SCALARS):
            return repr
        if isinstance(value, (tuple, list)):
            return lambda v: "(" + ",".join([self.of(x) for x in v]) + ")"
        if isinstance(value, (set, frozenset)):
            return lambda v: "{" + ",".join(sorted([self.of(x) for x in v])) + "}"
        if isinstance(value, Mapping):
            return self._mapping
        if dataclasses.is_dataclass(value):
            return self._dataclass
        return repr

    def _mapping(self, value: Mapping) -> str:
        keys = value.keys()  # a page's context: names, sorted as they are (repr was a fifth of its cost)
        keys = sorted(keys) if all(type(k) is str for k in keys) else sorted(keys, key=repr)
        return "{" + ",".join([f"{self.of(k)}:{self.of(value[k])}" for k in keys]) + "}"

    def _dataclass(self, value: Any) -> str:
        known = self._memo.get(id(value))  # first: a company is reached through 10,000 relation reads
        if known is not None:
            return known
        names = self._fields.get(type(value))
        if names is None:
            names = self._fields[type(value)] = tuple(f.name for f in dataclasses.fields(value))
        values = [getattr(value, n) for n in names]
        if all(type(v) in _PLAIN for v in values):
            known = type(value).__name__ + repr(values)  # a Ref, an Author: cheaper spelled out than hashed
        else:
            known = _hash(type(value).__name__ + "(" + ",".join([self.of(v) for v in values]) + ")")
        self._memo[id(value)] = known
        self._alive.append(value)
        return known

    def read(self, read: Read, context: Mapping[str, Any]) -> str:
        """The fingerprint of one part of the site, or of the page's context, as an output read it."""
        memo = read.memo_key(context)
        known = self._reads.get(memo)
        if known is None:
            if self._by_slug is None:
                self._by_slug = {a.slug: a for a in self.site.articles}
            known = self._reads[memo] = _hash(self.of(read.value(self.site, context, self._by_slug)))
        return known

    def key(self, identity: Any, reads: tuple[Read, ...], context: Mapping[str, Any]) -> str:
        """What an output is made of: the build key, its identity and every part it read, in the order
        the reads were stored (see `reads.in_order`)."""
        return _hash(self.build_key + "\n" + self.of(identity) + "\n"
                     + " ".join([self.read(r, context) for r in reads]))


__all__ = ["Fingerprints", "MISSING"]

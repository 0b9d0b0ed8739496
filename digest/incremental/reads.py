"""What an output read of the site model, as typed values, and the proxies that discover those reads.

A template is handed `site` and may read any part of it (a custom theme may read
parts ours does not), so rendering goes through `RecordingSite`, which notes each
part read: `site.companies` is `SiteRead("companies")`, `site.companies_of(article)`
is `SiteRead("companies_of", article.slug)`. The values of a page's own context
that are records of the model (its company, tag, listing page) are read through
`RecordingValue`, noting `ContextRead("pager", "items")`: page 7 of a tag's
listing reads the tag's name and its own items, not every article of the tag.

An article reached through the site (a row of the tracker, a card on a tag page)
counts by its fingerprint without its body, so a body edit leaves those pages be;
an output that reads a body field (`html`, `words`...) notes `BodyRead(slug)`
through `noting_bodies`, wherever the article came from.

The proxies only discover reads; what an output read is stored with it (see
`lastbuild.Made`) and fingerprinted again by the next build.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Callable, Hashable, Mapping

from ..bodyreads import BodyRead, noting_bodies


@dataclass(frozen=True, slots=True)
class SiteRead:
    """A part of the site model: an attribute of `Site`, or one answer of a relation method such as
    `companies_of` (then `key` is the slug of the document asked about)."""

    part: str
    key: Hashable = None

    def value(self, site: Any, context: Mapping[str, Any], by_slug: Mapping[str, Any]) -> Any:
        found = getattr(site, self.part, MISSING)
        if self.key is None or found is MISSING:
            return found
        document = by_slug.get(self.key)
        return MISSING if document is None else found(document)

    def sort_key(self) -> tuple:
        return (0, self.part, repr(self.key))

    def memo_key(self, context: Mapping[str, Any]) -> Hashable:
        return self  # the same for every output of one build


@dataclass(frozen=True, slots=True)
class ContextRead:
    """An attribute of a value of the page's own context (`pager.items`, `company.events`)."""

    name: str
    attribute: str

    def value(self, site: Any, context: Mapping[str, Any], by_slug: Mapping[str, Any]) -> Any:
        return getattr(context.get(self.name, MISSING), self.attribute, MISSING)

    def sort_key(self) -> tuple:
        return (1, self.name, self.attribute)

    def memo_key(self, context: Mapping[str, Any]) -> Hashable:
        return (id(context.get(self.name)), self)  # pages that share their company object share this


Read = SiteRead | ContextRead | BodyRead



class RecordingSite:
    """The site model as templates and feeds see it, noting each part read into `reads`."""

    __slots__ = ("_site", "_reads", "_memo")

    def __init__(self, site: Any, reads: set[Read], memo: dict[Hashable, Any] | None = None):
        self._site, self._reads, self._memo = site, reads, memo

    def once(self, key: Hashable, make: Callable[["RecordingSite"], Any]) -> Any:
        """What `make(site)` returns, made once per `memo` (once per build in each process) and reused;
        the reads it made are replayed into this output's reads on every use, so each output that uses
        it records exactly what a fresh call would have recorded. `make` must depend only on the site it
        is handed and on what `key` names."""
        if self._memo is None:
            return make(self)
        made = self._memo.get(key)
        if made is None:
            reads: set[Read] = set()
            with noting_bodies(reads):
                made = self._memo[key] = (make(RecordingSite(self._site, reads, self._memo)), frozenset(reads))
        self._reads.update(made[1])  # its body reads among them
        return made[0]

    def __getattr__(self, name: str):
        value = getattr(self._site, name)
        if name in self._site.RELATIONS:
            reads = self._reads

            def relation(document):
                reads.add(SiteRead(name, document.slug))
                return value(document)

            return relation
        self._reads.add(SiteRead(name))
        return value


class RecordingValue:
    """A value of a page's context, noting each attribute read."""

    __slots__ = ("_name", "_value", "_reads")

    def __init__(self, name: str, value: Any, reads: set[Read]):
        self._name, self._value, self._reads = name, value, reads

    def __getattr__(self, attribute: str):
        self._reads.add(ContextRead(self._name, attribute))
        return getattr(self._value, attribute)


def recorded(value: Any) -> bool:
    """Context values read attribute by attribute: records of the model that are not documents
    (documents carry a fingerprint of their own and are taken whole)."""
    return dataclasses.is_dataclass(value) and not isinstance(getattr(value, "fingerprint", None), str)


def recording_context(context: Mapping[str, Any], reads: set[Read]) -> dict[str, Any]:
    return {k: RecordingValue(k, v, reads) if recorded(v) else v for k, v in context.items()}


def unrecorded(context: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a context that is fingerprinted whole, as part of what the output is."""
    return {k: v for k, v in context.items() if not recorded(v)}


def in_order(reads: set[Read] | frozenset[Read]) -> tuple[Read, ...]:
    """The reads of one output in a fixed order, stored with its key and keyed again in that order."""
    return tuple(sorted(reads, key=lambda read: read.sort_key()))


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


MISSING = _Missing()

"""The site model: published articles ordered, companies and tags indexed, listings paginated.

`build_site()` is pure: content and config in, a frozen `Site` out, no I/O.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Mapping, Sequence

from . import urls
from .config import Author, SiteConfig
from .content import Article, CompanyProfile, Content, Page
from .errors import SourceError, quote
from .events import TrackedEvent, track_events
from .figures import Total, total
from .urls import Ref


@dataclass(frozen=True, slots=True)
class Company:
    ref: Ref
    profile: CompanyProfile | None
    articles: tuple[Article, ...]  # newest first
    events: tuple[TrackedEvent, ...]  # newest first

    @property
    def affected(self) -> Total:
        """People affected across its events, and in how many of them a headcount was reported."""
        return total(self.events)

    @property
    def latest_event(self) -> TrackedEvent | None:
        return self.events[0] if self.events else None


@dataclass(frozen=True, slots=True)
class Tag:
    ref: Ref
    articles: tuple[Article, ...]


@dataclass(frozen=True, slots=True)
class Pager:
    """One page of a listing."""

    number: int
    count: int
    items: tuple
    path: str
    prev_path: str | None
    next_path: str | None


@dataclass(frozen=True, slots=True)
class Site:
    articles: tuple[Article, ...]  # published, newest first
    pages: tuple[Page, ...]
    companies: tuple[Company, ...]  # by name
    tags: tuple[Tag, ...]  # by name
    events: tuple[TrackedEvent, ...]  # newest first, each once however many articles report it
    article_companies: Mapping[str, tuple[Ref, ...]]  # article slug → its companies
    article_tags: Mapping[str, tuple[Ref, ...]]
    article_authors: Mapping[str, tuple[Author, ...]]
    article_events: Mapping[str, tuple[TrackedEvent, ...]]  # the tracked events an article reports
    related: Mapping[str, tuple[Article, ...]]  # article slug → related articles, best first


def newest_first(articles: Sequence[Article]) -> tuple[Article, ...]:
    """Newest first; the slug breaks ties so that output never depends on file order."""
    return tuple(sorted(sorted(articles, key=lambda a: a.slug), key=lambda a: a.date, reverse=True))


def paginate(items: Sequence, per_page: int, first_path: str) -> tuple[Pager, ...]:
    """Pages of at most per_page items; an empty listing still has its first page."""
    chunks = [tuple(items[i : i + per_page]) for i in range(0, len(items), per_page)] or [()]
    count = len(chunks)
    path = lambda n: urls.listing_page_path(first_path, n)  # noqa: E731
    return tuple(
        Pager(n, count, chunk, path(n), path(n - 1) if n > 1 else None, path(n + 1) if n < count else None)
        for n, chunk in enumerate(chunks, start=1)
    )


def _company_resolver(profiles: Sequence[CompanyProfile]) -> tuple[dict[str, CompanyProfile], list[SourceError]]:
    """Every spelling a profile answers to (its slug, name and aliases, slugified) → the profile."""
    resolver: dict[str, CompanyProfile] = {}
    problems = []
    for profile in profiles:
        for spelling in (profile.slug, profile.name, *profile.aliases):
            key = urls.slugify(spelling)
            other = resolver.get(key)
            if other is not None and other is not profile:
                problems.append(SourceError(profile.source, None, None,
                                            f"{quote(spelling)} already names the company in {other.source}"))
                continue
            resolver[key] = profile
    return resolver, problems


@dataclass(frozen=True, slots=True)
class Publishing:
    """What reaches readers: drafts only with --drafts, future articles only from their date (or --future)."""

    now: datetime
    drafts: bool = False
    future: bool = False

    def publishes(self, document: Article | Page) -> bool:
        if document.draft and not self.drafts:
            return False
        return self.future or not isinstance(document, Article) or document.date <= self.now

    def left_out(self, articles: Sequence[Article]) -> tuple[tuple[Article, ...], tuple[Article, ...]]:
        """The drafts and the scheduled articles this build does not publish."""
        drafts = tuple(a for a in articles if a.draft and not self.drafts)
        scheduled = tuple(a for a in articles if not a.draft and not self.publishes(a))
        return drafts, tuple(sorted(scheduled, key=lambda a: a.date))


def _spelling_warnings(article: Article, field: str, written: Sequence[str], refs: Sequence[Ref],
                       profiles: Mapping[str, CompanyProfile]) -> list[SourceError]:
    """A name spelled otherwise than in newer articles (`Data labeling` / `data labeling`): one page, two spellings."""
    return [
        SourceError(article.source, article.field_lines.get(field, (None,))[0], None,
                    f"{field}: {quote(name)} is spelled {quote(ref.name)} in newer articles; use one spelling",
                    severity="warning")
        for name, ref in zip(written, refs)
        if name != ref.name and urls.slugify(name) not in profiles
    ]


def _unlisted_event_companies(article: Article, listed: Sequence[Ref], company_ref) -> list[SourceError]:
    return [
        SourceError(article.source, event.line, None,
                    f"events[{event.index}].company: {quote(event.company)} is not in this article's companies; "
                    "add it there so the article is listed with the company", severity="warning")
        for event in article.events if company_ref(event.company) not in listed
    ]


RELATED_COUNT = 3
RELATED_WINDOW = 12  # neighbours on each side in each shared list: keeps the work linear in articles


def related_articles(articles, company_articles, tag_articles, article_companies, article_tags) -> dict:
    """Per article: those sharing the most companies, then the most tags, then the newest.

    Candidates are an article's neighbours in time within each of its companies' and tags'
    lists (newest first), so a tag on thousands of articles costs a constant per article.
    """
    # Companies and tags as bits of an int: counting shared ones is then one `&` and a bit count.
    bit: dict[str, int] = {}
    mask = lambda refs: sum({bit.setdefault(r.slug, 1 << len(bit)) for r in refs})  # noqa: E731
    companies_of = {a.slug: mask(article_companies[a.slug]) for a in articles}
    bit.clear()
    tags_of = {a.slug: mask(article_tags[a.slug]) for a in articles}
    companies_in = {a.slug: frozenset(r.slug for r in article_companies[a.slug]) for a in articles}
    tags_in = {a.slug: frozenset(r.slug for r in article_tags[a.slug]) for a in articles}
    position: dict[tuple[str, str], dict[int, int]] = {}
    for kind, lists in (("c", company_articles), ("t", tag_articles)):
        for slug, items in lists.items():
            position[(kind, slug)] = {id(a): i for i, a in enumerate(items)}
    # Each candidate's rank is computed once per article it is a candidate for: keep it to set lookups.
    newest = {a.slug: -a.date.timestamp() for a in articles}
    related = {}
    for article in articles:
        mine_c, mine_t = companies_of[article.slug], tags_of[article.slug]
        candidates: dict[str, Article] = {}
        for kind, slugs, lists in (("c", companies_in[article.slug], company_articles),
                                   ("t", tags_in[article.slug], tag_articles)):
            for slug in slugs:
                items = lists[slug]
                at = position[(kind, slug)][id(article)]
                for other in items[max(0, at - RELATED_WINDOW): at + RELATED_WINDOW + 1]:
                    candidates[other.slug] = other
        candidates.pop(article.slug, None)
        ranked = heapq.nsmallest(RELATED_COUNT, candidates, key=lambda o: (
            -(mine_c & companies_of[o]).bit_count(), -(mine_t & tags_of[o]).bit_count(), newest[o], o))
        related[article.slug] = tuple(candidates[o] for o in ranked)
    return related


def build_site(content: Content, config: SiteConfig, publishing: Publishing) -> tuple[Site, list[SourceError]]:
    articles = newest_first([a for a in content.articles if publishing.publishes(a)])
    pages = tuple(sorted((p for p in content.pages if publishing.publishes(p)), key=lambda p: p.slug))
    resolver, problems = _company_resolver(content.profiles)

    names: dict[str, str] = {}
    def company_ref(name: str) -> Ref:
        profile = resolver.get(urls.slugify(name))
        slug = profile.slug if profile else urls.slugify(name)
        # Without a profile, the newest article's spelling names the company.
        display = profile.name if profile else names.setdefault(slug, name)
        return Ref(slug, display, urls.company_path(slug))

    tag_names: dict[str, str] = {}
    def tag_ref(name: str) -> Ref:
        slug = urls.slugify(name)
        return Ref(slug, tag_names.setdefault(slug, name), urls.tag_path(slug))

    company_articles: dict[str, list[Article]] = defaultdict(list)
    company_refs: dict[str, Ref] = {}
    tag_articles: dict[str, list[Article]] = defaultdict(list)
    tag_refs: dict[str, Ref] = {}
    article_companies, article_tags, article_authors = {}, {}, {}

    for article in articles:
        listed = tuple(dict.fromkeys(company_ref(n) for n in article.companies))
        problems += _spelling_warnings(article, "companies", article.companies, listed, resolver)
        problems += _unlisted_event_companies(article, listed, company_ref)
        refs = tuple(dict.fromkeys((*listed, *(company_ref(p.name) for e in article.events for p in e.parties))))
        for ref in refs:
            company_refs.setdefault(ref.slug, ref)
            company_articles[ref.slug].append(article)
        tags = tuple(dict.fromkeys(tag_ref(n) for n in article.tags))
        problems += _spelling_warnings(article, "tags", article.tags, tuple(tag_ref(n) for n in article.tags), {})
        for ref in tags:
            tag_refs.setdefault(ref.slug, ref)
            tag_articles[ref.slug].append(article)
        article_companies[article.slug] = refs
        article_tags[article.slug] = tags
        article_authors[article.slug] = tuple(config.authors.get(a) or Author(a, None) for a in article.authors)

    for slug, ref in company_refs.items():
        if slug not in resolver:
            newest = company_articles[slug][0]
            problems.append(SourceError(
                newest.source, (newest.field_lines.get("companies") or newest.field_lines.get("events") or (None,))[0], None,
                f"company {quote(ref.name)} has no profile; add content/companies/{slug}.yaml "
                f"with 'name: {ref.name}' (or an alias to an existing profile)", severity="warning"))
    for profile in content.profiles:
        company_refs.setdefault(profile.slug, Ref(profile.slug, profile.name, urls.company_path(profile.slug)))

    events, more = track_events(articles, company_ref)
    problems += more
    company_events: dict[str, list[TrackedEvent]] = defaultdict(list)
    article_events: dict[str, list[TrackedEvent]] = defaultdict(list)
    for event in events:
        for involved in event.involved:  # an investment is on the investor's page and on the target's
            company_events[involved.company.slug].append(event)
        for article in event.articles:
            article_events[article.slug].append(event)
    companies = tuple(sorted(
        (Company(ref, resolver.get(slug), tuple(company_articles[slug]), tuple(company_events[slug]))
         for slug, ref in company_refs.items()),
        key=lambda c: (c.ref.name.casefold(), c.ref.slug),
    ))
    tags = tuple(sorted((Tag(ref, tuple(tag_articles[slug])) for slug, ref in tag_refs.items()),
                        key=lambda t: (t.ref.name.casefold(), t.ref.slug)))
    site = Site(
        articles=articles,
        pages=pages,
        companies=companies,
        tags=tags,
        events=events,
        article_companies=MappingProxyType(article_companies),
        article_tags=MappingProxyType(article_tags),
        article_authors=MappingProxyType(article_authors),
        article_events=MappingProxyType({a.slug: tuple(article_events[a.slug]) for a in articles}),
        related=MappingProxyType(related_articles(articles, company_articles, tag_articles, article_companies,
                                                  article_tags)),
    )
    return site, problems

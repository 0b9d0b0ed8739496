"""The site model: published articles ordered, companies and tags indexed, listings paginated.

`build_site()` is pure: content and config in, a frozen `Site` out, no I/O. Its steps: name companies
and tags (`Naming`), index articles under them (`index_articles`), warn about names (`naming_warnings`),
merge events (`events.track_events`, `file_events`), rank related stories (`related.py`).
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import ClassVar, Mapping, Sequence

from . import urls
from .config import Author, SiteConfig
from .content import Article, CompanyProfile, Content, Page
from .errors import SourceError, quote
from .events import TrackedEvent, track_events
from .figures import Total, total
from .related import remembered_related
from .urls import Ref
from .weekly import Week, build_weeks
from .weeknotes import WeeklyNote, notes_without_issue


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

    # A tag's pages ask this rather than reading `articles`: a page records what it read, and one that read
    # every article of the tag would render again whenever any of them changed (all 100 pages of a tag).
    @property
    def has_events(self) -> bool:
        return any(a.events for a in self.articles)


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
class ArticleRelations:
    """What the site model knows about one article beyond its own fields."""

    companies: tuple[Ref, ...]  # listed companies, then those only its events name
    tags: tuple[Ref, ...]
    authors: tuple[Author, ...]
    events: tuple[TrackedEvent, ...]  # the tracked events it reports
    related: tuple[Article, ...]  # best first


@dataclass(frozen=True, slots=True)
class Site:
    articles: tuple[Article, ...]  # published, newest first
    pages: tuple[Page, ...]
    companies: tuple[Company, ...]  # by name
    tags: tuple[Tag, ...]  # by name
    events: tuple[TrackedEvent, ...]  # newest first, each once however many articles report it
    relations: Mapping[str, ArticleRelations]  # by article slug: read through the methods below
    weeks: tuple[Week, ...] = ()  # the weekly digest's issues, newest first (weekly.py)

    # The methods templates and feeds ask about one article; incremental builds record each answer read.
    RELATIONS: ClassVar[frozenset[str]] = frozenset(
        ("companies_of", "tags_of", "authors_of", "events_of", "related_to"))

    def companies_of(self, article: Article) -> tuple[Ref, ...]:
        return self.relations[article.slug].companies

    def tags_of(self, article: Article) -> tuple[Ref, ...]:
        return self.relations[article.slug].tags

    def authors_of(self, article: Article) -> tuple[Author, ...]:
        return self.relations[article.slug].authors

    def events_of(self, article: Article) -> tuple[TrackedEvent, ...]:
        return self.relations[article.slug].events

    def related_to(self, article: Article) -> tuple[Article, ...]:
        return self.relations[article.slug].related


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


@dataclass(frozen=True, slots=True)
class Publishing:
    """What reaches readers: drafts only with --drafts, future articles only from their date (or --future)."""

    now: datetime
    drafts: bool = False
    future: bool = False

    def publishes(self, document: Article | Page | WeeklyNote) -> bool:
        if document.draft and not self.drafts:
            return False
        return self.future or not isinstance(document, Article) or document.date <= self.now

    def left_out(self, content: Content) -> tuple[tuple, tuple[Article, ...]]:
        """The drafts (articles, pages and weekly notes, each with its `source`) and the scheduled articles
        this build does not publish."""
        articles = content.articles
        drafts = tuple(d for d in (*articles, *content.pages, *content.notes) if d.draft and not self.drafts)
        scheduled = tuple(a for a in articles if not a.draft and not self.publishes(a))
        return drafts, tuple(sorted(scheduled, key=lambda a: a.date))


class Naming:
    """Company and tag names resolved to one `Ref` each: a company by its profile's slug, name or aliases,
    otherwise (like a tag) by the slug of the newest article's spelling. Articles are named newest first."""

    def __init__(self, profiles: Sequence[CompanyProfile]):
        self.profiles: dict[str, CompanyProfile] = {}  # every spelling a profile answers to, slugified
        self.problems: list[SourceError] = []
        self._company_names: dict[str, str] = {}
        self._tag_names: dict[str, str] = {}
        self._company_refs: dict[str, Ref] = {}  # spelling → its Ref
        self._tag_refs: dict[str, Ref] = {}
        for profile in profiles:
            told = set()  # one message per pair of profiles, at the first spelling they share
            for spelling in (profile.name, *profile.aliases, profile.slug):  # the located ones first
                key = urls.slugify(spelling)
                other = self.profiles.get(key)
                if other is not None and other is not profile:
                    if other.source not in told:
                        told.add(other.source)
                        self.problems.append(_clash(profile, spelling, other))
                    continue
                self.profiles[key] = profile

    # A spelling's Ref is the same on every later mention (its slug's display name is set by the first),
    # so each is resolved once: slugifying every mention was a third of the site model at 10,000 articles.
    def company(self, name: str) -> Ref:
        ref = self._company_refs.get(name)
        if ref is None:
            profile = self.profiles.get(urls.slugify(name))
            slug = profile.slug if profile else urls.slugify(name)
            display = profile.name if profile else self._company_names.setdefault(slug, name)
            ref = self._company_refs[name] = Ref(slug, display, urls.company_path(slug))
        return ref

    def tag(self, name: str) -> Ref:
        ref = self._tag_refs.get(name)
        if ref is None:
            slug = urls.slugify(name)
            ref = self._tag_refs[name] = Ref(slug, self._tag_names.setdefault(slug, name), urls.tag_path(slug))
        return ref


def _clash(profile: CompanyProfile, spelling: str, other: CompanyProfile) -> SourceError:
    """Two profiles answer to one name: an error in the later file, at the name or alias it shares (or
    about its file name, which is its slug)."""
    if spelling == profile.slug and spelling not in profile.lines:
        return SourceError(profile.source, None, None, f"the file name {quote(spelling)} already names the company "
                           f"in {other.source}; rename this file (its name is the company's slug), or merge the two "
                           "profiles")
    return SourceError(profile.source, profile.lines.get(spelling), None,
                       f"{quote(spelling)} already names the company in {other.source}; one company has one profile: "
                       "merge the two, or drop the name from one of them")


@dataclass(frozen=True, slots=True)
class Index:
    """Companies and tags with their articles (newest first), and each article's names."""

    company_refs: dict[str, Ref]
    company_articles: dict[str, list[Article]]
    tag_refs: dict[str, Ref]
    tag_articles: dict[str, list[Article]]
    companies_of: dict[str, tuple[Ref, ...]]  # article slug → its companies, listed ones first
    tags_of: dict[str, tuple[Ref, ...]]


def index_articles(articles: Sequence[Article], naming: Naming) -> Index:
    index = Index({}, defaultdict(list), {}, defaultdict(list), {}, {})
    for article in articles:
        refs = tuple(dict.fromkeys((*(naming.company(n) for n in article.companies),
                                    *(naming.company(p.name) for e in article.events for p in e.parties))))
        tags = tuple(dict.fromkeys(naming.tag(n) for n in article.tags))
        for ref in refs:
            index.company_refs.setdefault(ref.slug, ref)
            index.company_articles[ref.slug].append(article)
        for ref in tags:
            index.tag_refs.setdefault(ref.slug, ref)
            index.tag_articles[ref.slug].append(article)
        index.companies_of[article.slug] = refs
        index.tags_of[article.slug] = tags
    for profile in naming.profiles.values():  # a profile with no article still has its page
        index.company_refs.setdefault(profile.slug, Ref(profile.slug, profile.name, urls.company_path(profile.slug)))
    return index


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


def naming_warnings(articles: Sequence[Article], index: Index, naming: Naming) -> list[SourceError]:
    """Names spelled two ways, event companies an article does not list, companies without a profile."""
    problems = []
    for article in articles:
        listed = tuple(dict.fromkeys(naming.company(n) for n in article.companies))
        problems += _spelling_warnings(article, "companies", article.companies, listed, naming.profiles)
        problems += [
            SourceError(article.source, event.line, None,
                        f"events[{event.index}].company: {quote(event.company)} is not in this article's companies; "
                        "add it there so the article is listed with the company", severity="warning")
            for event in article.events if naming.company(event.company) not in listed]
        problems += _spelling_warnings(article, "tags", article.tags, tuple(naming.tag(n) for n in article.tags), {})
    known = None
    for slug, ref in index.company_refs.items():
        if slug not in naming.profiles:
            newest = index.company_articles[slug][0]
            line = (newest.field_lines.get("companies") or newest.field_lines.get("events") or (None,))[0]
            known = known if known is not None else _profile_names(naming.profiles.values())
            meant = difflib.get_close_matches(ref.name.casefold(), known, n=1, cutoff=0.8)
            hint = f"did you mean {quote(known[meant[0]].name)} ({known[meant[0]].source})? If not, " if meant else ""
            problems.append(SourceError(
                newest.source, line, None,
                f"company {quote(ref.name)} has no profile; {hint}add content/companies/{slug}.yaml "
                f"with 'name: {ref.name}' (or an alias to an existing profile)", severity="warning"))
    return problems


def _profile_names(profiles) -> dict[str, CompanyProfile]:
    """Every name and alias of the profiles, case-folded, for a 'did you mean'."""
    return {spelling.casefold(): profile for profile in profiles for spelling in (profile.name, *profile.aliases)}


def file_events(events: Sequence[TrackedEvent]) -> tuple[dict[str, list[TrackedEvent]], dict[str, list[TrackedEvent]]]:
    """Each tracked event under every company it involves and under every article that reports it."""
    by_company: dict[str, list[TrackedEvent]] = defaultdict(list)
    by_article: dict[str, list[TrackedEvent]] = defaultdict(list)
    for event in events:
        for involved in event.involved:  # an investment is on the investor's page and on the target's
            by_company[involved.company.slug].append(event)
        for article in event.articles:
            by_article[article.slug].append(event)
    return by_company, by_article


def build_site(content: Content, config: SiteConfig, publishing: Publishing,
               remembered: dict | None = None) -> tuple[Site, list[SourceError]]:
    """The site model from the validated content: pure, no I/O. `remembered`: work kept from the last
    build, keyed by what it depends on (see `related.remembered_related`); the model is the same with it
    or without."""
    articles = newest_first([a for a in content.articles if publishing.publishes(a)])
    pages = tuple(sorted((p for p in content.pages if publishing.publishes(p)), key=lambda p: p.slug))
    naming = Naming(content.profiles)
    index = index_articles(articles, naming)
    problems = naming.problems + naming_warnings(articles, index, naming)
    events, more = track_events(articles, naming.company)
    problems += more
    company_events, article_events = file_events(events)
    related = remembered_related(remembered, articles, index.company_articles, index.tag_articles,
                                 index.companies_of, index.tags_of)
    companies = tuple(sorted(
        (Company(ref, naming.profiles.get(slug), tuple(index.company_articles[slug]), tuple(company_events[slug]))
         for slug, ref in index.company_refs.items()),
        key=lambda c: (c.ref.name.casefold(), c.ref.slug),
    ))
    tags = tuple(sorted((Tag(ref, tuple(index.tag_articles[slug])) for slug, ref in index.tag_refs.items()),
                        key=lambda t: (t.ref.name.casefold(), t.ref.slug)))
    relations = {
        a.slug: ArticleRelations(index.companies_of[a.slug], index.tags_of[a.slug],
                                 tuple(config.authors.get(n) or Author(n, None) for n in a.authors),
                                 tuple(article_events[a.slug]), related[a.slug])
        for a in articles}
    notes = [n for n in content.notes if publishing.publishes(n)]
    weeks = build_weeks(articles, events, config.timezone, None if publishing.future else publishing.now,
                        {n.week: n for n in notes})
    problems += notes_without_issue(notes, weeks)
    return Site(articles, pages, companies, tags, events, MappingProxyType(relations), weeks), problems

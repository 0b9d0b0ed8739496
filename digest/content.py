"""Articles, pages, company profiles and events: validated from front matter into frozen records.

Every problem in a document is gathered (never only the first) and returned
beside the records that could be made; a document with an error yields no record.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from html import unescape
from pathlib import Path
from typing import Any, Mapping

from . import markdown_ext, sanitize, urls
from .markdown_ext import LinkContext
from .errors import SourceError, quote
from .aliases import read_aliases
from .config import SiteConfig, read_extra
from .figures import Figure, add, read_figure
from .images import LeadImage, SourceImage, read_lead_image
from .bodyreads import noted_on_read
from .frontmatter import SourceDoc, YamlDoc, YamlProblem, decode, split_front_matter
from .reader import read_profile, site_roots
from .validate import MISSING, Checker, suggest

ARTICLE_FIELDS = (
    "title", "date", "updated", "slug", "summary", "companies", "tags", "authors",
    "takeaways", "sources", "events", "corrections", "id", "draft", "extra",
    "aliases", "kind", "featured", "image",
)
# What kind of story an article is: shown as a kicker, a feed category and a JSON-LD type. News, the
# default, is not labelled; opinion and analysis always are, as the sources mix reporting and opinion.
ARTICLE_KINDS = ("news", "analysis", "opinion", "explainer")
PAGE_FIELDS = ("title", "slug", "summary", "date", "updated", "draft", "extra", "aliases")
PROFILE_FIELDS = ("name", "aliases", "website", "sector", "headquarters", "founded", "description")
SOURCE_FIELDS = ("title", "url", "publisher")
CORRECTION_FIELDS = ("date", "note")
EVENT_FIELDS = ("company", "companies", "date", "kind", "affected", "affected_note", "employees", "contractors",
                "percent", "location", "unit", "note", "source")
EVENT_KINDS = (
    "layoff", "contractor-cut", "closure", "hiring-freeze",
    "reorganization", "leadership-change", "investment", "acquisition",
)
# What another company named on an event was to it; the event's `company` is the one it happened to.
EVENT_ROLES = ("investor", "target", "acquirer", "acquired", "client", "supplier", "agency", "partner")
PARTY_FIELDS = ("name", "role")
PRIMARY_SOURCE_FIELDS = ("title", "url", "kind")
PRIMARY_SOURCE_KINDS = ("warn-notice", "filing", "company-statement", "press-report")
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")


@dataclass(frozen=True, slots=True)
class Source:
    title: str
    url: str
    publisher: str | None


@dataclass(frozen=True, slots=True)
class Correction:
    date: date
    note: str


@dataclass(frozen=True, slots=True)
class Party:
    """A company named on an event, as written, with its role (investor, target...) when given."""

    name: str
    role: str | None


@dataclass(frozen=True, slots=True)
class PrimarySource:
    """The document an event rests on: a WARN notice, a filing, the company's statement, a press report."""

    title: str
    url: str
    kind: str  # one of PRIMARY_SOURCE_KINDS


@dataclass(frozen=True, slots=True)
class Event:
    company: str  # as written; resolved to a company slug by the site model
    date: date
    kind: str  # one of EVENT_KINDS
    affected: Figure | None  # people affected in all, as reported
    percent: float | None
    location: str | None
    unit: str | None
    note: str | None
    index: int  # its place in the article's events list, for messages
    line: int  # where it is written in the article's file
    affected_note: str | None = None  # words no figure holds: "hundreds of contractors"
    employees: Figure | None = None  # by worker type, where reported
    contractors: Figure | None = None
    parties: tuple[Party, ...] = ()  # every company involved, `company` first
    source: PrimarySource | None = None


@dataclass(frozen=True, slots=True, eq=False)  # one object per article: identity is equality
class Article:
    source: str  # the file, as printed in messages
    source_key: str  # the file relative to the content folder, as other documents link to it
    slug: str
    path: str  # site path, e.g. 2025/10/scale-ai-dallas/
    title: str  # plain text; escaped on output
    date: datetime  # aware
    updated: datetime | None
    summary: str  # plain text
    html: str  # the rendered body
    companies: tuple[str, ...]  # as written
    tags: tuple[str, ...]
    authors: tuple[str, ...]  # ids from site.yaml or free names
    takeaways: tuple[str, ...]  # inline HTML, one per point
    sources: tuple[Source, ...]
    events: tuple[Event, ...]
    corrections: tuple[Correction, ...]
    feed_id: str | None  # pinned with `id:`
    draft: bool
    field_lines: Mapping[str, tuple[int, int | None]]  # field → its line (and its value's column), for messages
    assets: tuple[tuple[Path, str], ...]  # files the body links to, and where they are published
    words: int  # in the body, for the reading time
    link_checks: tuple[tuple[str, bool], ...]  # files the body's links looked for, and if they were there
    extra: Mapping[str, Any] = dataclasses.field(default_factory=dict)  # free-form `extra:`, for templates
    aliases: tuple[str, ...] = ()  # old site paths ('2024/05/old-slug/') that redirect here
    image: LeadImage | None = None  # `image:`, shown above the body and behind the social card
    images: tuple[SourceImage, ...] = ()  # the body's pictures, resized at build time
    source_hash: str = ""  # of the file's path and bytes (see `source_hash`)
    kind: str = "news"  # one of ARTICLE_KINDS
    featured: bool = False  # the newest featured article leads the home page
    link_lines: tuple[tuple[str, int], ...] = ()  # each source the body links to → the line of its first link
    # What incremental builds compare, made on construction so that `dataclasses.replace` can never leave a
    # stale one. `fingerprint` stands for every field but the body's (BODY_FIELDS): a page that lists the
    # article is rendered again when its title or events change, not when a sentence of its body does.
    # `body_fingerprint` stands for everything: every field is made from the source's bytes, `html` also
    # from other documents' URLs (filled in by links.py). Reading a body field notes a `BodyRead`, whose
    # value is `body_fingerprint` (see bodyreads.py).
    fingerprint: str = field(init=False, repr=False, default="")
    body_fingerprint: str = field(init=False, repr=False, default="")

    def __post_init__(self) -> None:
        # The lead image's size and bytes are not in the source: a new picture of another shape changes the page.
        lead = f"\0{self.image!r}" if self.image else ""
        object.__setattr__(self, "body_fingerprint", document_fingerprint(self.source_hash, self.html + lead))
        head = repr([getattr(self, name) for name in _ARTICLE_HEAD])
        object.__setattr__(self, "fingerprint", document_fingerprint("head", head))


# Fields made from the body alone, which list pages, the tracker and the data files do not show.
BODY_FIELDS = ("html", "words", "assets", "images", "link_checks", "link_lines")
_ARTICLE_HEAD = tuple(f.name for f in dataclasses.fields(Article)
                      if f.name not in (*BODY_FIELDS, "source_hash", "fingerprint", "body_fingerprint"))
noted_on_read(Article, BODY_FIELDS)


@dataclass(frozen=True, slots=True, eq=False)
class Page:
    source: str
    source_key: str
    field_lines: Mapping[str, tuple[int, int | None]]
    slug: str
    path: str
    title: str
    summary: str
    html: str
    draft: bool
    assets: tuple[tuple[Path, str], ...]
    link_checks: tuple[tuple[str, bool], ...]
    extra: Mapping[str, Any] = dataclasses.field(default_factory=dict)  # free-form `extra:`, for templates
    aliases: tuple[str, ...] = ()  # old site paths ('2024/05/old-slug/') that redirect here
    images: tuple[SourceImage, ...] = ()  # the body's pictures, resized at build time
    source_hash: str = ""
    link_lines: tuple[tuple[str, int], ...] = ()  # as Article's
    fingerprint: str = field(init=False, repr=False, default="")

    def __post_init__(self) -> None:
        object.__setattr__(self, "fingerprint", document_fingerprint(self.source_hash, self.html))


def document_fingerprint(source_hash: str, html: str) -> str:
    return hashlib.blake2b(f"{source_hash}\0{html}".encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class CompanyProfile:
    source: str
    slug: str  # the file name
    name: str
    aliases: tuple[str, ...]
    website: str | None
    sector: str | None
    headquarters: str | None
    founded: int | None
    description_html: str
    lines: Mapping[str, int] = field(default_factory=dict)  # its name and each alias → their line, for messages


def _slug(check: Checker, doc: SourceDoc) -> str | None:
    written = check.string(("slug",))
    if written is not None:
        if not urls.is_slug(written):
            hint = urls.plain_slugify(written)
            check.report(
                ("slug",),
                f"{quote(written)} must be lower-case letters, digits and hyphens"
                + (f" (did you mean '{hint}'?)" if hint else ""),
            )
            return None
        if len(written) > urls.MAX_SLUG:
            check.report(("slug",), f"{quote(written)} is longer than {urls.MAX_SLUG} characters; shorten it")
            return None
        return written
    stem = doc.path.name.removesuffix(".md")
    slug = urls.slugify(stem)
    if slug != urls.plain_slugify(stem):
        check.report((), f"the file name {quote(doc.path.name)} makes no usable slug, so the URL uses {quote(slug)}; "
                     "add a 'slug:' field to choose one", severity="warning")
    return slug


def _name_slugs(check: Checker, field: str, names: tuple[str, ...]) -> None:
    """A company or tag whose name makes no usable slug still gets a page, at a made-up address: say which."""
    written = check.get((field,))
    for i, name in enumerate(names):
        slug = urls.slugify(name)
        if slug != urls.plain_slugify(name):
            reason = "is too long for a URL" if urls.plain_slugify(name) else "has no letters or digits for a URL"
            page = (urls.company_path if field == "companies" else urls.tag_path)(slug)
            check.report((field, i) if isinstance(written, list) else (field,),
                         f"{quote(name)} {reason}; its page is /{page}", severity="warning")


def _parties(check: Checker, at: tuple, company: str | None) -> tuple[Party, ...]:
    """`company` first, then the others of `companies:` (a name, or {name, role}); `company` may be listed
    there too, to give it a role."""
    where = at + ("companies",)
    written = check.get(where)
    listed: list[Party] = []
    if isinstance(written, str):  # `companies: Google`: one name, read as a one-item list
        name = check.string(where, required=True)
        listed += [Party(name.strip(), None)] if name else []
    elif written not in (MISSING, None) and not isinstance(written, list):
        check.report(where, f"{quote(written)} must be a list of names, or of {{name, role}}")
        written = None
    for i, item in enumerate(written if isinstance(written, list) else ()):
        if isinstance(item, dict):
            check.known_keys(where + (i,), PARTY_FIELDS)
            name = check.string(where + (i, "name"), required=True)
            role = check.choice(where + (i, "role"), EVENT_ROLES, "a role")
        else:
            name, role = check.string(where + (i,), required=True), None
        if name:
            listed.append(Party(name.strip(), role))
    if company is None:
        return ()
    same = lambda p: urls.slugify(p.name) == urls.slugify(company)  # noqa: E731
    own_role = next((p.role for p in listed if same(p)), None)
    return (Party(company, own_role), *(p for p in listed if not same(p)))


def _primary_source(check: Checker, at: tuple) -> PrimarySource | None:
    if check.mapping(at) is None:
        return None
    check.known_keys(at, PRIMARY_SOURCE_FIELDS)
    title = check.string(at + ("title",), required=True)
    url = check.url(at + ("url",), required=True)
    kind = check.choice(at + ("kind",), PRIMARY_SOURCE_KINDS, "a kind of source", required=True)
    return PrimarySource(title.strip(), url, kind) if title and url and kind else None


def _events(check: Checker) -> tuple[Event, ...]:
    events = []
    seen: dict[tuple[str, str, date], int] = {}  # (company's slug, kind, day) → the index that reports it
    for i in check.items(("events",)):
        at = ("events", i)
        check.known_keys(at, EVENT_FIELDS)
        company = check.name(at + ("company",), required=True)
        day = check.day(at + ("date",), required=True)
        kind = check.choice(at + ("kind",), EVENT_KINDS, "an event kind", required=True)
        affected = read_figure(check, at + ("affected",))
        affected_note = check.string(at + ("affected_note",))
        employees = read_figure(check, at + ("employees",))
        contractors = read_figure(check, at + ("contractors",))
        parts = add([f for f in (employees, contractors) if f is not None])
        if affected and parts and parts.qualifier in ("exactly", "at-least") and parts.value > affected.value \
                and affected.qualifier in ("exactly", "up-to"):
            check.report(at + ("affected",), f"{affected.words} is fewer than employees and contractors together "
                         f"({parts.words})")
        percent = check.number(at + ("percent",), 0, 100)
        location = check.string(at + ("location",))
        unit = check.string(at + ("unit",))
        note = check.string(at + ("note",))
        parties = _parties(check, at, company.strip() if company else None)
        source = _primary_source(check, at + ("source",))
        if company and day and kind:
            # The tracker knows an event by its company, kind and day, so a second one in the same article
            # would be merged into the first and its figures lost.
            same = seen.setdefault((urls.slugify(company), kind, day), i)
            if same != i:
                check.report(at, f"events[{same}] already reports a {kind} at {company.strip()} on {day}, and "
                             "the tracker counts one event per company, kind and day: write them as one event "
                             "(the total, with both places in location or note)")
                continue
            line = check.doc.where(at)[0]
            events.append(Event(company.strip(), day, kind, affected, percent, location, unit, note, i, line,
                                affected_note, employees, contractors, parties, source))
    return tuple(events)


def _sources(check: Checker) -> tuple[Source, ...]:
    out = []
    for i in check.items(("sources",)):
        at = ("sources", i)
        check.known_keys(at, SOURCE_FIELDS)
        title = check.string(at + ("title",), required=True)
        url = check.url(at + ("url",), required=True)
        publisher = check.string(at + ("publisher",))
        if title and url:
            out.append(Source(title, url, publisher))
    return tuple(out)


def _corrections(check: Checker, published: datetime | None) -> tuple[Correction, ...]:
    """`published`: in the site's zone; a correction dated before that day is an error."""
    out = []
    for i in check.items(("corrections",)):
        at = ("corrections", i)
        check.known_keys(at, CORRECTION_FIELDS)
        day = check.day(at + ("date",), required=True)
        note = check.string(at + ("note",), required=True)
        if day and published and day < published.date():
            check.report(at + ("date",), f"{day:%Y-%m-%d} is before the publication date {published:%Y-%m-%d}")
        elif day and note:
            out.append(Correction(day, note))
    return tuple(out)


def _body_html(doc: SourceDoc, path: str, config: SiteConfig, check: Checker) -> tuple[str, LinkContext]:
    """The body as HTML (cleaned unless the site allows unsafe HTML), with its links to other sources and
    files resolved or reported; a body too deep or too slow to convert is reported instead."""
    links = LinkContext(doc.path.resolve(), config.content_dir.resolve(), path, config.base_path,
                        roots=site_roots(config))
    limits = config.limits
    deepest, line = markdown_ext.nesting_depth(doc.body)
    if deepest > limits.nesting_depth:
        check.problems.append(SourceError(doc.display, doc.body_line + line - 1, None,
                                          f"lists and quotes nested {deepest} deep; at most {limits.nesting_depth} "
                                          "(limits.nesting_depth in site.yaml)"))
        return "", links
    refused: list[str] = []
    try:
        with markdown_ext.time_limit(limits.markdown_seconds):
            html = markdown_ext.render(doc.body, links, config.markdown, safe=not config.unsafe_html,
                                       refused=refused)
    except (markdown_ext.TooSlow, RecursionError):
        check.problems.append(SourceError(doc.display, doc.body_line, None,
                                          f"the body takes over {limits.markdown_seconds} s to convert to HTML; look "
                                          "for long runs of '[', '<' or nesting (limits.markdown_seconds in site.yaml)"))
        return "", links
    for url in links.missing:
        check.problems.append(SourceError(doc.display, _line_of(doc, url), None, f"link to {quote(url)}: no such file"))
    for url in refused:
        check.problems.append(SourceError(doc.display, _line_of(doc, url), None, _refused_message(url)))
    for url, message in links.image_problems:
        check.problems.append(SourceError(doc.display, _line_of(doc, url), None, message))
    for line, message in markdown_ext.box_mistakes(doc.body):
        check.problems.append(SourceError(doc.display, doc.body_line + line - 1, None, message, "warning"))
    return html, links


def _in_zone(moment: datetime | None, zone) -> datetime | None:
    return moment.astimezone(zone) if moment is not None else None


def _line_of(doc: SourceDoc, text: str) -> int:
    """The file line where `text` first appears in the body, as written or with its character references
    read (`&#106;avascript:` is the `javascript:` the HTML holds); the body's first line when it does not."""
    offset = doc.body.find(text)
    if offset >= 0:
        return doc.body_line + doc.body[:offset].count("\n")
    for number, line in enumerate(doc.body.split("\n")):
        if "&" in line and text in unescape(line):
            return doc.body_line + number
    return doc.body_line


def link_lines(doc: SourceDoc, links: LinkContext) -> tuple[tuple[str, int], ...]:
    """Each source the body links to, with the line of its first link: a link found wrong only once every
    document is known (to a draft, say) is reported at that line (links.py)."""
    lines: dict[str, int] = {}
    for key, url in links.documents:
        lines.setdefault(key, _line_of(doc, url))
    return tuple(lines.items())


def _refused_message(url: str) -> str:
    scheme = sanitize.scheme_of(url)
    if scheme == "file" or len(scheme) == 1:  # file:///Users/…, C:\Users\…
        return (f"link to {quote(url)}: this is a file on your computer, which readers cannot open; put the "
                "file beside the article and link to it by its name")
    why = "can run code or hide content" if scheme in sanitize.DANGEROUS_SCHEMES else "are not published"
    return (f"link to {quote(url)}: {scheme}: addresses {why}; use http, https, mailto, tel, relative or "
            "#fragment addresses")


def _author_ids(check: Checker, authors: tuple[str, ...], known: Mapping[str, Any]) -> None:
    """A byline that is no author id of site.yaml is printed as written, with no author page: warn when it
    looks like a slip (an id misspelled, or an author's name where the id was meant). Stricter than a
    field's `suggest`: a guest's byline is no mistake."""
    for name in (a for a in authors if known and a not in known):
        by_name = [author_id for author_id, author in known.items() if author.name.casefold() == name.casefold()]
        if by_name:
            check.report(("authors",), f"{quote(name)} is the name of the author {quote(by_name[0])} in site.yaml; "
                                       f"write the id, {quote(by_name[0])}, to link the story to their page",
                         severity="warning")
        elif hint := suggest(name, known, cutoff=0.8):
            check.report(("authors",), f"{quote(name)} is not an author in site.yaml{hint}; a byline that is no id "
                                       "is printed as written, with no author page", severity="warning")


def _inline_points(check: Checker, field: str, points: tuple[str, ...], config: SiteConfig) -> tuple[str, ...]:
    """Inline Markdown of each point (takeaways), cleaned like a body, a refused address reported at its point."""
    out = []
    for i, point in enumerate(points):
        refused: list[str] = []
        out.append(markdown_ext.render_inline(point, config.markdown, safe=not config.unsafe_html, refused=refused))
        for url in refused:
            check.report((field, i) if isinstance(check.get((field,)), list) else (field,), _refused_message(url))
    return tuple(out)


class FieldLines(Mapping):
    """Top-level field → (its line, its value's column when the value starts on that line), for messages.
    Kept as the field names, one tuple shared by every document that has the same fields in the same order,
    and a flat tuple of numbers: a dict per document was 10 MB of the 58 MB that 10,000 articles hold."""

    __slots__ = ("names", "places")
    _shared: dict[tuple[str, ...], tuple[str, ...]] = {}

    def __init__(self, names: tuple[str, ...], places: tuple[int, ...]):
        self.names = self._shared.setdefault(names, names)
        self.places = places  # line, column (-1: none) of each name in turn

    @classmethod
    def of(cls, lines: Mapping[str, tuple[int, int | None]]) -> "FieldLines":
        return cls(tuple(lines), tuple(n for line, col in lines.values() for n in (line, -1 if col is None else col)))

    def __getitem__(self, name: str) -> tuple[int, int | None]:
        try:
            at = 2 * self.names.index(name)
        except ValueError:
            raise KeyError(name) from None
        col = self.places[at + 1]
        return self.places[at], None if col < 0 else col

    def __iter__(self):
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def __repr__(self) -> str:  # in the article's fingerprint: the same fields give the same text
        return f"FieldLines({dict(self)!r})"

    def __reduce__(self):
        return FieldLines, (self.names, self.places)


def _field_lines(doc: SourceDoc) -> FieldLines:
    """Top-level field → (its line, its value's column when the value starts on that line)."""
    out = {}
    for path, (line, _) in doc.meta.keys.items():
        if len(path) == 1:
            value_line, value_col = doc.meta.values.get(path, (line, None))
            out[path[0]] = (line, value_col if value_line == line else None)
    return FieldLines.of(out)


def _source_key(doc: SourceDoc, config: SiteConfig) -> str:
    return doc.path.resolve().relative_to(config.content_dir.resolve()).as_posix()


def parse_article(doc: SourceDoc, config: SiteConfig) -> tuple[Article | None, list[SourceError]]:
    zone = config.timezone
    check = Checker(doc.meta, doc.display)
    check.known_keys((), ARTICLE_FIELDS)
    title = check.name(("title",), required=True)
    # In the site's time zone, as the article's address is: '2025-11-01T03:00+02:00' on a Chicago site is
    # October 31st there, so its page, date line, breadcrumb and month archive all say October.
    published = _in_zone(check.moment(("date",), zone, required=True), zone)
    updated = _in_zone(check.moment(("updated",), zone), zone)
    slug = _slug(check, doc)
    summary = check.string(("summary",))
    feed_id = check.string(("id",))
    if feed_id is not None and not _URI.fullmatch(feed_id.strip()):
        check.report(("id",), f"{quote(feed_id)} must be a URI such as 'urn:uuid:…' or 'tag:example.org,2025:x' "
                     "(copy the old id from feed.xml to keep it)")
        feed_id = None
    companies = check.names(("companies",))
    tags = check.names(("tags",))
    if isinstance(written := check.get(("tags",)), str) and "," in written:  # a company's name may hold one
        parts = ", ".join(p.strip() for p in written.split(",") if p.strip())
        check.report(("tags",), f"{quote(written)} is one tag; for several, write a list: [{parts}]", severity="warning")
    for name, found, most in (("companies", companies, config.limits.companies_per_article),
                              ("tags", tags, config.limits.tags_per_article)):
        if len(found) > most:
            check.report((name,), f"{len(found)} {name}; at most {most} (limits.{name}_per_article in site.yaml)")
    _name_slugs(check, "companies", companies)
    _name_slugs(check, "tags", tags)
    authors = check.names(("authors",))
    _author_ids(check, authors, config.authors)
    takeaways = _inline_points(check, "takeaways", check.strings(("takeaways",)), config)
    sources = _sources(check)
    events = _events(check)
    corrections = _corrections(check, published)
    draft = check.boolean(("draft",))
    kind = check.choice(("kind",), ARTICLE_KINDS, "a kind of article", default="news")
    featured = check.boolean(("featured",))
    extra = read_extra(check)
    aliases = read_aliases(check)
    if published and updated and updated < published:
        check.report(("updated",), f"{updated:%Y-%m-%d} is before the publication date {published:%Y-%m-%d}")
    # The body is read even when the front matter is wrong, so its broken links are reported too.
    path = urls.article_path(published, slug) if published and slug else ""
    html, links = _body_html(doc, path, config, check)
    body_images = tuple(links.images)
    image = read_lead_image(check, links)
    if check.failed or not (title and published and slug):
        return None, check.problems
    return Article(
        source=doc.display,
        source_key=_source_key(doc, config),
        slug=slug,
        path=path,
        title=title.strip(),
        date=published,
        updated=updated,
        summary=" ".join((summary or markdown_ext.first_paragraph_text(html)).split()),
        html=html,
        companies=companies,
        tags=tags,
        authors=authors,
        takeaways=takeaways,
        sources=sources,
        events=events,
        corrections=corrections,
        feed_id=feed_id.strip() if feed_id else None,
        draft=draft,
        field_lines=_field_lines(doc),
        assets=tuple(links.assets),
        words=markdown_ext.word_count(html),
        link_checks=tuple(links.checked),
        extra=extra,
        aliases=aliases,
        kind=kind or "news",
        featured=featured,
        image=image,
        images=body_images,
        link_lines=link_lines(doc, links),
    ), check.problems


def parse_page(doc: SourceDoc, config: SiteConfig) -> tuple[Page | None, list[SourceError]]:
    zone = config.timezone
    check = Checker(doc.meta, doc.display)
    check.known_keys((), PAGE_FIELDS)
    title = check.name(("title",), required=True)
    slug = _slug(check, doc)
    summary = check.string(("summary",))
    check.moment(("date",), zone)
    check.moment(("updated",), zone)
    draft = check.boolean(("draft",))
    extra = read_extra(check)
    aliases = read_aliases(check)
    html, links = _body_html(doc, urls.page_path(slug) if slug else "", config, check)
    if check.failed or not (title and slug):
        return None, check.problems
    return Page(doc.display, _source_key(doc, config), _field_lines(doc), slug, urls.page_path(slug), title.strip(),
                summary or markdown_ext.first_paragraph_text(html), html, draft, tuple(links.assets),
                tuple(links.checked), extra, aliases, tuple(links.images),
                link_lines=link_lines(doc, links)), check.problems


def parse_profile(doc: YamlDoc, display: str, stem: str, unsafe_html: bool = False,
                  markdown: markdown_ext.MarkdownSettings = markdown_ext.NO_SETTINGS,
                  ) -> tuple[CompanyProfile | None, list[SourceError]]:
    check = Checker(doc, display)
    if doc.data is None:  # an empty file, or comments only: YAML reads nothing, not a mapping
        guess = " ".join(word.capitalize() for word in stem.split("-")) or "Acme Corp"
        check.report((), f"the profile is empty; a company profile needs at least its name, e.g. 'name: {guess}'")
        return None, check.problems
    if check.mapping((), required=True) is None:
        return None, check.problems
    check.known_keys((), PROFILE_FIELDS)
    if not urls.is_slug(stem):
        check.report((), f"the file name {quote(stem)} is the company's slug: rename the file to "
                     f"'{urls.plain_slugify(stem) or 'company-name'}.yaml'")
    name = check.name(("name",), required=True)
    aliases = check.names(("aliases",))
    website = check.url(("website",))
    sector = check.string(("sector",))
    headquarters = check.string(("headquarters",))
    founded = check.integer(("founded",), minimum=1000)
    description = check.string(("description",), default="") or ""
    refused: list[str] = []
    description_html = markdown_ext.render(description, settings=markdown, safe=not unsafe_html,
                                           refused=refused) if description else ""
    for url in refused:
        check.report(("description",), _refused_message(url))
    if check.failed or not name:
        return None, check.problems
    lines = {name.strip(): doc.where(("name",))[0]}
    for i, alias in enumerate(aliases):
        lines.setdefault(alias, doc.where(("aliases", i))[0])
    return CompanyProfile(display, stem, name.strip(), aliases, website, sector, headquarters, founded,
                          description_html, lines), check.problems


@dataclass(frozen=True, slots=True)
class Content:
    """Everything the site is made of, validated."""

    articles: tuple[Article, ...]
    pages: tuple[Page, ...]
    profiles: tuple[CompanyProfile, ...]
    notes: tuple = ()  # weeknotes.WeeklyNote: the weekly digest's editor's notes


def parse_document(kind: str, path: Path, config: SiteConfig):
    """Read and validate one article, page or weekly note: its record (None when it has errors), its problems, and
    the stat and bytes it was made from, for the parse cache."""
    display = config.display(path)
    limits = config.limits
    try:
        stat = path.stat()  # before reading: a save in between must not pair new dates with old bytes
        if stat.st_size > limits.file_size_kb * 1024:  # refused before it is read
            return None, [SourceError(display, None, None, f"the file has {stat.st_size // 1024:,} KB; at most "
                                      f"{limits.file_size_kb:,} KB (limits.file_size_kb in site.yaml)")], None, None
        raw = path.read_bytes()
        doc = split_front_matter(decode(raw, display), path, display, max_front_matter=limits.front_matter_kb * 1024)
    except YamlProblem as exc:
        return None, [exc.problem], None, None
    if kind == "note":
        from .weeknotes import parse_note  # weeknotes builds on this module: imported when first needed

        record, problems = parse_note(doc, config)
    else:
        record, problems = (parse_article if kind == "article" else parse_page)(doc, config)
    problems = [*problems, *comment_warnings(doc.meta, display)]
    if record is not None:
        record = dataclasses.replace(record, source_hash=source_hash(path, raw))
    return record, problems, stat, raw


# Fields a writer types as prose, where ' #' is more likely a hashtag or a number than a YAML comment.
PROSE_FIELDS = frozenset(("title", "summary", "takeaways", "note", "affected_note", "alt", "caption", "credit",
                          "description"))


def comment_warnings(meta: YamlDoc, display: str) -> list[SourceError]:
    """A prose value cut short where YAML saw a comment: `title: Team #2 closes` is the title "Team"."""
    check = Checker(meta, display)
    for path, comment in meta.commented.items():
        if any(key in PROSE_FIELDS for key in path if isinstance(key, str)):
            check.report(path, f"YAML read {quote(comment)} as a comment and left it out; put the whole value in "
                               "quotes to keep it", severity="warning")
    return check.problems


def source_hash(path: Path, raw: bytes) -> str:
    """A document's source for incremental builds: where it is and what it says."""
    return hashlib.blake2b(path.as_posix().encode() + b"\0" + hashlib.sha256(raw).digest(), digest_size=16).hexdigest()


def assemble_content(documents, profile_paths, config: SiteConfig) -> tuple[Content, list[SourceError]]:
    """The content from each document's (kind, record, problems), in source order: slugs checked for
    uniqueness, company profiles read."""
    problems: list[SourceError] = []
    articles, pages, profiles, notes = [], [], [], []
    owners: dict[str, str] = {}  # slug → the file that has it first
    for kind, record, found in documents:
        problems += found
        if record is None:
            continue
        if kind == "note":  # no slug: its file name is its week, one file per week
            notes.append(record)
            continue
        if record.slug in owners:
            line, col = record.field_lines.get("slug", (1, None))
            problems.append(SourceError(record.source, line, col,
                                        f"slug {quote(record.slug)} is already used by {owners[record.slug]}"))
            continue
        owners[record.slug] = record.source
        (articles if kind == "article" else pages).append(record)
    for path in profile_paths:
        display = config.display(path)
        try:
            doc = read_profile(path, display)
        except YamlProblem as exc:
            problems.append(exc.problem)
            continue
        profile, found = parse_profile(doc, display, path.name.rsplit(".", 1)[0], config.unsafe_html, config.markdown)
        problems += found
        if profile:
            profiles.append(profile)
    return Content(tuple(articles), tuple(pages), tuple(profiles), tuple(notes)), problems

"""The site's configuration: `site.yaml` read and checked into one frozen `SiteConfig`."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import BuildFailed, SourceError, quote
from .frontmatter import YamlDoc, YamlProblem, decode, load_yaml
from .i18n import parse_locale
from .markdown_settings import EXTENSIONS, MarkdownSettings
from .validate import Checker

KNOWN_KEYS = (
    "title", "base_url", "description", "language", "timezone",
    "theme", "per_page", "feed_items", "authors", "limits", "unsafe_html", "extra", "markdown",
    "plugins",
)
MARKDOWN_KEYS = ("extensions", "extension_configs")


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one source may ask of a build; each is a key under `limits:` in site.yaml."""

    file_size_kb: int = 5 * 1024  # an article or page file
    front_matter_kb: int = 64
    nesting_depth: int = 50  # lists and block quotes inside each other in a body
    tags_per_article: int = 50
    companies_per_article: int = 50
    markdown_seconds: int = 10  # converting one body to HTML


LIMIT_KEYS = tuple(Limits.__dataclass_fields__)


AUTHOR_KINDS = ("person", "organization")  # schema.org Person or Organization in JSON-LD
AUTHOR_KEYS = ("name", "url", "kind", "bio", "avatar")


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    url: str | None
    kind: str = "person"  # one of AUTHOR_KINDS
    bio: str = ""  # plain text, a sentence or two
    avatar: str | None = None  # absolute URL of a picture
    id: str = ""  # its key under `authors:`, which names its page; "" for a free name written on an article
    line: int | None = None  # where that key is in site.yaml, for messages


@dataclass(frozen=True, slots=True)
class SiteConfig:
    root: Path  # the folder of site.yaml; relative paths start here
    config_file: Path
    title: str
    base_url: str  # absolute, always ending in '/'
    description: str
    language: str  # a locale (en, fr-CA): <html lang>, the feeds' language, dates, numbers and the interface
    timezone: ZoneInfo  # dates without a time are midnight here
    theme: str  # folder name under themes/
    per_page: int  # listing pagination
    feed_items: int  # newest articles per feed
    authors: Mapping[str, Author]  # author id → name and link
    limits: Limits
    unsafe_html: bool  # True: raw HTML and every link kept as written (only for sites that trust every writer)
    content_dir: Path
    output_dir: Path
    templates_dir: Path  # site-level overrides of theme templates
    static_dir: Path  # site-level static files, copied over the theme's
    themes_dir: Path  # the site's own themes, searched before the shipped ones
    extra: Mapping[str, Any] = field(default_factory=dict)  # free-form values for templates (`config.extra`), unchecked
    markdown: MarkdownSettings = field(default_factory=MarkdownSettings)  # extensions added to digest's own
    plugins: tuple = ()  # plugins.Plugin: installed (entry points) and named under `plugins:`, in that order

    @property
    def base_path(self) -> str:
        """The path part of base_url ('/' or '/digest/'), for links that work under a sub-folder."""
        return urlsplit(self.base_url).path or "/"

    @property
    def source_dirs(self) -> tuple[Path, ...]:
        """What a build must never overwrite or write into: the site's own sources."""
        return (self.content_dir, self.templates_dir, self.static_dir, self.themes_dir, self.config_file)

    def display(self, path: Path) -> str:
        """A path as the writer typed it: relative to the working folder where possible."""
        return display_path(path)


def display_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, RuntimeError, OSError):  # elsewhere, or a symbolic link loop (RuntimeError in 3.11)
        return str(path)


def normalize_base_url(value: str) -> str | None:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment \
            or any(c.isspace() for c in value.strip()):  # 'https://digest example.org/' is no address
        return None
    text = value.strip()
    return text if text.endswith("/") else text + "/"


def read_extra(check: Checker) -> dict[str, Any]:
    """The free-form `extra:` mapping (site.yaml or front matter): anything inside goes, but it must be a
    mapping, so that `extra.key` in a template means what it says."""
    return dict(check.mapping(("extra",)) or {})


def extension_problem(name: str, values=None) -> str | None:
    """Why a Markdown extension cannot be used, or None; Python-Markdown is loaded only for a site that
    names extensions, so that a build that finds nothing changed does without it."""
    from .markdown_ext import extension_problem as problem

    return problem(name, values)


def _markdown_settings(check: Checker) -> MarkdownSettings:
    """`markdown: {extensions: [...], extension_configs: {...}}`, every extension loaded once here so that a
    missing or misconfigured one is an error on its own line rather than a crash in the middle of a build."""
    if check.mapping(("markdown",)) is None:
        return MarkdownSettings()
    check.known_keys(("markdown",), MARKDOWN_KEYS, what="key")
    names = check.strings(("markdown", "extensions"))
    configs: dict[str, dict] = {}
    for name in check.mapping(("markdown", "extension_configs")) or {}:
        at = ("markdown", "extension_configs", name)
        if str(name) not in names and str(name) not in EXTENSIONS:
            check.report(at, f"configures {str(name)!r}, which is not in markdown.extensions", key=True)
        elif check.mapping(at) is not None:
            configs[str(name)] = check.get(at)
    broken = set()
    for i, name in enumerate(names):
        problem = extension_problem(name)
        if problem:
            check.report(("markdown", "extensions", i), problem)
            broken.add(name)
    for name, values in configs.items():  # each extension's settings, on the line that gives them
        problem = None if name in broken else extension_problem(name, values)
        if problem:
            check.report(("markdown", "extension_configs", name), problem, key=True)
    return MarkdownSettings(names, configs)  # not used when a problem was reported: the build stops


def _with_plugins(config: SiteConfig, check: Checker) -> SiteConfig:
    """The config with its plugins loaded, their Markdown extensions added to the site's own."""
    from .plugins import load_plugins  # here: plugins imports units, which imports this module

    plugins = load_plugins(check, config, extension_problem)
    if not plugins:
        return config
    extensions = [e for p in plugins for e in p.markdown]
    markdown = replace(config.markdown,
                       extensions=config.markdown.extensions + tuple(e for e in extensions if isinstance(e, str)),
                       objects=tuple(e for e in extensions if not isinstance(e, str)),
                       plugins_key=",".join(p.key for p in plugins))
    return replace(config, plugins=plugins, markdown=markdown)


def load_config(
    config_file: Path,
    *,
    content_dir: Path | None = None,
    output_dir: Path | None = None,
    base_url: str | None = None,
) -> SiteConfig:
    """Read site.yaml; raise BuildFailed with every problem found in it."""
    root = config_file.parent
    display = display_path(config_file)
    try:
        doc = load_yaml(decode(config_file.read_bytes(), display), display)
    except YamlProblem as exc:
        raise BuildFailed([exc.problem]) from exc
    if doc.data is None:
        doc = YamlDoc({}, {(): (1, 1)}, {}, 1)
    check = Checker(doc, display)
    if check.mapping((), required=True) is None:
        raise BuildFailed(check.problems or [SourceError(display, 1, 1, "site.yaml must be 'key: value' lines")])
    check.known_keys((), KNOWN_KEYS, what="key")

    title = check.string(("title",), required=True)
    url_text = base_url if base_url is not None else check.string(("base_url",), required=True)
    url = None
    if url_text is not None:
        url = normalize_base_url(url_text)
        if url is None:
            message = f"{quote(url_text)} must be an absolute http(s) URL such as https://digest.example.org/"
            if base_url is not None:
                check.problems.append(SourceError("--base-url", None, None, message))
            else:
                check.report(("base_url",), message)
    zone_name = check.string(("timezone",), default="UTC")
    zone = ZoneInfo("UTC")
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        check.report(("timezone",), f"{quote(zone_name)} is not an IANA time zone name such as Europe/Paris")
    language = check.string(("language",), default="en") or "en"
    if parse_locale(language) is None:
        check.report(("language",), f"{quote(language)} is not a language code such as en, fr, fr-CA or de")
        language = "en"
    authors = {}
    for author_id in (check.mapping(("authors",)) or {}):
        path = ("authors", author_id)
        line = doc.where(path, key=True)[0]
        if isinstance(check.get(path), str):
            if (plain_name := check.name(path)) is not None:
                authors[str(author_id)] = Author(plain_name, None, id=str(author_id), line=line)
            continue
        if check.mapping(path, required=True) is None:
            continue
        check.known_keys(path, AUTHOR_KEYS, what="key")
        name = check.name(path + ("name",), required=True)
        link = check.url(path + ("url",))
        kind = check.choice(path + ("kind",), AUTHOR_KINDS, "an author kind", default="person") or "person"
        bio = check.string(path + ("bio",), default="") or ""
        avatar = check.url(path + ("avatar",))
        if name:
            authors[str(author_id)] = Author(name, link, kind, bio, avatar, str(author_id), line)

    limits = {}
    if check.mapping(("limits",)) is not None:
        check.known_keys(("limits",), LIMIT_KEYS, what="key")
        for key in LIMIT_KEYS:
            value = check.integer(("limits", key), minimum=1)
            if value is not None:
                limits[key] = value

    config = SiteConfig(
        root=root,
        config_file=config_file,
        title=title or "",
        base_url=url or "",
        description=check.string(("description",), default="") or "",
        language=language,
        timezone=zone,
        theme=check.string(("theme",), default="default") or "default",
        per_page=check.integer(("per_page",), default=20, minimum=1) or 20,
        feed_items=check.integer(("feed_items",), default=50, minimum=1) or 50,
        authors=MappingProxyType(authors),
        limits=Limits(**limits),
        unsafe_html=check.boolean(("unsafe_html",)),
        content_dir=content_dir if content_dir is not None else root / "content",
        output_dir=output_dir if output_dir is not None else root / "public",
        templates_dir=root / "templates",
        static_dir=root / "static",
        themes_dir=root / "themes",
        extra=MappingProxyType(read_extra(check)),
        markdown=_markdown_settings(check),
    )
    config = _with_plugins(config, check)
    if check.problems:
        raise BuildFailed(check.problems)
    return config

"""The site's language: its locale (dates and numbers written with Babel) and its interface translations
(gettext catalogs read from the theme's and the site's `locale/<lang>/LC_MESSAGES/digest.po`).

One `Language` serves a build. It is made from `site.yaml`'s `language` and the template folders (each
folder's `../locale` holds catalogs: the site's `locale/` beside its `templates/`, and the theme's), and
made the *active* one for the process at the start of a build, because interface words are written deep
in the model (a week's title, a headcount's "about 200", a chart's caption) where no config is at hand.
Forked render workers inherit it. Code that runs outside a build gets English.

`python -m digest.i18n update` extracts the strings of the default theme's templates and of digest's
code and merges them into every shipped catalog, keeping the translations made (see `main`).
"""

from __future__ import annotations

import gettext as _gettext
import hashlib
import io
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from decimal import Decimal
from functools import cached_property, lru_cache
from pathlib import Path

import babel
from babel import dates as babel_dates
from babel import numbers as babel_numbers

DOMAIN = "digest"
SOURCE_LANGUAGE = "en"


def parse_locale(code: str) -> babel.Locale | None:
    """`fr`, `fr-CA`, `fr_CA`, `en-GB` as a Babel locale; None when CLDR does not know it."""
    try:
        return babel.Locale.parse(code.strip().replace("-", "_"))
    except (ValueError, TypeError, babel.UnknownLocaleError):
        return None


def locale_dirs(site_root: Path | None, template_dirs: tuple[Path, ...]) -> tuple[Path, ...]:
    """Where catalogs are, first match wins: the site's `locale/`, then beside each template folder (a
    theme's `templates/` → the theme's `locale/`)."""
    folders = dict.fromkeys([*([site_root / "locale"] if site_root else []),
                             *(d.parent / "locale" for d in template_dirs)])
    return tuple(d for d in folders if d.is_dir())


def catalog_files(locale: babel.Locale, dirs: tuple[Path, ...]) -> tuple[Path, ...]:
    """The catalogs that translate for `locale`, most specific first: fr_CA in each folder, then fr."""
    names = [str(locale)]
    if locale.territory or locale.script or locale.variant:
        names.append(locale.language)
    return tuple(p for name in names for d in dirs
                 if (p := d / name / "LC_MESSAGES" / f"{DOMAIN}.po").is_file())


def catalogs_key(language: str, site_root: Path, template_dirs: tuple[Path, ...]) -> str:
    """The bytes of the catalogs a build reads: part of the build key, so an edited translation renders
    every page again."""
    locale = parse_locale(language)
    digest = hashlib.blake2b(digest_size=16)
    for path in catalog_files(locale, locale_dirs(site_root, template_dirs)) if locale else ():
        digest.update(f"{path}\0".encode() + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _translations(files: tuple[Path, ...]) -> _gettext.NullTranslations:
    """The catalogs chained, the first asked first; English (the msgids) when none has the string. Read
    from the .po files themselves (through an in-memory .mo), so no compiled catalog can be stale;
    fuzzy entries are left out, as gettext does."""
    from babel.messages import mofile, pofile  # here: a build that finds nothing changed reads no catalog

    chain: _gettext.NullTranslations | None = None
    for path in files:
        with path.open("rb") as f:
            catalog = pofile.read_po(f, domain=DOMAIN)
        buffer = io.BytesIO()
        mofile.write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        translations = _gettext.GNUTranslations(buffer)
        if chain is None:
            chain = translations
        else:
            chain.add_fallback(translations)
    return chain or _gettext.NullTranslations()


@dataclass(frozen=True, eq=False)
class Language:
    """A locale and its translations: everything that writes words or figures for readers asks this."""

    code: str  # as written in site.yaml: `fr-CA`
    locale: babel.Locale
    catalogs: tuple[Path, ...] = ()  # the .po files, most specific first
    # What Babel wrote for each value, kept: pages ask for the same few thousand dates and figures again and
    # again, and Babel takes 20-60 µs a call, a tenth of an events table's rows.
    _written: dict = field(default_factory=dict, repr=False)

    def _once(self, how: str, value, make, *args) -> str:
        # Aware datetimes in different zones compare equal; the zone is part of what is written.
        key = (how, type(value), value, getattr(value, "tzinfo", None), args)
        written = self._written.get(key)
        if written is None:
            written = self._written[key] = make(value)
        return written

    @cached_property
    def translations(self) -> _gettext.NullTranslations:
        """Read when a word is first asked for: a build that finds nothing changed asks none."""
        return _translations(self.catalogs)

    # Strings
    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    # Numbers
    @cached_property
    def _group_symbol(self) -> str | None:
        """The locale's group separator when Babel writes whole numbers in groups of three as Python's `,`
        format does (most locales; not India's 12,34,567), else None. Babel's 60 µs a number was a third
        of planning the social cards at 10,000 articles."""
        symbol = babel_numbers.get_group_symbol(self.locale)
        same = all(babel_numbers.format_decimal(n, locale=self.locale) == f"{n:,}".replace(",", symbol)
                   for n in (7, 1234, 12345, 1234567))
        return symbol if same else None

    def number(self, value: int | float) -> str:
        """1,200 in English, 1 200 in French; a float to six significant digits, as `:g` writes it."""
        return self._once("number", value, self._number)

    def _number(self, value: int | float) -> str:
        if type(value) is int and value >= 0 and self._group_symbol is not None:
            return f"{value:,}".replace(",", self._group_symbol)
        if isinstance(value, float):
            value = float(f"{value:.6g}")
        return babel_numbers.format_decimal(value, locale=self.locale, decimal_quantization=False)

    def percent(self, value: int | float) -> str:
        """A percentage given as such (12.5 → 12.5% in English, 12,5 % in French)."""
        return self._once("percent", value, lambda v: babel_numbers.format_percent(
            Decimal(str(v)) / 100, locale=self.locale, decimal_quantization=False))

    # Dates
    def date(self, value: date | datetime, style: str = "long") -> str:
        """October 8, 2025 (English), 8 octobre 2025 (French); `iso` for machines."""
        if style == "iso":
            return value.isoformat()
        # Babel writes a datetime's own calendar day: kept by the day, since articles' times all differ.
        day = value.date() if isinstance(value, datetime) else value
        return self._once("date", day, lambda v: babel_dates.format_date(v, style, locale=self.locale), style)

    def skeleton(self, value: date | datetime, skeleton: str) -> str:
        """A date in the locale's own order for a CLDR skeleton: `yMMMM` October 2025, `MMMd` Oct 8,
        `yMMMd` Oct 8, 2025, `MMMM` October."""
        return self._once("skeleton", value, lambda v: babel_dates.format_skeleton(skeleton, v, locale=self.locale),
                          skeleton)

    def month(self, year: int, month: int, short: bool = False) -> str:
        """October 2025 (octobre 2025); short: Oct 2025."""
        return self.skeleton(date(year, month, 1), "yMMM" if short else "yMMMM")

    def clock(self, moment: datetime, zone: tzinfo) -> str:
        """The time of day in the site's zone with the zone's abbreviation: 5:00 PM CDT, 17:00 CET. The
        locale's short time, with ordinary spaces (CLDR's narrow ones would read differently in feeds)."""
        local = moment.astimezone(zone)
        time = babel_dates.format_time(local, "short", locale=self.locale).replace("\u202f", " ")
        return f"{time} {local:%Z}"

    def day_span(self, first: date, last: date) -> str:
        """13–19 October 2025; 29 September – 5 October 2025; 29 December 2025 – 4 January 2026."""
        if first.year != last.year:
            return f"{first.day} {self.skeleton(first, 'yMMMM')} – {last.day} {self.skeleton(last, 'yMMMM')}"
        if first.month != last.month:
            return f"{first.day} {self._month_name(first)} – {last.day} {self.skeleton(last, 'yMMMM')}"
        return f"{first.day}–{last.day} {self.skeleton(last, 'yMMMM')}"

    def _month_name(self, day: date) -> str:
        return babel_dates.format_date(day, "MMMM", locale=self.locale)

    def month_name(self, day: date) -> str:
        """The month alone, as a title: October, octobre."""
        return babel_dates.format_date(day, "LLLL", locale=self.locale)


@lru_cache(maxsize=8)
def _load(code: str, files: tuple[Path, ...], stamps: tuple[tuple[int, int], ...]) -> Language:
    locale = parse_locale(code) or babel.Locale.parse(SOURCE_LANGUAGE)
    return Language(code, locale, files)


def language_for(code: str, site_root: Path | None = None, template_dirs: tuple[Path, ...] = ()) -> Language:
    """The language of a site: `code` from site.yaml (validated by the config), catalogs found in the site's
    `locale/` and beside `template_dirs`. The same object again while the catalogs are unchanged."""
    locale = parse_locale(code)
    files = catalog_files(locale, locale_dirs(site_root, template_dirs)) if locale else ()
    stamps = tuple((p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    return _load(code, files, stamps)


ENGLISH = Language(SOURCE_LANGUAGE, babel.Locale.parse(SOURCE_LANGUAGE))
_active: Language = ENGLISH


def activate(language: Language) -> None:
    """Make `language` the one interface words and figures are written in, for this process."""
    global _active
    _active = language


def active() -> Language:
    return _active


def _(message: str) -> str:
    """An interface string in the active language (extracted by `python -m digest.i18n update`)."""
    return _active.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _active.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a string for extraction where it is defined; it is translated where it is shown."""
    return message


def stories(n: int) -> str:
    """"3 stories", the number written as the language writes it."""
    return ngettext("%(n)s story", "%(n)s stories", n) % {"n": _active.number(n)}


def events(n: int) -> str:
    return ngettext("%(n)s event", "%(n)s events", n) % {"n": _active.number(n)}


def stories_and_events(stories_count: int, events_count: int) -> str:
    """"3 stories, 1 event": a week's or a listing's counts."""
    return f"{stories(stories_count)}, {events(events_count)}"


# What the theme's scripts write (search.js, tables.js), looked up by their English text in the page's
# `interface-strings` JSON; the headcount words they share with figures.py are translated there already.
SCRIPT_STRINGS = (
    N_("Searching…"), N_("Search is not available on this copy of the site: its index was not built."),
    N_("%(n)s story found for “%(query)s”"), N_("%(n)s stories found for “%(query)s”"),
    N_("No story mentions “%(query)s”."),
    N_("Sort by"), N_("A to Z"), N_("Z to A"), N_("newest first"), N_("oldest first"), N_("most first"),
    N_("fewest first"), N_("%(shown)s of %(total)s events"),
    "about %(n)s", "at least %(n)s", "up to %(n)s", "not reported", "No headcount reported", "%(n)s person",
    "%(n)s people", "in all events", ", plus %(notes)s",
    # a plural (the scripts use it for two events or more): looked up as such, keyed by its plural
    ("in %(counted)s of %(events)s event with a reported headcount",
     "in %(counted)s of %(events)s events with a reported headcount"),
)


def script_strings() -> dict[str, str]:
    """The scripts' strings the active language words differently from English: nothing for an English site,
    whose pages then carry no strings for their scripts at all."""
    words = {}
    for text in SCRIPT_STRINGS:
        if isinstance(text, tuple):
            key, translated = text[1], _active.ngettext(*text, 2)
        else:
            key, translated = text, _active.gettext(text)
        if translated != key:
            words[key] = translated
    return words


# Catalogs: extracting the strings and keeping each language's catalog up to date

_PACKAGE = Path(__file__).resolve().parent
# The templates are read as theme.py's environment reads them, so that msgids match what is looked up.
_JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true",
                  "newstyle_gettext": "true"}


def default_theme() -> Path:
    """The shipped default theme: beside the package in a checkout, inside it when installed."""
    for folder in (_PACKAGE.parent / "themes" / "default", _PACKAGE / "themes" / "default"):
        if (folder / "templates").is_dir():
            return folder
    raise FileNotFoundError("the default theme is not installed")


def extract(theme: Path, code: Path | None = _PACKAGE):
    """Every interface string of `theme`'s templates and, for the default theme, of digest's own code (week
    titles, chart captions, headcounts): `_()`, `ngettext()`, `N_()` and `{% trans %}`."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(domain=DOMAIN, project="digest", locale=SOURCE_LANGUAGE, fuzzy=False)
    sources = [(theme, [("templates/**.html", "jinja2.ext:babel_extract"),
                        ("templates/**.txt", "jinja2.ext:babel_extract"),
                        ("templates/**.xsl", "jinja2.ext:babel_extract")], theme.parent.parent)]
    if code is not None:
        sources.append((code, [("**.py", "python")], code.parent))
    for folder, methods, relative_to in sources:
        options = {pattern: _JINJA_OPTIONS for pattern, method in methods if method != "python"}
        for filename, line, message, comments, context in extract_from_dir(folder, methods, options):
            where = (folder / filename).relative_to(relative_to).as_posix()
            catalog.add(message, None, [(where, line)], auto_comments=comments, context=context)
    return catalog


def _catalog_path(theme: Path, language: str) -> Path:
    return theme / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _untranslated(catalog) -> list[str]:
    def translated(string) -> bool:
        return all(string) if isinstance(string, (list, tuple)) else bool(string)
    return [m.id if isinstance(m.id, str) else m.id[0] for m in catalog
            if m.id and (m.fuzzy or not translated(m.string))]


def update(theme: Path, code: Path | None, languages: list[str] | None = None) -> dict[str, list[str]]:
    """Merge the strings extracted now into each catalog of `theme` (or the ones named, creating those
    missing): new strings come in untranslated, translations made are kept, strings gone are dropped.
    Returns the untranslated msgids of each language but English (whose msgids are the text)."""
    from babel.messages import pofile

    template = extract(theme, code)
    found = sorted(p.name for p in (theme / "locale").iterdir() if p.is_dir()) if (theme / "locale").is_dir() else []
    missing: dict[str, list[str]] = {}
    for language in languages or found:
        path = _catalog_path(theme, language)
        if path.is_file():
            with path.open("rb") as f:
                catalog = pofile.read_po(f, locale=language, domain=DOMAIN)
        else:
            from babel.messages.catalog import Catalog
            catalog = Catalog(domain=DOMAIN, project="digest", locale=language, fuzzy=False)
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        catalog.obsolete.clear()
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        pofile.write_po(buffer, catalog, width=116, omit_header=False, sort_output=False, include_previous=False)
        if not path.is_file() or path.read_bytes() != buffer.getvalue():
            path.write_bytes(buffer.getvalue())
        if language != SOURCE_LANGUAGE:
            missing[language] = _untranslated(catalog)
    return missing


def main(argv: list[str] | None = None) -> int:
    """`python -m digest.i18n update [LANG ...] [--theme DIR]`: extract and merge, then list what is left to
    translate; `check`: the same without writing, exit status 1 when a string is untranslated."""
    import argparse
    import tempfile
    import shutil

    parser = argparse.ArgumentParser(prog="python -m digest.i18n", description=main.__doc__)
    parser.add_argument("command", choices=("update", "check"))
    parser.add_argument("languages", nargs="*", help="catalogs to update or create (default: every one)")
    parser.add_argument("--theme", type=Path, help="a theme folder (default: digest's default theme, "
                        "with digest's own strings); a site's theme gets only its templates' strings")
    args = parser.parse_args(argv)
    theme = (args.theme or default_theme()).resolve()
    code = None if args.theme and theme != default_theme().resolve() else _PACKAGE
    if args.command == "check":
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch) / theme.name
            shutil.copytree(theme / "templates", copy / "templates")
            if (theme / "locale").is_dir():
                shutil.copytree(theme / "locale", copy / "locale")
            missing = update(copy, code, args.languages or None)
    else:
        missing = update(theme, code, args.languages or None)
    for language, ids in missing.items():
        print(f"{language}: {len(ids)} untranslated" + "".join(f"\n  {i!r}" for i in ids))
    if not missing:
        print("no catalog to translate (English reads the strings as written)")
    return 1 if args.command == "check" and any(missing.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())

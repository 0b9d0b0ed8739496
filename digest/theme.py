"""The Jinja2 environment: site templates first, then the theme; autoescaped, strict, with our filters."""

from __future__ import annotations

from pathlib import Path

import jinja2
import markupsafe

from . import archives, cards, charts, figures, i18n, images, markdown_ext, opendata, render, seo, urls
from .config import SiteConfig
from .incremental import keys, sealed
from .themedirs import ThemeDirs, site_language

_envs: dict[tuple, jinja2.Environment] = {}


def make_env(config: SiteConfig, theme: ThemeDirs, *, compiled_cache: bool = True) -> jinja2.Environment:
    """The environment for this config and theme; the same one again for the next build with the same ones
    and the same template files (a preview builds on every save), so templates are compiled once. Jinja
    checks a template's file date before using its compiled form, so an edited template is compiled
    again; a template added or removed (a site override of a theme's) makes a new environment.
    `compiled_cache`: keep compiled templates in .digest-cache/ for the next process (see `_bytecode_cache`)."""
    files = tuple(tuple(sorted(p.relative_to(d).as_posix() for p in d.rglob("*") if p.is_file()))
                  for d in theme.templates)
    language = site_language(config, theme)
    key = (repr(config), theme, files, language, compiled_cache)
    env = _envs.get(key)
    if env is None:
        _envs.clear()
        env = _envs[key] = _new_env(config, theme, language, _bytecode_cache(config) if compiled_cache else None)
    return env


def _remembered_gettext(translations):
    """`_()` and `{% trans %}` as Jinja's newstyle gettext makes them (jinja2.ext._make_new_gettext: Markup
    when autoescaping, always %-formatted), with each translation looked up once per environment: a page
    asks for some 70 interface strings, and Jinja's context call and the catalog's fallback chain per call
    were a fifth of the page templates' time in a profile."""
    found: dict[tuple[str, bool], str] = {}

    @jinja2.pass_eval_context
    def gettext(eval_ctx, string: str, /, **variables):
        key = (string, eval_ctx.autoescape)
        rv = found.get(key)
        if rv is None:
            rv = translations.gettext(string)
            rv = found[key] = markupsafe.Markup(rv) if eval_ctx.autoescape else rv
        return rv % variables

    return gettext


class _SealedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in .digest-cache/ between processes: compiling the theme's templates was
    about a second of every CLI build, more than rendering the pages one edit changes. Jinja checks each
    template's source against what it compiled before using it. Compiled code runs when it is loaded, so
    the files are sealed like every other cache file (see incremental/sealed.py): a planted one is
    ignored."""

    def __init__(self, folder: Path):
        self.folder = folder

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            bucket.bytecode_from_string(sealed.load(self.folder / f"{bucket.key}.cache"))
        except (sealed.Unsealed, TypeError, ValueError, EOFError):
            pass  # compiled again, and sealed when saved

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            sealed.save(self.folder / f"{bucket.key}.cache", bucket.bytecode_to_string())
        except OSError:
            pass  # a read-only site folder: templates are compiled in each process


def _bytecode_cache(config: SiteConfig) -> jinja2.BytecodeCache | None:
    """The compiled templates' folder, named after digest's code (which sets the environment's options);
    None where it cannot be made."""
    folder = config.root / ".digest-cache" / f"templates-{keys.code_key()[:16]}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _SealedBytecodeCache(folder)


def _new_env(config: SiteConfig, theme: ThemeDirs, language: i18n.Language,
             bytecode_cache: jinja2.BytecodeCache | None) -> jinja2.Environment:
    env = jinja2.Environment(
        bytecode_cache=bytecode_cache,
        loader=jinja2.FileSystemLoader([str(d) for d in theme.templates]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Interface strings are written _("…") in templates, translated from the catalogs of the site's
        # language (digest/i18n.py); English reads them as written.
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(language.translations, newstyle=True)
    env.globals["gettext"] = env.globals["_"] = _remembered_gettext(language.translations)
    env.filters["slugify"] = urls.slugify
    env.filters["date"] = language.date
    env.filters["kind_label"] = charts.kind_label
    env.globals["source_kind_label"] = charts.source_kind_label
    env.filters["role_label"] = charts.role_label
    env.globals["stories_and_events"] = i18n.stories_and_events
    env.globals["script_strings"] = i18n.script_strings
    env.filters["number"] = language.number
    env.filters["percent"] = language.percent
    env.filters["month_name"] = language.month_name
    env.filters["short_date"] = lambda value, year=True: language.skeleton(value, "yMMMd" if year else "MMMd")
    env.globals["url"] = lambda path="": urls.site_url(config.base_path, path)
    env.globals["absolute_url"] = lambda path="": urls.absolute_url(config.base_url, path)
    env.globals["feed_files"] = urls.feed_files
    env.globals["author_path"] = urls.author_path
    env.globals["month_path"] = archives.month_path
    # The time of day in the site's zone, named as readers know it ("5:00 PM CDT"), not as an offset.
    env.filters["clock"] = lambda value: language.clock(value, config.timezone)
    env.globals["takeaways_title"] = language.gettext(markdown_ext.DEFAULT_TAKEAWAYS_TITLE)
    env.globals["company_chart"] = charts.company_chart
    env.globals["monthly_chart"] = charts.monthly_chart
    env.globals["week_chart"] = charts.week_chart
    env.globals["people_total"] = figures.total
    env.globals["open_data_columns"] = {name: language.gettext(meaning)
                                        for name, meaning in opendata.EVENT_COLUMN_MEANINGS.items()}
    env.globals["news_article_json_ld"] = seo.news_article_json_ld(config)
    env.globals["card_url"] = lambda path: cards.card_url(config.base_url, path)
    env.globals["card_size"] = (cards.WIDTH, cards.HEIGHT)
    env.globals["picture_html"] = lambda image, alt, sizes, lead=False: markupsafe.Markup(
        images.picture_html(image, alt, sizes, config.base_path, lead))
    env.globals["last_modified"] = lambda article: seo.last_modified(article, config.timezone)
    env.globals["reading_minutes"] = lambda article: max(1, round(article.words / 230))
    env.globals["shown_once"] = render.shown_once
    for plugin in config.plugins:  # last, so a plugin may replace a filter or global it means to
        env.filters.update(plugin.filters)
        env.globals.update(plugin.globals)
    return env

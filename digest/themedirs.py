"""Where a site's theme is, and its language: the template and static folders in the order they are searched
(the site's own first, then the theme's, from the site's `themes/` or the ones digest ships), and the
site's catalogs made the active language. Apart from the Jinja2 environment (`theme.py`): a build that
finds nothing changed needs these and not Jinja.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import i18n
from .config import SiteConfig
from .errors import SourceError, quote

# Themes shipped with digest: inside the installed package, or beside it in a source checkout.
_PACKAGE = Path(__file__).resolve().parent
SHIPPED_THEME_DIRS = (_PACKAGE / "themes", _PACKAGE.parent / "themes")


@dataclass(frozen=True, slots=True)
class ThemeDirs:
    templates: tuple[Path, ...]  # searched in order: the first match wins
    static: tuple[Path, ...]  # copied in order: a later file replaces an earlier one


def find_theme(config: SiteConfig) -> tuple[ThemeDirs | None, list[SourceError]]:
    candidates = [config.themes_dir / config.theme] + [d / config.theme for d in SHIPPED_THEME_DIRS]
    theme = next((c for c in candidates if (c / "templates").is_dir()), None)
    if theme is None:
        shipped = sorted({p.name for d in (config.themes_dir, *SHIPPED_THEME_DIRS) if d.is_dir()
                          for p in d.iterdir() if (p / "templates").is_dir()})
        return None, [SourceError(config.display(config.config_file), None, None,
                                  f"theme: {quote(config.theme)} not found in themes/ "
                                  f"(available: {', '.join(shipped) or 'none'})")]
    templates = tuple(d for d in (config.templates_dir, theme / "templates") if d.is_dir())
    static = tuple(d for d in (theme / "static", config.static_dir) if d.is_dir())
    return ThemeDirs(templates, static), []


def site_language(config: SiteConfig, theme: ThemeDirs | None) -> i18n.Language:
    """The site's language with its catalogs, made the active one (see digest/i18n.py)."""
    language = i18n.language_for(config.language, config.root, theme.templates if theme else ())
    i18n.activate(language)
    return language

"""What the config and the cache keys know of Markdown without loading Python-Markdown: the extensions
digest always uses, the site's `markdown:` setting, and the default title of the takeaways box. The
converter itself is `markdown_ext.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

from . import i18n

if TYPE_CHECKING:
    from markdown.extensions import Extension

DEFAULT_TAKEAWAYS_TITLE = i18n.N_("Key takeaways")

# Everything that changes the HTML of a body; the incremental cache keys on it.
EXTENSIONS = ("tables", "footnotes", "fenced_code", "attr_list", "toc")


@dataclass(frozen=True, slots=True)
class MarkdownSettings:
    """The site's `markdown:` setting: Python-Markdown extensions added to digest's own, and settings for
    any extension (digest's own included, e.g. `toc: {permalink: true}`)."""

    extensions: tuple[str, ...] = ()  # importable names, e.g. pymdownx.tilde
    configs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # extension → its settings
    # Extension instances from plugins: not in repr (an instance's repr changes every run), their plugins'
    # code keys are instead.
    objects: tuple[Extension, ...] = field(default=(), repr=False, compare=False)
    plugins_key: str = ""


NO_SETTINGS = MarkdownSettings()

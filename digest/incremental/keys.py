"""What every cached thing depends on besides its own inputs: digest's code, the libraries that shape
HTML, and the settings. A change to any of them makes the caches start afresh.

Keys are made from the bytes of digest's code (not file dates, which a reinstall changes) and from paths
relative to the site folder (not absolute ones), so that a cache restored in CI on another checkout is
still used.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import sys
from pathlib import Path

from .. import __version__, i18n
from ..config import SiteConfig
from ..markdown_settings import DEFAULT_TAKEAWAYS_TITLE, EXTENSIONS

CACHE_FORMAT = 3
_PACKAGE = Path(__file__).resolve().parent.parent


@functools.lru_cache(maxsize=1)
def code_key() -> str:
    """A hash of digest's own Python files: any edit to the code is a new key, a reinstall of the same
    code is not."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
        digest.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def _markdown_version() -> str:
    """Python-Markdown's version, from its installed metadata: importing it to ask took longer than a build
    that finds nothing changed spends on everything else it imports."""
    return importlib.metadata.version("markdown")


def _relative(path: Path, root: Path) -> str:
    return os.path.relpath(path.resolve(), root.resolve())


def environment_key(config: SiteConfig, *, translated: bool = True) -> str:
    """What shapes a parsed record besides its source: the code, Markdown, the timezone and base path,
    `unsafe_html`, `limits` and `markdown`, where the content folder is and where digest runs from (messages name
    files relative to it), and the one word parsing translates. `translated=False` leaves that word out, for
    a key beside the catalogs' own file stats: asking for it reads the catalogs."""
    parts = (CACHE_FORMAT, __version__, code_key(), _markdown_version(), EXTENSIONS, sys.version_info[:2],
             config.timezone.key, config.base_path, config.unsafe_html, config.limits,
             repr(config.markdown),  # the site's Markdown extensions and their settings shape every body
             config.language, i18n.active().gettext(DEFAULT_TAKEAWAYS_TITLE) if translated else None,
             _relative(config.content_dir, config.root), _relative(Path.cwd(), config.root))
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def build_key(config: SiteConfig, template_dirs: tuple[Path, ...]) -> str:
    """What every rendered output depends on besides the site model: the environment, the whole config,
    the bytes of every template (a base template edit changes every page) and of the language's catalogs."""
    templates = hashlib.blake2b(digest_size=16)
    for folder in template_dirs:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            templates.update(f"{path.relative_to(folder).as_posix()}\0".encode())
            templates.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
        templates.update(b"\0\0")  # the order of the folders decides which template wins
    return hashlib.sha256(repr((environment_key(config), repr(config), templates.hexdigest(),
                                i18n.catalogs_key(config.language, config.root, template_dirs))).encode()).hexdigest()

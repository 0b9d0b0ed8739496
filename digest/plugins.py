"""Plugins: Python modules that add Jinja filters and globals, Markdown extensions and output files.

A plugin is found two ways: an installed distribution's entry point in the group `digest.plugins`
(active for every site built in that environment), or a module named under `plugins:` in site.yaml
(importable, or a file in the site's own `plugins/` folder). Its hooks are module-level functions, all
optional (docs/plugins.md):

    jinja_filters(config) -> {name: function}
    jinja_globals(config) -> {name: value}
    markdown_extensions(config) -> [extension name or markdown.Extension instance]
    output_units(site, config) -> [unit], usually made with `output_file()` or `template_page()` below

The first three are called once when site.yaml is read, so a broken plugin stops the build before
anything is parsed; `output_units` is called when the build plans its outputs. Every failure is a
located message about site.yaml, never a traceback. A plugin's code (its module, or its whole package)
is hashed into `Plugin.key`, which is part of the config and so of every incremental key: editing a
plugin renders everything again.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.machinery
import importlib.metadata
import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from .errors import SourceError
from .files import RenderedFile
from .incremental.reads import Read

if TYPE_CHECKING:
    from .units import RenderContext, Rendered

ENTRY_POINT_GROUP = "digest.plugins"
HOOKS = ("jinja_filters", "jinja_globals", "markdown_extensions", "output_units")
LOCAL_FOLDER = "plugins"  # beside site.yaml: put first on sys.path while plugins are imported


@dataclass(frozen=True, slots=True)
class Plugin:
    """One loaded plugin. Only its name, key and where it was named take part in equality and repr (and
    so in the config's cache keys); what its hooks returned is kept beside them."""

    name: str  # the module, or the entry point's name
    key: str  # a hash of its code files
    display: str = field(compare=False)  # site.yaml as messages name it
    line: int | None = field(compare=False)  # of its entry under `plugins:`; None for an entry point
    col: int | None = field(compare=False)
    label: str = field(compare=False)  # "plugins[0]" or "plugins (entry point 'x' of dist 1.0)"
    module: Any = field(repr=False, compare=False)
    filters: Mapping[str, Callable] = field(repr=False, compare=False, default_factory=dict)
    globals: Mapping[str, Any] = field(repr=False, compare=False, default_factory=dict)
    markdown: tuple[Any, ...] = field(repr=False, compare=False, default=())  # names and Extension instances

    def problem(self, message: str) -> SourceError:
        return SourceError(self.display, self.line, self.col, f"{self.label}: {self.name!r} {message}")

    def call(self, hook: str, *args: Any) -> tuple[Any, SourceError | None]:
        """The hook's answer (None when the plugin does not define it), or the located problem it raised."""
        function = getattr(self.module, hook, None)
        if function is None:
            return None, None
        try:
            return function(*args), None
        except Exception as exc:  # noqa: BLE001 - a plugin may fail in any way; the writer reads where
            return None, self.problem(f"failed in {hook}(): {type(exc).__name__}: {exc}")


# --- loading ---------------------------------------------------------------------------------------------

_imported: dict[str, tuple[str | None, str]] = {}  # module name → (file, key) when this process imported it
_local_dirs: list[str] = []  # site plugins/ folders this process put on sys.path


def _code_files(origin: str | None) -> list[Path]:
    """A module's file, or every Python file of its package."""
    if not origin or not origin.endswith(".py"):
        return []
    path = Path(origin)
    return sorted(path.parent.rglob("*.py")) if path.name == "__init__.py" else [path]


def code_key(files: Iterable[Path]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for path in files:
        digest.update(path.as_posix().encode() + b"\0")
        try:
            digest.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
        except OSError:
            digest.update(b"?")
    return digest.hexdigest()


def _use_local_folder(root: Path) -> None:
    """The site's plugins/ folder first on sys.path, and no other site's (a preview or a test run may
    build several sites in one process)."""
    for folder in _local_dirs:
        while folder in sys.path:
            sys.path.remove(folder)
    _local_dirs.clear()
    local = root / LOCAL_FOLDER
    if local.is_dir():
        sys.path.insert(0, str(local))
        _local_dirs.append(str(local))


def _top_origin(name: str) -> str | None:
    spec = importlib.machinery.PathFinder.find_spec(name.partition(".")[0], sys.path)
    return spec.origin if spec is not None else None


def _forget(top: str) -> None:
    for loaded in [m for m in sys.modules if m == top or m.startswith(top + ".")]:
        del sys.modules[loaded]


def import_fresh(name: str) -> tuple[Any, str]:
    """The module `name` and the key of its code. A plugin this function imported before is imported again
    when its files changed or it would now come from elsewhere (another site's plugins/ folder), so a
    preview sees an edited plugin; a module something else imported is left alone."""
    top = name.partition(".")[0]
    origin = _top_origin(name)
    key = code_key(_code_files(origin))
    if name in sys.modules and name in _imported and _imported[name] != (origin, key):
        _forget(top)
        for path in _code_files(origin):  # a same-size edit in the same second would pass the .pyc check
            Path(importlib.util.cache_from_source(str(path))).unlink(missing_ok=True)
        importlib.invalidate_caches()
    module = importlib.import_module(name)
    if origin is None:  # not found on sys.path by file (a frozen or zipped module): hash what was loaded
        key = code_key(_code_files(getattr(sys.modules.get(top), "__file__", None)))
    _imported[name] = (origin, key)
    return module, key


def _entry_point_module(entry: importlib.metadata.EntryPoint) -> tuple[Any, str]:
    loaded = entry.load()
    top = sys.modules.get(entry.module.partition(".")[0])
    return loaded, code_key(_code_files(getattr(top, "__file__", None)))


def _mapping_of(plugin: Plugin, hook: str, value: Any, callables: bool) -> tuple[dict, list[SourceError]]:
    if value is None:
        return {}, []
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        return {}, [plugin.problem(f"{hook}() must return a mapping of names, not {type(value).__name__}")]
    bad = [k for k, v in value.items() if callables and not callable(v)]
    if bad:
        return {}, [plugin.problem(f"{hook}() gives {bad[0]!r} a value that is not a function")]
    return dict(value), []


def _finish(plugin: Plugin, config, extension_problem: Callable[[str], str | None]) -> tuple[Plugin, list[SourceError]]:
    """Call the hooks that shape the environment, and check what they give."""
    from markdown.extensions import Extension  # here: loading a config with no plugin does without Markdown

    problems: list[SourceError] = []
    answers = {}
    for hook, callables in (("jinja_filters", True), ("jinja_globals", False)):
        value, problem = plugin.call(hook, config)
        if problem:
            problems.append(problem)
            continue
        answers[hook], found = _mapping_of(plugin, hook, value, callables)
        problems += found
    value, problem = plugin.call("markdown_extensions", config)
    extensions = []
    if problem:
        problems.append(problem)
    for item in value or ():
        if isinstance(item, Extension):
            extensions.append(item)
        elif isinstance(item, str) and not (why := extension_problem(item)):
            extensions.append(item)
        else:
            problems.append(plugin.problem("markdown_extensions(): " + (
                why if isinstance(item, str) else f"{item!r} is neither an extension name nor a markdown.Extension")))
    return Plugin(plugin.name, plugin.key, plugin.display, plugin.line, plugin.col, plugin.label, plugin.module,
                  MappingProxyType(answers.get("jinja_filters", {})), MappingProxyType(answers.get("jinja_globals", {})),
                  tuple(extensions)), problems


def load_plugins(check, config, extension_problem: Callable[[str], str | None]) -> tuple[Plugin, ...]:
    """Every plugin for this site: installed entry points first, then `plugins:` in order. Problems go to
    `check` (a validate.Checker over site.yaml), located on the entry that names the plugin."""
    found: list[Plugin] = []
    names: set[str] = set()
    for entry in sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        dist = f"{entry.dist.name} {entry.dist.version}" if entry.dist else "an installed distribution"
        label = f"plugins (entry point {entry.name!r} of {dist})"
        try:
            module, key = _entry_point_module(entry)
        except Exception as exc:  # noqa: BLE001
            check.problems.append(SourceError(check.display, None, None,
                                              f"{label}: {entry.value!r} cannot be imported: {type(exc).__name__}: {exc}"))
            continue
        found.append(Plugin(entry.name, key, check.display, None, None, label, module))
        names.add(entry.module)
    wanted = check.strings(("plugins",))
    if wanted:
        _use_local_folder(config.root)
    for i, name in enumerate(wanted):
        at = ("plugins", i) if isinstance(check.get(("plugins",)), list) else ("plugins",)
        line, col = check.doc.where(at)
        label = f"plugins[{i}]" if len(at) == 2 else "plugins"
        if name in names:
            continue  # installed and named too: once is enough
        try:
            module, key = import_fresh(name)
        except Exception as exc:  # noqa: BLE001 - ImportError, or anything the module raised on import
            hint = f" (looked in {LOCAL_FOLDER}/ beside site.yaml and the installed packages)" \
                if isinstance(exc, ModuleNotFoundError) else ""
            check.problems.append(SourceError(check.display, line, col,
                                              f"{label}: {name!r} cannot be imported: {type(exc).__name__}: {exc}{hint}"))
            continue
        if not any(hasattr(module, hook) for hook in HOOKS):
            check.problems.append(SourceError(check.display, line, col, f"{label}: {name!r} is not a digest plugin "
                                              f"(it defines none of {', '.join(HOOKS)})"))
            continue
        found.append(Plugin(name, key, check.display, line, col, label, module))
        names.add(name)
    out = []
    for plugin in found:
        plugin, problems = _finish(plugin, config, extension_problem)
        check.problems.extend(problems)
        out.append(plugin)
    return tuple(out)


# --- output files --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PluginFile:
    """A file a plugin makes with a function of the site and config: `make(site, config)` returns text
    (written as UTF-8) or bytes. The site it gets records what is read, as every unit's does."""

    path: str  # in the output folder, e.g. humans.txt or data/people.json
    make: Callable[[Any, Any], str | bytes]
    origin: str = ""  # filled in with the plugin's name when planned

    @property
    def id(self) -> str:
        return f"plugin:{self.path}"

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.path,)

    @property
    def context(self) -> Mapping[str, Any]:
        from .units import NO_CONTEXT  # here, as in template_page(): units imports Jinja, which loading a config need not

        return NO_CONTEXT

    def identity(self) -> Any:
        return self.paths  # what `make` does is in the plugin's code key, which every unit's key includes

    def render(self, ctx: RenderContext) -> Rendered:
        from .units import Rendered

        reads: set[Read] = set()
        try:
            data = self.make(ctx.recording_site(reads), ctx.config)
            if isinstance(data, str):
                data = data.encode("utf-8")
            if not isinstance(data, bytes):
                raise TypeError(f"it returned {type(data).__name__}, not text or bytes")
        except Exception as exc:  # noqa: BLE001
            return Rendered((), frozenset(), (SourceError(ctx.config.display(ctx.config.config_file), None, None,
                                                          f"plugins: {self.origin} failed: {type(exc).__name__}: {exc}"),))
        return Rendered((RenderedFile(self.path, data),), frozenset(reads))


def output_file(path: str, make: Callable[[Any, Any], str | bytes]) -> PluginFile:
    """An output file made by `make(site, config)`; for a plugin's `output_units()`."""
    return PluginFile(path, make)


def template_page(page_path: str, template: str, **context: Any):
    """A page made from one of the site's templates (templates/ or the theme's), like digest's own pages:
    `page_path` is a site path (`people/` is written to people/index.html); the template gets `site`,
    `config`, `page_path` and `context`."""
    from .render import PageUnit  # here: render imports units, which this module's users need first

    return PageUnit(page_path, template, MappingProxyType({"page_path": page_path, **context}), "")


def _bad_path(path: Any) -> str | None:
    if not isinstance(path, str) or not path:
        return f"{path!r} is not a file path"
    if path.startswith("/") or "\\" in path or "://" in path or any(p in ("", ".", "..") for p in path.split("/")[:-1]) \
            or path.split("/")[-1] in (".", ".."):
        return f"{path!r} must be a path inside the output folder, e.g. 'humans.txt' or 'data/x.json'"
    return None


def plugin_units(site, config, taken: Mapping[str, str]) -> tuple[list, list[SourceError]]:
    """Every plugin's output units, with located problems for a hook that fails, a unit that is not one,
    or a path that another output (`taken`: path → what writes it) or an earlier plugin unit writes."""
    from .urls import folders_above

    units, problems = [], []
    owners = dict(taken)
    for plugin in config.plugins:
        value, problem = plugin.call("output_units", site, config)
        if problem:
            problems.append(problem)
            continue
        for unit in value or ():
            if not all(hasattr(unit, member) for member in ("id", "paths", "render", "identity", "context")):
                problems.append(plugin.problem(f"output_units() gave {unit!r}, which is not an output unit "
                                               "(make one with digest.plugins.output_file)"))
                continue
            origin = f"the plugin {plugin.name!r}"
            unit = _with_origin(unit, origin)
            clashes = [p for p in unit.paths if _bad_path(p) or p in owners]
            for path in clashes:
                problems.append(plugin.problem(f"output_units(): {_bad_path(path)}" if _bad_path(path) else
                                               f"output_units() writes {path}, which {owners[path]} writes too"))
            in_the_way = [(p, folder) for p in unit.paths if not _bad_path(p)
                          for folder in folders_above(p) if folder in owners]
            for path, folder in in_the_way:
                problems.append(plugin.problem(f"output_units() writes {path}, inside {folder}, which "
                                               f"{owners[folder]} writes as a file"))
            if not clashes and not in_the_way:
                units.append(unit)
                owners.update((p, origin) for p in unit.paths)
    return units, problems


def _with_origin(unit, origin: str):
    import dataclasses

    if dataclasses.is_dataclass(unit) and "origin" in {f.name for f in dataclasses.fields(unit)} \
            and not unit.origin:
        return dataclasses.replace(unit, origin=origin)
    return unit

"""Reading YAML with its line numbers, and splitting `---` front matter from a Markdown body.

Every value keeps the line and column it was written at, so that a later
validation error can point the writer at the exact spot. Timestamps are left
as strings on purpose: the validators parse dates themselves and can then say
`'2025-13-02' is not a date` instead of crashing inside the YAML library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import SourceError

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Position = tuple[int, int]  # 1-based line and column in the file
KeyPath = tuple[str | int, ...]


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader (C where available) without implicit timestamps, and with numbers as a writer
    means them: YAML 1.1 read `affected: 0120` as octal (80), `1:30` as base 60 (90), `0x10` as 16."""


_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:timestamp", _INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# Decimal integers only (leading zeros and '_' allowed); anything else stays text, which the field's
# own check then reports ("'1:30' is not a number").
_Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?[0-9][0-9_]*$"), list("-+0123456789"))
_Loader.add_implicit_resolver(_FLOAT, re.compile(
    r"^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"  # PyYAML's, less
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"), list("-+0123456789."))  # its base-60 floats


def _decimal(loader, node) -> int:
    text = loader.construct_scalar(node).replace("_", "")
    try:
        return int(text, 10)
    except ValueError:  # an explicit `!!int 0x10`
        raise yaml.constructor.ConstructorError(None, None, f"{text!r} is not a decimal number",
                                                node.start_mark) from None


_Loader.add_constructor(_INT, _decimal)


@dataclass(frozen=True, slots=True)
class YamlDoc:
    """Plain data from YAML, plus where each value and each mapping key stands."""

    data: Any
    values: dict[KeyPath, Position]
    keys: dict[KeyPath, Position]
    first_line: int  # where the YAML text starts in the file
    # Unquoted text values with a comment after them on their line (`title: Cuts at Acme #layoffs` is the
    # title "Cuts at Acme"): the comment's text by the value's path.
    commented: dict[KeyPath, str] = field(default_factory=dict)

    def where(self, path: KeyPath, key: bool = False) -> Position:
        """The position of a value (or of its key), else of its nearest located parent."""
        table = self.keys if key else self.values
        while path:
            if path in table:
                return table[path]
            if path in self.keys:
                return self.keys[path]
            path = path[:-1]
        return self.values.get((), (self.first_line, 1))


@dataclass(frozen=True, slots=True)
class SourceDoc:
    """One Markdown source: its front matter and its body, with line numbers kept."""

    path: Path  # on disk
    display: str  # as printed in messages
    meta: YamlDoc
    body: str
    body_line: int  # the file line the body starts on


# Invisible characters that YAML refuses and XML (so every feed) cannot carry; tab and newline are fine.
CONTROL_CHARACTER = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class YamlProblem(Exception):
    def __init__(self, problem: SourceError):
        super().__init__(str(problem))
        self.problem = problem


# The YAML mistakes writers make most, and what to do about each.
_YAML_HINTS = (
    ("mapping values are not allowed", "a value holds ': '; put the whole value in quotes, e.g. title: \"Acme: cuts\""),
    ("found character '\\t'", "indent with spaces, not tabs"),
    ("tab character", "indent with spaces, not tabs"),
    ("expected <block end>, but found '-'", "line the '- ' items of a list up under each other"),
    ("did not find expected '-' indicator", "line the '- ' items of a list up under each other"),
    ("did not find expected ',' or ']'", "close the [list] with ']' and separate items with ','"),
    ("did not find expected ',' or '}'", "close the {mapping} with '}'"),
    ("found unexpected end of stream", "a quote is not closed"),
    ("found unknown escape character", "in double quotes a backslash starts an escape; use single quotes"),
    ("found undefined alias", "'*' starts a YAML alias; put the value in quotes"),
)


def _yaml_hint(reason: str, line: str = "") -> str:
    """What to do, from the offending line when it shows what broke (a tab; a plain value whose first
    character is special in YAML; quotes that end before the value does), else from the parser's reason."""
    if line.lstrip(" ")[:1] == "\t":
        return " (indent with spaces, not tabs)"
    value = _VALUE.match(line).group(1).rstrip() if line else ""
    first = value[:1]
    if first in ("*", "`", "@", "%", "[", "{", "&", "!", "|", ">") and not (first in "[{" and value[-1:] in "]}"):
        return (f" (a value that starts with '{first}' is read as YAML, not text: put the whole value in quotes, "
                f"e.g. {_in_quotes(value)})")
    if first in ("\"", "'") and len(value) > 1:
        inner = value[1:-1] if value.endswith(first) else value[1:]
        if first in inner.replace("''" if first == "'" else '\\"', "") or not value.endswith(first):
            meant = inner if value.endswith(first) else value  # 'It's fine' meant It's fine; "No" said X, all of it
            return (" (quotes around a value must hold all of it; for quotes inside, put the whole value in the "
                    f"other kind of quotes, e.g. {_in_quotes(meant, avoid=first)})")
    return next((f" ({hint})" for key, hint in _YAML_HINTS if key in reason), "")


# A line's value: after its indentation and any '- ' list markers or 'key: ' (keys are plain words).
_VALUE = re.compile(r"\s*(?:-\s+)*(?:[\w.-]+:\s+)?(.*)")


def _in_quotes(value: str, avoid: str = '"') -> str:
    """`value` as YAML text in quotes: single quotes (a quote inside doubled) unless they are to be avoided."""
    if avoid == "'":
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return "'" + value.replace("'", "''") + "'"


def _refuse_aliases(text: str, display: str, first_line: int) -> None:
    """Anchors and aliases let nine lines stand for billions of values (a "YAML bomb"); no field of
    ours needs them, so they are refused where they are written. Text without '&' or '*' cannot hold
    one, which spares the extra pass over nearly every document."""
    if "&" not in text and "*" not in text:
        return
    try:
        for event in yaml.parse(text, Loader=_Loader):
            anchor = getattr(event, "anchor", None)
            if isinstance(event, yaml.AliasEvent) or anchor:
                mark = event.start_mark
                sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
                raise YamlProblem(SourceError(
                    display, first_line + mark.line, mark.column + 1,
                    f"YAML {'alias' if sign == '*' else 'anchor'} '{sign}{anchor}' is not allowed: write the value "
                    f"out (or put text that starts with '{sign}' in quotes)"))
    except yaml.YAMLError:
        return  # not valid YAML: the loader below reports it with its position


def load_yaml(text: str, display: str, first_line: int = 1) -> YamlDoc:
    """Parse one YAML document; raise YamlProblem with a located message when it is not valid YAML."""
    _refuse_aliases(text, display, first_line)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        col = mark.column + 1 if mark else None
        reason = exc.problem or exc.context or "not valid YAML"
        lines = text.split("\n")
        written = lines[mark.line] if mark and mark.line < len(lines) else ""
        raise YamlProblem(SourceError(display, line, col,
                                      f"invalid YAML: {reason}{_yaml_hint(reason, written)}")) from exc
    except yaml.YAMLError as exc:
        raise YamlProblem(SourceError(display, first_line, None, f"invalid YAML: {exc}")) from exc
    finally:
        loader.dispose()
    values: dict[KeyPath, Position] = {}
    keys: dict[KeyPath, Position] = {}
    duplicates: list[SourceError] = []
    commented: dict[KeyPath, str] = {}
    if node is not None:
        _index(node, (), first_line, values, keys, duplicates, display, (text.split("\n"), commented))
    if duplicates:
        raise YamlProblem(duplicates[0])
    return YamlDoc(data, values, keys, first_line, commented)


_COMMENT_AFTER = re.compile(r"[ \t]+(#.*?)\s*$")


def _index(node, path, first_line, values, keys, duplicates, display, comments) -> None:
    values[path] = (first_line + node.start_mark.line, node.start_mark.column + 1)
    if isinstance(node, yaml.ScalarNode) and not node.style and node.tag == "tag:yaml.org,2002:str":  # plain
        lines, commented = comments
        end = node.end_mark
        if end.line < len(lines) and (after := _COMMENT_AFTER.match(lines[end.line], end.column)):
            commented[path] = after.group(1)
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for key_node, value_node in node.value:
            name = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            where = (first_line + key_node.start_mark.line, key_node.start_mark.column + 1)
            if name in seen:
                duplicates.append(
                    SourceError(display, *where, f"{name}: written twice; keep one '{name}:' line")
                )
            seen.add(name)
            keys[path + (name,)] = where
            _index(value_node, path + (name,), first_line, values, keys, duplicates, display, comments)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, path + (i,), first_line, values, keys, duplicates, display, comments)


def decode(raw: bytes, display: str) -> str:
    """UTF-8 text without a BOM and with Unix newlines; a located error otherwise."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlProblem(
            SourceError(display, line, None, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")
        ) from exc
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    control = CONTROL_CHARACTER.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        col = control.start() - text.rfind("\n", 0, control.start())
        raise YamlProblem(SourceError(display, line, col, f"invisible control character U+{ord(control.group()):04X}; "
                                      "delete it (it often comes with pasted text)"))
    return text


_FIELD_LINE = re.compile(r"""(?:[A-Za-z_][\w-]*|"[^"]*"|'[^']*')\s*:(\s|$)""")


def _body_start(front: list[str]) -> int | None:
    """Where the body seems to begin inside what was read as front matter (its closing '---' forgotten,
    the body's own '---' rule taken for it): the first text after a blank line that is not a field, an
    indented line, a list item or a comment. None when every line looks like front matter."""
    for i in range(1, len(front)):
        line = front[i]
        if not front[i - 1].strip() and line.strip() and not line[:1].isspace() \
                and not line.startswith(("-", "#")) and not _FIELD_LINE.match(line):
            return i
    return None


def split_front_matter(text: str, path: Path, display: str, max_front_matter: int | None = None) -> SourceDoc:
    """Split a `---` YAML block from the Markdown body that follows it; a block longer than
    `max_front_matter` characters is refused before YAML reads it."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise YamlProblem(
            SourceError(display, 1, None, "no front matter: the file must start with a '---' line")
        )
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            break
    else:
        raise YamlProblem(
            SourceError(display, 1, None, "front matter is not closed: add a '---' line after the last field")
        )
    yaml_text = "\n".join(lines[1:end])
    if max_front_matter is not None and len(yaml_text) > max_front_matter:
        raise YamlProblem(SourceError(display, 1, None, f"front matter has {len(yaml_text) // 1024:,} KB; at most "
                                      f"{max_front_matter // 1024:,} KB (limits.front_matter_kb in site.yaml)"))
    body = _body_start(lines[1:end])
    unclosed = None if body is None else YamlProblem(SourceError(
        display, body + 2, 1, "this reads as the body, but the front matter is not closed above it: add a '---' "
                              "line after the last field"))
    try:
        meta = load_yaml(yaml_text, display, first_line=2)
    except YamlProblem as problem:  # a mistake above the body's first line is the writer's to see first
        raise unclosed if unclosed and (problem.problem.line or 0) >= body + 2 else problem from None
    if unclosed:
        raise unclosed
    if meta.data is None:
        meta = YamlDoc({}, {(): (2, 1)}, {}, 2)
    elif not isinstance(meta.data, dict):
        raise YamlProblem(
            SourceError(display, 2, 1, "front matter must be 'field: value' lines, not a single value or a list")
        )
    return SourceDoc(path, display, meta, "\n".join(lines[end + 1 :]), end + 2)

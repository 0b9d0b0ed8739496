"""Files the build makes: the `RenderedFile` every stage passes to the writer, and the two ways of
turning data into bytes on disk that several modules share (atomic writes, JSON documents).

A leaf module: it imports nothing of digest, so the writer, the renderers and the caches can all use it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class RenderedFile:
    path: str  # relative to the output folder, '/'-separated
    data: bytes


def atomic_write(path: Path, data: bytes) -> None:
    """Write through a temporary file and a rename: a reader (or the next build, after a crash) sees the
    old bytes or the new ones, never a torn file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    partial.write_bytes(data)
    os.replace(partial, path)


def json_bytes(document) -> bytes:
    """A JSON document as we publish it: UTF-8, not ASCII-escaped, indented, ending with a newline."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

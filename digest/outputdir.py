"""The output folder as a thing digest may replace: its marker, its lock, leftovers of killed builds,
and the swap that puts a new folder in its place.

digest replaces the whole output folder on every build, so it must be sure
the folder is one it wrote: the marker holds a token sealed with a
digest-only key, which no file a person or another tool writes by chance
matches (an empty `.digest`, or one that says anything else, is refused). One build at a time writes an output folder (an flock on a lock
file beside it), and that build first removes what killed builds left.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import os
import hmac
import shutil
import stat
import time
from pathlib import Path

from .errors import BuildFailed, SourceError

MARKER = ".digest"
_MARKER_HEAD = b"This folder is the output of digest; each build replaces all of it.\n"
_SEAL_KEY = b"digest output folder marker, v1"
LOCK_WAIT = 10.0  # seconds a second build waits for the first before it gives up


class UnsafeOutput(Exception):
    """The output folder would overwrite something that is not an earlier build."""


def marker_text() -> bytes:
    """The marker: the fixed first line, then a token and its seal. The token is fixed, not random, so
    that the same input still gives byte-identical output, marker included (a random one would make
    every deploy upload it again); what matters is that no file written by chance has a valid seal."""
    token = hashlib.blake2b(_MARKER_HEAD, digest_size=16).hexdigest()
    return _MARKER_HEAD + f"build {token} {_seal(token)}\n".encode()


def _seal(token: str) -> str:
    return hashlib.blake2b(token.encode(), key=_SEAL_KEY, digest_size=16).hexdigest()


def written_by_digest(folder: Path) -> bool:
    """The folder's marker is a regular file that digest wrote (not a link, not any file of that name)."""
    marker = folder / MARKER
    try:
        if not stat.S_ISREG(os.lstat(marker).st_mode) or os.lstat(marker).st_size > 1024:
            return False
        data = marker.read_bytes()
    except OSError:
        return False
    if data == _MARKER_HEAD:
        return True  # the marker of digest before markers were sealed: a folder an earlier version wrote
    head, _, line = data.partition(b"\n")
    words = line.decode("ascii", "replace").split()
    return head + b"\n" == _MARKER_HEAD and len(words) == 3 and words[0] == "build" \
        and hmac.compare_digest(_seal(words[1]), words[2])


def check_output_dir(output: Path, site_root: Path, source_dirs) -> None:
    """Refuse an output folder that is, holds or sits inside the site's own sources, or that has files
    in it and no marker digest wrote. An output that is a symbolic link is judged, and later replaced,
    at its target."""
    try:
        resolved = output.resolve()
    except (RuntimeError, OSError) as exc:  # Python 3.11 raises RuntimeError for a link loop
        raise UnsafeOutput(f"{output} cannot be resolved ({exc}); choose another --output") from exc
    for source in (site_root, *source_dirs):
        source = source.resolve()
        inside = source in resolved.parents and source != site_root.resolve()
        if resolved == source or resolved in source.parents or inside:
            raise UnsafeOutput(f"the output folder {output} overlaps the site's sources in {source}; "
                               "choose another --output")
    if resolved.exists() and not resolved.is_dir():
        raise UnsafeOutput(f"{output} is a file, not a folder; choose another --output")
    if resolved.is_dir() and any(resolved.iterdir()) and not written_by_digest(resolved):
        why = f"its {MARKER} file is not one digest wrote" if os.path.lexists(resolved / MARKER) \
            else "was not written by digest"
        raise UnsafeOutput(f"{output} is not empty and {why}; move its files away or choose another --output")


def real_output(output: Path) -> Path:
    """Where the output really is: a `public -> /var/www/site` link is updated at its target (the new
    folder is built beside the target and swapped in there), so the link keeps working."""
    return Path(os.path.realpath(output))


class OutputLock:
    """The output folder's lock: `.<name>.lock` beside it, held (flock) while a build writes the folder
    and removed when it is done. The kernel drops the flock when the build ends, however it ends, so a
    lock file a killed build left holds nobody up."""

    def __init__(self, output: Path, wait: float | None = None):
        wait = LOCK_WAIT if wait is None else wait
        self.path = output.parent / f".{output.name}.lock"
        self._fd: int | None = None
        deadline = time.monotonic() + wait
        while self._fd is None:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                if time.monotonic() >= deadline:
                    raise BuildFailed([SourceError(
                        str(output), None, None, f"another build is writing {output.name}/ (it holds "
                        f"{self.path.name}); wait for it to finish, or stop it, and build again")]) from None
                time.sleep(0.1)
                continue
            if _same_file(fd, self.path):
                self._fd = fd
            else:  # the build before removed the file while we waited for it: lock the new one
                os.close(fd)

    def release(self) -> None:
        if self._fd is not None:
            self.path.unlink(missing_ok=True)  # before the flock goes, so a waiting build tries again
            os.close(self._fd)
            self._fd = None


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False


def remove_leftovers(output: Path) -> None:
    """Folders that killed builds left beside the output (`.public.building-*`, `.public.old-*`). Called
    with the lock held, so none of them belongs to a build still running."""
    prefixes = (f".{output.name}.building-", f".{output.name}.old-")
    for name in os.listdir(output.parent):  # not glob: an output named "[x]" is no pattern
        leftover = output.parent / name
        if name.startswith(prefixes) and leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


def swap(building: Path, output: Path) -> None:
    """Put the finished folder in the output's place, then remove the old output. Where the kernel can
    (Linux's renameat2 with RENAME_EXCHANGE) the two change places in one step, so the output exists at
    every instant; elsewhere two renames, with a moment in between where it does not."""
    if not os.path.lexists(output):
        os.rename(building, output)
        return
    if _exchange(building, output):
        shutil.rmtree(building, ignore_errors=True)  # now the old output; a leftover if this is cut short
        return
    old = building.with_name(building.name.replace(".building-", ".old-", 1))
    os.rename(output, old)
    try:
        os.rename(building, output)
    except BaseException:
        os.rename(old, output)
        raise
    shutil.rmtree(old, ignore_errors=True)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where this kernel, C library or file system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # not Linux, or a C library older than glibc 2.28
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(b))

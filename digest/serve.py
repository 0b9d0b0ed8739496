"""`digest serve`: build into a private folder, serve it on localhost, rebuild on every change and reload
open tabs. While the content has errors, every page shows them instead of the last good site.

The preview never touches the site's own output folder, so a preview with
mistakes in it cannot spoil a site that is about to be deployed. It builds into
`.digest-cache/preview-<port>/` through a `ResidentBuild` that keeps its records
in memory between saves (see `resident.py`).

A preview started again on a port finds that folder as its last finished build
left it. Until the site is read and planned again (seconds, at 10,000
articles), a page found there is shown at once, with a notice saying it is the
last preview's and a script that reloads it as soon as the current site can
answer; a page not found there waits for the current site.
"""

from __future__ import annotations

import errno
import html
import mimetypes
import os
import posixpath
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import webbrowser
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from .errors import BuildFailed, SourceError, plural
from .incremental import lastbuild
from .outputdir import MARKER
from .parallel import default_jobs
from .pipeline import BuildOptions
from .requestcheck import allowed_host, request_path, same_origin
from .resident import OnDemand, Outcome, ResidentBuild
from .search import pagefind_command

RELOAD_PATH = "/__digest/reload"
EARLIER = "earlier"  # a page as the last preview on this port left it, shown until the current site is planned
EARLIER_HEADER = "Digest-Preview-Page"


@dataclass
class PreviewState:
    """What the server shows: the latest build's generation and its problems, and while the first build
    renders (generation 0), the pages it can make on request. Guarded by `changed`."""

    output: Path
    generation: int = 0
    problems: tuple[SourceError, ...] = ()
    on_demand: OnDemand | None = None
    earlier: bool = False  # the output folder holds what the last preview's finished build wrote there
    # Pages of saves made while a rebuild ran, made in memory: output path → (order shown, bytes).
    ahead: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    shown_ahead: int = 0
    changed: threading.Condition = field(default_factory=threading.Condition)

    def show_ahead(self, pages: dict[str, bytes]) -> None:
        """Serve these pages from memory from now on, and reload open tabs."""
        with self.changed:
            self.shown_ahead += 1
            self.ahead.update((path, (self.shown_ahead, data)) for path, data in pages.items())
            self.generation += 1
            self.changed.notify_all()

    def forget_ahead(self, upto: int) -> None:
        """The pages shown up to `upto` are in the folder now (or an error is shown): serve the folder's."""
        with self.changed:
            self.ahead = {path: shown for path, shown in self.ahead.items() if shown[0] > upto}

    def ahead_page(self, path: str) -> bytes | None:
        with self.changed:
            shown = self.ahead.get(path)
        return None if shown is None else shown[1]

    def publish(self, problems: tuple[SourceError, ...]) -> None:
        with self.changed:
            self.generation += 1
            self.earlier = False
            self.problems = problems
            self.changed.notify_all()

    def make_on_demand(self, on_demand: OnDemand | None) -> None:
        with self.changed:
            self.on_demand = on_demand
            if on_demand is not None:
                self.earlier = False  # for good: the current site answers from now on
            self.changed.notify_all()

    def now(self, wait_for_current: bool = False) -> tuple[tuple[SourceError, ...], int, OnDemand | None, bool]:
        """What to answer with, and whether it is the last preview's output: until the first build can make
        pages or is over, a request waits, unless the last preview's output can answer it meanwhile."""
        with self.changed:
            self.changed.wait_for(lambda: self.generation or self.on_demand is not None
                                  or (self.earlier and not wait_for_current))
            return self.problems, self.generation, self.on_demand, self.earlier


def _reload_script(generation: int | str) -> bytes:
    return (f'<script>new EventSource("{RELOAD_PATH}?since={generation}")'
            '.onmessage = function () { location.reload(); };</script>').encode()


# Said on every page shown from the last preview's output, so that nobody takes it for the current site.
EARLIER_NOTICE = (  # the spacer lets the page's last lines scroll clear of the bar
    '<div aria-hidden="true" style="height:4rem"></div>'
    '<div role="status" style="position:fixed;left:0;right:0;bottom:0;z-index:2147483647;margin:0;'
    'padding:.5rem 1rem;background:#1d3557;color:#fff;font:600 .9rem/1.4 system-ui,sans-serif;text-align:center">'
    "This is the page as the last preview left it: it reloads once the site is read again.</div>"
).encode()


def error_page(problems: tuple[SourceError, ...], generation: int) -> bytes:
    items = "".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in problems)
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>Build failed · digest</title>"
        "<style>body{font:1rem/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
        "h1{color:#a3261b}li{margin:.5rem 0}code{white-space:pre-wrap}</style></head><body>"
        f"<h1>The site has {plural(len(problems), 'problem')}</h1>"
        f"<p>Fix them and save: this page reloads by itself.</p><ul>{items}</ul>"
    ).encode() + _reload_script(generation) + b"</body></html>"


FOLDER = object()  # a path naming a folder without its trailing slash


def file_in(folder: Path, path: str) -> Path | object | None:
    """The file that the request path `path` names in `folder`; FOLDER when it names a folder without the
    trailing slash; None when there is none, or the path leads out of the folder. OSError and ValueError
    for a path no file can have (a name too long for the file system, and the like)."""
    target = (folder / path.lstrip("/")).resolve()
    if not target.is_relative_to(folder.resolve()):
        return None
    if target.is_dir():
        if not path.endswith("/"):
            return FOLDER
        target = target / "index.html"
    return target if target.is_file() else None


def output_path(path: str) -> str:
    """The output file a request path names, relative to the output folder, as the folder would resolve
    it (no way out of it): a path ending in / names its index.html."""
    rel = posixpath.normpath("/" + path).lstrip("/")
    if rel in ("", "."):
        return "index.html"
    return rel + "/index.html" if path.endswith("/") else rel


def make_handler(state: PreviewState, bind: str = "127.0.0.1"):
    class PreviewHandler(BaseHTTPRequestHandler):
        _head = False

        def log_message(self, format, *args):  # noqa: A002 - the terminal shows builds, not every request
            pass

        def do_GET(self):  # noqa: N802 - the http.server naming
            self._head = False
            self._answer()

        def do_HEAD(self):  # noqa: N802 - the same headers as GET, no body
            self._head = True
            self._answer()

        def _answer(self):
            if not allowed_host(self.headers.get("Host", ""), self.server.server_address[1], bind):
                # DNS rebinding: a page on another site whose name now points here must not read the preview.
                return self._send(HTTPStatus.MISDIRECTED_REQUEST, "text/plain; charset=utf-8", b"unknown host")
            raw, path = request_path(self.path)
            if path is None:
                return self._send(HTTPStatus.BAD_REQUEST, "text/plain; charset=utf-8", b"bad path")
            if path == RELOAD_PATH:
                return self._events()
            problems, generation, on_demand, earlier = state.now()
            if earlier:
                try:
                    found = file_in(state.output, path)
                    data = found.read_bytes() if isinstance(found, Path) else None
                except (OSError, ValueError):  # gone meanwhile: the first build removes what is no more
                    data = None
                if data is not None:
                    return self._data(HTTPStatus.OK, found.name, data, generation, earlier=True)
                # Not in the last preview's output (an article added since, a redirect): the current site says.
                problems, generation, on_demand, _ = state.now(wait_for_current=True)
            if problems:
                return self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8",
                                  error_page(problems, generation))
            ahead = state.ahead_page(rel := output_path(path))
            if ahead is not None:
                return self._data(HTTPStatus.OK, rel, ahead, generation)
            if on_demand is not None:
                return self._made_on_demand(on_demand, raw, path, generation)
            try:
                found = file_in(state.output, path)
            except (OSError, ValueError):
                return self._send(HTTPStatus.BAD_REQUEST, "text/plain; charset=utf-8", b"bad path")
            if found is FOLDER:
                return self._redirect(same_origin(raw) + "/")
            if found is None:
                return self._not_found(generation)
            return self._file(HTTPStatus.OK, found, generation)

        def _made_on_demand(self, on_demand: OnDemand, raw: str, path: str, generation: int):
            """While the first build renders: the page made alone, as the build will write it."""
            rel = output_path(path)
            if not path.endswith("/") and rel != "index.html" and on_demand.is_folder(rel):
                return self._redirect(same_origin(raw) + "/")
            try:
                data = on_demand.file(rel)
                if data is None:
                    status, data, rel = HTTPStatus.NOT_FOUND, on_demand.file("404.html"), "404.html"
                    if data is None:
                        return self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"not found")
                else:
                    status = HTTPStatus.OK
            except OSError:
                return self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"not found")
            except BuildFailed as failure:  # a template error: the build stops on it too
                return self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8",
                                  error_page(tuple(failure.problems), generation))
            return self._data(status, rel, data, generation)

        def _redirect(self, location: str):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _not_found(self, generation: int):
            page = state.output / "404.html"
            if page.is_file():
                return self._file(HTTPStatus.NOT_FOUND, page, generation)
            return self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"not found")

        def _file(self, status: HTTPStatus, target: Path, generation: int):
            return self._data(status, target.name, target.read_bytes(), generation)

        def _data(self, status: HTTPStatus, name: str, data: bytes, generation: int, earlier: bool = False):
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            if kind == "text/html":
                script = (EARLIER_NOTICE + _reload_script(EARLIER)) if earlier else _reload_script(generation)
                data = data.replace(b"</body>", script + b"</body>", 1) if b"</body>" in data else data + script
                kind += "; charset=utf-8"
            return self._send(status, kind, data, {EARLIER_HEADER: EARLIER} if earlier else {})

        def _send(self, status: HTTPStatus, kind: str, data: bytes, headers: dict[str, str] | None = None):
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if not self._head:
                self.wfile.write(data)

        def _events(self):
            """Server-sent events: one 'reload' message when a build newer than the page's is ready, or for a
            page of the last preview's output, when the current site can make pages."""
            query = urlsplit(self.path).query.removeprefix("since=")
            since = int(query) if query.isdigit() else -1
            if query == EARLIER:
                def newer() -> bool:
                    return not state.earlier
            else:
                def newer() -> bool:
                    return state.generation != since
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if self._head:
                return
            try:
                self.wfile.write(b"retry: 1000\n\n")
                self.wfile.flush()
                while True:
                    with state.changed:
                        ready = state.changed.wait_for(newer, timeout=15)
                    if ready:
                        self.wfile.write(b"data: reload\n\n")
                        self.wfile.flush()
                        return
                    self.wfile.write(b": still here\n\n")  # lets a closed tab end this thread
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return PreviewHandler


class PreviewLog:
    """The terminal during a preview: one line per rebuild, and only the problems that are new or gone."""

    def __init__(self) -> None:
        self.shown: set[str] = set()

    def outcome(self, what: str, outcome: Outcome) -> None:
        now = {str(p) for p in outcome.problems}
        for line in sorted(now - self.shown):
            print(line, file=sys.stderr)
        gone = len(self.shown - now)
        self.shown = now
        tail = f"; {plural(gone, 'problem')} gone" if gone else ""
        if outcome.failed:
            print(f"{what}: build failed; the browser shows the {plural(len(now), 'problem')}{tail}",
                  file=sys.stderr, flush=True)
        elif outcome.rendered == 0:  # "0 outputs rendered" read as "built nothing"
            print(f"{what}: up to date, nothing to render ({outcome.seconds:.2f} s){tail}", flush=True)
        else:
            print(f"{what}: {plural(outcome.rendered, 'output')} rendered in {outcome.seconds:.2f} s{tail}",
                  flush=True)


class SearchRefresh:
    """The preview's search index, brought up to date after each rebuild is shown, never before: a
    Pagefind run in the background, started again when a newer build replaces the one it indexes."""

    def __init__(self, enabled: bool):
        self.command = pagefind_command() if enabled else None
        self.running: subprocess.Popen | None = None

    def refresh(self, folder: Path) -> None:
        if self.command is None:
            return
        self.stop()
        self.running = subprocess.Popen([*self.command, "--site", str(folder), "--silent"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self) -> None:
        if self.running is not None and self.running.poll() is None:
            self.running.terminate()
            self.running.wait()
        self.running = None


def preview_folder(config_file: Path, port: int) -> Path:
    """Kept between previews, so that the next one on this port starts from it."""
    return config_file.parent.resolve() / ".digest-cache" / f"preview-{port}"


PREVIEW_KEPT_DAYS = 14


def stale_previews(cache: Path, now: float, in_use: Callable[[int], bool]) -> list[Path]:
    """Preview folders in `cache` (`.digest-cache/`) no preview has built into for PREVIEW_KEPT_DAYS days
    and none serves now, and the leftovers of earlier removals: each is the size of the site (1.2 GB at
    10,000 articles), and a writer who previews on another port every time would keep them all."""
    found = []
    for folder in sorted(cache.glob("preview-*")):
        name = folder.name.removeprefix("preview-")
        if ".removing-" in name:
            found.append(folder)
            continue
        if not name.isdigit() or not folder.is_dir():
            continue
        record = lastbuild.record_file(cache.parent, folder)
        touched = max((p.stat().st_mtime for p in (folder, folder / MARKER, record) if p.exists()), default=now)
        if now - touched > PREVIEW_KEPT_DAYS * 86400 and not in_use(int(name)):
            found.append(folder)
    return found


def remove_previews(folders: list[Path]) -> None:
    """Renamed first, so that a removal cut short is found and finished next time, whatever its age."""
    for folder in folders:
        try:
            if ".removing-" not in folder.name:
                record = lastbuild.record_file(folder.parent.parent, folder)
                record.with_suffix(".made.pickle").unlink(missing_ok=True)
                record.unlink(missing_ok=True)
                folder = folder.rename(folder.with_name(f"{folder.name}.removing-{os.getpid()}"))
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue  # another preview removing it too, or a file held open: next time


def listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def finished_preview(config_file: Path, output: Path) -> bool:
    """Whether `output` holds what a finished build wrote (its record is written only then): what the
    preview can show while it reads the site again, instead of nothing."""
    return (output / "index.html").is_file() and lastbuild.record_file(config_file.parent, output).is_file()


def watched_paths(config_file: Path) -> list[Path]:
    root = config_file.parent
    candidates = [config_file, root / "content", root / "themes", root / "templates", root / "static",
                  # A site's own plugins and translations: an edit builds again with them.
                  root / "plugins", root / "locale"]
    return [p for p in candidates if p.exists()]


# Scratch files editors and tools write beside the file they save, on top of watchfiles' own list (swap files,
# backups ending in ~, emacs locks): `sed -i`'s sedXXXXXX and vim's 4913 write-test file. A save should be
# reported by the file it saved, not by its scratch file.
SCRATCH_FILES = (r"^sed[A-Za-z0-9]{6}$", r"^4913$")


def watch_filter():
    import watchfiles

    return watchfiles.DefaultFilter(
        ignore_entity_patterns=(*watchfiles.DefaultFilter.ignore_entity_patterns, *SCRATCH_FILES))


def _watch(paths: list[Path], changes: queue.Queue, ready: threading.Event, stop: threading.Event,
           arrived: Callable[[set], None] = lambda batch: None) -> None:
    """`arrived(batch)` runs before the batch is queued, so whoever takes it from the queue finds done
    whatever `arrived` did for it."""
    import watchfiles  # only the preview needs it

    # yield_on_timeout: the first (empty) yield says the watcher is live, so no edit is missed.
    for batch in watchfiles.watch(*paths, watch_filter=watch_filter(), stop_event=stop, debounce=300,
                                  yield_on_timeout=True, rust_timeout=500):
        ready.set()
        if batch:
            arrived(batch)
            changes.put(batch)


def _changed(batch) -> list[Path]:
    return sorted({Path(path) for _, path in batch})


class CannotServe(Exception):
    """The preview cannot listen where it was asked to (a port in use, an address not on this machine)."""


class _PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a closed tab is no error worth a traceback
            super().handle_error(request, client_address)


def _listen(bind: str, port: int, handler) -> ThreadingHTTPServer:
    server_class = _PreviewServer
    if ":" in bind:  # an IPv6 address
        server_class = type("_PreviewServer6", (_PreviewServer,), {"address_family": socket.AF_INET6})
    try:
        return server_class((bind, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise CannotServe(f"port {port} is in use; try --port 0") from exc
        raise CannotServe(f"cannot listen on {bind} port {port}: {exc.strerror or exc}") from exc


def serve(config_file: Path, port: int, drafts: bool = False, future: bool = False, search: bool = True,
          bind: str = "127.0.0.1", open_browser: bool = False) -> int:
    config_file = config_file.resolve()  # the watcher names files by absolute path: so must the build
    state = PreviewState(Path("."))  # the folder is known once the port is
    server = _listen(bind, port, make_handler(state, bind))  # nothing is made before the port is ours
    port = server.server_address[1]
    shown = "127.0.0.1" if bind in ("0.0.0.0", "::", "") else f"[{bind}]" if ":" in bind else bind
    address = f"http://{shown}:{port}/"
    state.output = output = preview_folder(config_file, port)
    state.earlier = finished_preview(config_file, output)
    stale = stale_previews(output.parent, time.time(), lambda other: other == port or listening(other))
    threading.Thread(target=remove_previews, args=(stale,), daemon=True).start()
    changes: queue.Queue = queue.Queue()
    early: list = []  # saves made while the first build rendered: built once it is over

    def show_early_saves(stage: str, done: int, total: int) -> None:
        """Told the first build's progress on its own thread: a save made meanwhile shows at once when
        it is one article's text (made on request from the saved text), not when the build ends."""
        on_demand = state.on_demand
        while on_demand is not None and not changes.empty():
            early.append(batch := changes.get())
            if on_demand.show_saved(_changed(batch)) is not None:
                state.publish(())  # open tabs reload; pages are still made on request

    resident = ResidentBuild(config_file, output, address,
                             BuildOptions(drafts=drafts, future=future, search=False, jobs=default_jobs(),
                                          progress=show_early_saves),
                             on_demand=state.make_on_demand)
    log, index = PreviewLog(), SearchRefresh(search)
    ready, stop, rebuilding = threading.Event(), threading.Event(), threading.Event()

    def show_while_rebuilding(batch) -> None:
        """A save made while a rebuild runs (5-6 s at 10,000 articles) would wait for it: when it is one
        article's text, its page is made in memory and shown at once, as `quick_page` would write it."""
        if rebuilding.is_set() and not state.problems:
            try:
                pages = resident.page_while_building(_changed(batch))
            except Exception:  # noqa: BLE001 - the rebuild that follows reports what is wrong, with its file
                pages = None
            if pages:
                state.show_ahead(pages)

    threading.Thread(target=_watch, args=(watched_paths(config_file), changes, ready, stop, show_while_rebuilding),
                     daemon=True).start()
    ready.wait(timeout=10)
    # A terminated preview cleans up like an interrupted one.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    try:
        # Served from the start: until the first build is over, pages are made on request (see OnDemand).
        serving.start()
        print(f"serving at {address} (Ctrl+C to stop)", flush=True)
        if open_browser:
            webbrowser.open(address)
        outcome = resident.rebuild()
        for batch in early:  # shown early, built now
            changes.put(batch)
        state.publish(outcome.problems if outcome.failed else ())
        log.outcome("first build", outcome)
        if not outcome.failed:
            index.refresh(output)
            if outcome.report is not None and outcome.report.site is None:
                resident.rebuild([])  # the output was up to date: load the site model for quick pages
        while True:
            try:
                batch = changes.get(timeout=0.5)
            except queue.Empty:
                continue
            while not changes.empty():
                batch |= changes.get()
            changed = _changed(batch)
            what = ", ".join(sorted({p.name for p in changed})) or "a file"
            shown = state.shown_ahead  # pages shown ahead for this batch and before: written by what follows
            if resident.quick_page(changed) is not None:
                state.publish(())  # the edited page is ready: reload it now, the rest follows
            rebuilding.set()
            try:
                outcome = resident.rebuild(changed)
            finally:
                rebuilding.clear()
            state.forget_ahead(shown)
            state.publish(outcome.problems if outcome.failed else ())
            log.outcome(what, outcome)
            if not outcome.failed and outcome.rendered:
                index.refresh(output)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        index.stop()
        if serving.is_alive():
            server.shutdown()
        server.server_close()
        resident.close()
    print("stopped", flush=True)
    return 0

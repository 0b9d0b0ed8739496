"""The preview benchmark: how long a writer waits for `digest serve` (and `hugo server`, side by side) to
show the first page, and to show an article after saving it.

    python bench/preview.py                              # 1,000 and 10,000 articles, 3 runs, 5 saves each
    python bench/preview.py --sizes 1000 --runs 1 --edits 3 --tool digest

Each run starts the server on 127.0.0.1, in its own process group, inside the corpus's site folder, on
one port per tool and corpus for the whole benchmark, as a writer starts `digest serve` on its default
port day after day: digest's preview keeps its output per port and starts from it (one unmeasured start
makes it when it is missing; the benchmark removes it at the end). Before each start the benchmark saves
an edit to one article, as a writer does while the preview is stopped (`--no-offline-edit`: a restart
with nothing changed). It times two moments from the
start: the first page, when the home page answers HTTP 200 (for digest, possibly the last preview's page,
marked as such); and the first current page, when the edited article answers with the edit in it and
without that mark. Then, `--edits` times, once the server is idle (its rebuild over), it appends a unique marker
sentence to that article's body, saves, and polls the article's URL every 15 ms until the page carries
the marker: the save → served latency. For digest, its own rebuild time for each save is read from its
output too: open tabs reload only when that rebuild ends. Then, `--busy-saves` times, it saves, waits
for the page, and saves again a second later, while the server is still busy with the first save (digest
rebuilds the rest of the site after showing the page): the second save → served is "save while busy".
The article is restored and the server's
process group stopped at the end, also on error, Ctrl+C or SIGTERM.
Runs of the tools alternate, so that the machine's drift affects all alike. Memory is the peak of the
server's process tree over the whole run, as summed RSS and summed PSS (see run.py), and the peak PSS of
the tree without the search indexer (digest's preview runs Pagefind over the site after each build
it shows; at 10,000 articles Pagefind alone takes about 1.7 GB).

By default the caches are left as earlier builds made them (digest's `.digest-cache/` warm, as a writer
who has built before has it; one unmeasured `digest build --no-search` makes it if missing); `--cold`
removes digest's and Hugo's caches before every start.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from run import REPO, compiled, corpus, hugo_corpus, hugo_version, memory_kb, tree_pids

POLL = 0.015  # seconds between two requests while waiting for a page
IDLE = 0.05  # a server using less than this share of one CPU over a second has finished its rebuild


@dataclass(frozen=True)
class PreviewTool:
    """A preview server to time, and the article whose saves it is timed on."""

    name: str
    folder: Path  # the site folder the server runs in
    command: tuple[str, ...]  # with {port} where the port goes
    article: Path  # the source file the benchmark edits
    article_path: str  # its URL path on the server, e.g. /2022/05/story-05000-x-y/
    caches: tuple[str, ...]  # what --cold removes before a start


@dataclass
class PreviewSample:
    first_page: float  # any page: for digest, possibly the last preview's
    first_current: float  # the article with the edit made while the server was stopped
    saves: list[float]
    rebuilds: list[float]  # digest's own "built … in X s" for each save: when open tabs are told to reload
    peak_mb: float
    peak_pss_mb: float
    peak_pss_without_index_mb: float
    busy_saves: list[float] = field(default_factory=list)  # a save 1 s after the last one showed


@dataclass
class Server:
    """A server process in its own process group, its log and the peak memory of its process tree."""

    process: subprocess.Popen
    log: Path
    peak_kb: list[int] = field(default_factory=lambda: [0, 0, 0])  # RSS, PSS, PSS without the search indexer
    stopped: threading.Event = field(default_factory=threading.Event)

    def watch_memory(self) -> None:
        while not self.stopped.is_set():
            # Which process is the indexer is read before its memory: read after, an indexer that ended in
            # between (at its peak) would be counted as digest's.
            each = [(is_search_indexer(pid), *memory_kb(pid)) for pid in tree_pids(self.process.pid)]
            rss, pss = sum(r for _, r, _ in each), sum(p for _, _, p in each)
            without = sum(p for indexer, _, p in each if not indexer)
            self.peak_kb[:] = max(self.peak_kb[0], rss), max(self.peak_kb[1], pss), max(self.peak_kb[2], without)
            time.sleep(0.05)

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            tail = self.log.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise RuntimeError(f"the server stopped (exit {self.process.returncode}):\n{tail}")

    def cpu_seconds(self) -> float:
        return tree_cpu_seconds(self.process.pid)

    def wait_idle(self, seconds: float) -> None:
        """Until the server's process tree has all but stopped using CPU: its rebuild is over, so the next
        save is timed from an idle server rather than from the tail of the last rebuild."""
        deadline = time.monotonic() + seconds
        used = self.cpu_seconds()
        while time.monotonic() < deadline:
            time.sleep(1)
            self.check_alive()
            used, before = self.cpu_seconds(), used
            if used - before < IDLE:
                return
        raise TimeoutError(f"the server was still busy after {seconds:.0f} s")

    def rebuild_times(self) -> list[float]:
        # One line per rebuild: "<what changed>: N outputs rendered in X s" (before the resident preview:
        # "built N articles in X s"); the first build is not a save.
        log = self.log.read_text()
        return [float(now or before) for now, before in re.findall(
            r"^(?!first build)[^\n]*?: \d+ outputs? rendered in ([\d.]+) s|^built \d+ articles in ([\d.]+) s", log, re.M)]

    def stop(self) -> None:
        """SIGTERM to the whole group, then SIGKILL if it has not ended in 20 s."""
        self.stopped.set()
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass


def is_search_indexer(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return b"pagefind" in cmdline.read()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str, dict]:
    """Status, body and headers of a local URL; 0 while nothing listens yet."""
    assert url.startswith("http://127.0.0.1:"), url  # the benchmark only ever talks to its own servers
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", errors="replace"), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, "", dict(error.headers)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, "", {}


def wait_for(server: Server, url: str, served, seconds: float) -> None:
    """Poll `url` until `served(status, body, headers)`; an error after `seconds` or if the server dies."""
    deadline = time.monotonic() + seconds
    while not served(*fetch(url)):
        server.check_alive()
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} not served as expected within {seconds:.0f} s")
        time.sleep(POLL)


def digest_tool(size: int) -> PreviewTool:
    site = corpus(size)
    articles = sorted((site / "content" / "articles").rglob("*.md"))
    article = articles[len(articles) // 2]
    year, month = article.parent.parent.name, article.parent.name  # the generator files by publication month
    command = [sys.executable, str(REPO / "build.py"), "serve", "--port", "{port}"]
    help_text = subprocess.run(command[:3] + ["--help"], capture_output=True, text=True).stdout
    if "--bind" in help_text:  # later versions may listen elsewhere than 127.0.0.1 by default
        command += ["--bind", "127.0.0.1"]
    return PreviewTool("digest", site, tuple(command), article, f"/{year}/{month}/{article.stem}/", (".digest-cache",))


def hugo_tool(size: int, hugo: str, stem: str) -> PreviewTool:
    """Hugo's server on the converted corpus, timed on the article `stem` (digest's, for like with like)."""
    site = hugo_corpus(size)
    command = (hugo, "server", "--port", "{port}", "--bind", "127.0.0.1", "--disableLiveReload",
               "--cacheDir", str(site / ".hugo_cache"))
    return PreviewTool(hugo_version(hugo), site, command, site / "content" / "posts" / f"{stem}.md",
                       f"/posts/{stem}/", (".hugo_cache", "resources"))


def tree_cpu_seconds(root: int) -> float:
    """CPU time used by `root` and its descendants so far, those that have ended included: digest forks a
    worker per slice of its work, and a worker that is gone must not take its time with it (the server
    would look idle mid-build). A live process's own time, and the time of the children it has waited for."""
    total = 0
    for pid in tree_pids(root):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


def start(tool: PreviewTool, port: int, log: Path) -> Server:
    command = [part.replace("{port}", str(port)) for part in tool.command]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=tool.folder, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    server = Server(process, log)
    threading.Thread(target=server.watch_memory, daemon=True).start()
    return server


def preview_folder(tool: PreviewTool, port: int) -> Path | None:
    """Where digest's preview on `port` keeps its output (see digest/serve.py); None for other tools."""
    return tool.folder / ".digest-cache" / f"preview-{port}" if tool.name == "digest" else None


def first_start(tool: PreviewTool, port: int, timeout: float, logs: Path) -> None:
    """digest's preview starts from what it left on this port: an unmeasured start to the end of its first
    build leaves it, as a writer's first `digest serve` does."""
    folder = preview_folder(tool, port)
    if folder is None or (folder / "index.html").is_file():
        return
    print(f"  first preview on port {port}, to leave {folder} (not timed) …", flush=True)
    server = start(tool, port, logs / f"first-{port}.log")
    try:
        wait_for(server, f"http://127.0.0.1:{port}/", lambda status, *_: status == 200, timeout)
        server.wait_idle(timeout)
    finally:
        server.stop()


def earlier_page(headers) -> bool:
    return headers.get("Digest-Preview-Page") == "earlier"


def save_and_time(server: Server, tool: PreviewTool, article: str, original: str, timeout: float) -> float:
    """Save a unique marker sentence into the article; seconds until its page carries it."""
    marker = f"Bench marker {uuid.uuid4().hex}."
    saved = time.perf_counter()
    tool.article.write_text(original.rstrip("\n") + f"\n\n{marker}\n", encoding="utf-8")
    wait_for(server, article, lambda status, body, _: status == 200 and marker in body, timeout)
    return time.perf_counter() - saved


def measure(tool: PreviewTool, port: int, edits: int, cold: bool, timeout: float, logs: Path,
            offline_edit: bool = True, busy_saves: int = 0) -> PreviewSample:
    if cold:
        for rel in tool.caches:
            shutil.rmtree(tool.folder / rel, ignore_errors=True)
    home, article = f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}{tool.article_path}"
    original = tool.article.read_text(encoding="utf-8")
    offline = f"Bench marker {uuid.uuid4().hex}, saved while the server was stopped." if offline_edit else ""
    if offline_edit:
        tool.article.write_text(original.rstrip("\n") + f"\n\n{offline}\n", encoding="utf-8")
    started = time.perf_counter()
    server = start(tool, port, logs / f"{tool.name.split()[0]}-{port}.log")
    saves = []
    try:
        wait_for(server, home, lambda status, *_: status == 200, timeout)
        first_page = time.perf_counter() - started
        wait_for(server, article, lambda status, body, headers: status == 200 and offline in body
                 and not earlier_page(headers), timeout)
        first_current = time.perf_counter() - started
        for _ in range(edits):
            server.wait_idle(timeout)
            saves.append(save_and_time(server, tool, article, original, timeout))
        server.wait_idle(timeout)
        rebuilds = server.rebuild_times()[:edits]  # the start's own build is logged as "first build", left out
        busy = []
        for _ in range(busy_saves):  # a writer saving again a second after the page showed: the server is busy
            server.wait_idle(timeout)
            save_and_time(server, tool, article, original, timeout)
            time.sleep(1)
            busy.append(save_and_time(server, tool, article, original, timeout))
        tool.article.write_text(original, encoding="utf-8")
        # The restore is a save too: let the server finish with it before stopping it (and its cache writes).
        wait_for(server, article, lambda status, body, _: status == 200 and "Bench marker" not in body, timeout)
        server.wait_idle(timeout)
    finally:
        tool.article.write_text(original, encoding="utf-8")
        server.stop()
    return PreviewSample(first_page, first_current, saves, rebuilds, *(kb / 1024 for kb in server.peak_kb), busy)


def warm_up(tool: PreviewTool) -> None:
    """digest's preview reuses `.digest-cache/` as a writer's would have it after a build; make it once."""
    if tool.name == "digest" and not (tool.folder / ".digest-cache").is_dir():
        print(f"  warming {tool.folder / '.digest-cache'} (not timed) …", flush=True)
        subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--no-search"], cwd=tool.folder,
                       check=True, stdout=subprocess.DEVNULL)


def tools_for(size: int, args: argparse.Namespace) -> list[PreviewTool]:
    digest = digest_tool(size)
    return ([digest] if args.tool in ("digest", "both") else []) + \
           ([hugo_tool(size, args.hugo, digest.article.stem)] if args.tool in ("hugo", "both") else [])


def median_save(sample: PreviewSample | None) -> float | None:
    return statistics.median(sample.saves) if sample and sample.saves else None


def ratio(value: float | None, other: float | None) -> str:
    return f"{value / other:.2f}" if value and other else ""


def print_table(args: argparse.Namespace, rows: list[tuple[int, str, PreviewSample]]) -> None:
    print(f"\nMedians of {args.runs} runs × {args.edits} saves, {os.cpu_count()} CPUs, "
          f"{'cold caches' if args.cold else 'caches as earlier builds left them'}; "
          "peak memory of the server's process tree over a run (median).\n")
    print("| articles | tool | first page (s) | first current page (s) | save → served (s) | fastest–slowest save (s) "
          "| save while busy → served (s) | rebuild, own log (s) | peak RSS (MB) | peak PSS (MB) "
          "| peak PSS without Pagefind (MB) | digest ÷ Hugo, first current page | digest ÷ Hugo, save |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    hugo = {size: sample for size, name, sample in rows if name.startswith("Hugo")}
    for size, name, s in rows:
        other = hugo.get(size) if name == "digest" else None
        save = median_save(s)
        spread = f"{min(s.saves):.2f}–{max(s.saves):.2f}" if s.saves else ""
        rebuild = f"{statistics.median(s.rebuilds):.2f}" if s.rebuilds else ""
        busy = f"{statistics.median(s.busy_saves):.2f}" if s.busy_saves else ""
        print(f"| {size:,} | {name} | {s.first_page:.2f} | {s.first_current:.2f} | {save or float('nan'):.2f} | "
              f"{spread} | {busy} | {rebuild} | {s.peak_mb:.0f} | {s.peak_pss_mb:.0f} | {s.peak_pss_without_index_mb:.0f} | "
              f"{ratio(s.first_current, other and other.first_current)} | {ratio(save, median_save(other))} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--edits", type=int, default=5, help="saves timed per run")
    parser.add_argument("--tool", choices=("digest", "hugo", "both"), default="both")
    parser.add_argument("--hugo", default="hugo", help="the hugo program (default: hugo on PATH)")
    parser.add_argument("--cold", action="store_true", help="remove digest's and Hugo's caches before each start")
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for any one page")
    parser.add_argument("--busy-saves", type=int, default=3,
                        help="saves timed 1 s after the page of the save before showed, the server still busy")
    parser.add_argument("--offline-edit", action=argparse.BooleanOptionalAction, default=True,
                        help="edit the article before each start, as while the preview was stopped (default)")
    args = parser.parse_args()
    if args.tool != "digest" and not shutil.which(args.hugo):
        raise SystemExit(f"{args.hugo}: not found; install Hugo (apt-get install hugo) or use --tool digest")
    compiled()

    # A terminated benchmark cleans up like an interrupted one: article restored, servers stopped.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as logs:
        for size in args.sizes:
            tools = tools_for(size, args)
            if not args.cold:
                for tool in tools:
                    warm_up(tool)
            ports = {tool.name: free_port() for tool in tools}  # one per tool for the whole run, as a writer's
            samples: dict[str, list[PreviewSample]] = {tool.name: [] for tool in tools}
            try:
                if not args.cold:
                    for tool in tools:
                        first_start(tool, ports[tool.name], args.timeout, Path(logs))
                for run in range(args.runs):
                    for tool in tools:  # alternate the tools within each run
                        sample = measure(tool, ports[tool.name], args.edits, args.cold, args.timeout, Path(logs),
                                         args.offline_edit, args.busy_saves)
                        samples[tool.name].append(sample)
                        print(f"  {size} articles, run {run + 1}/{args.runs}, {tool.name}: first page "
                              f"{sample.first_page:.2f} s, first current page {sample.first_current:.2f} s, "
                              f"saves {', '.join(f'{s:.2f}' for s in sample.saves)} s, "
                              f"busy saves {', '.join(f'{s:.2f}' for s in sample.busy_saves)} s"
                              + (f" (rebuilds {', '.join(f'{s:.1f}' for s in sample.rebuilds)} s)"
                                 if sample.rebuilds else ""), flush=True)
            finally:
                for tool in tools:  # a port of the benchmark's choosing: its folder (1.2 GB at 10k) is no one's
                    folder = preview_folder(tool, ports[tool.name])
                    if folder is not None:
                        shutil.rmtree(folder, ignore_errors=True)
            for name, runs in samples.items():
                rows.append((size, name, PreviewSample(
                    statistics.median(s.first_page for s in runs), statistics.median(s.first_current for s in runs),
                    [t for s in runs for t in s.saves], [t for s in runs for t in s.rebuilds],
                    *(statistics.median(getattr(s, f) for s in runs)
                      for f in ("peak_mb", "peak_pss_mb", "peak_pss_without_index_mb")),
                    [t for s in runs for t in s.busy_saves])))
    print_table(args, rows)


if __name__ == "__main__":
    main()

"""The benchmark: cold, unchanged and one-edit builds of generated sites, median wall time, CPU time and
peak memory, digest beside Hugo (when `hugo` is installed) and Pelican (when a Python with it is given).

    python bench/run.py                                  # 1,000 and 10,000 articles, 5 runs each
    python bench/run.py --sizes 1000 --runs 3
    python bench/run.py --pelican /tmp/pelican-venv/bin/python --no-hugo

Corpora are generated once (seeded) under bench/.corpus/, and converted for Hugo (bench/hugo_site.py) and
Pelican (bench/pelican_site.py) beside them. Runs of the tools alternate, so that the machine's drift
affects all alike; the ratios against Hugo within the same run are the figures to quote. digest builds
with `--no-search` (Hugo and Pelican build no search index); one cold default build, with the Pagefind
index, is timed too, for the cost of search. Hugo has no incremental CLI build: its "unchanged" and
"one edit" are full rebuilds that keep public/ and its cache. Memory is the peak of the build's process
tree, as summed RSS and as summed PSS (which counts pages shared by forked workers once).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import hugo_site  # noqa: E402
import pelican_site  # noqa: E402
from generate import generate  # noqa: E402

SCENARIOS = ("cold", "unchanged", "one edit")


@dataclass
class Sample:
    wall: float
    cpu: float
    peak_mb: float  # summed RSS
    peak_pss_mb: float  # summed PSS


def tree_pids(pid: int) -> list[int]:
    """A process and all its descendants (threads' children too), from /proc; gone ones are left out."""
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack += [int(c) for c in children.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        found.append(current)
    return found


def memory_kb(pid: int) -> tuple[int, int]:
    """RSS and PSS of one process, read from /proc; (0, 0) once it is gone."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return rss, pss


def _tree_memory_kb(pid: int) -> tuple[int, int]:
    """Summed RSS and summed PSS of a process and all its descendants, read from /proc.

    RSS counts the pages forked workers share with the main process once per process; PSS divides each
    shared page among its sharers, so the PSS sum is what the tree really occupies."""
    each = [memory_kb(current) for current in tree_pids(pid)]
    return sum(rss for rss, _ in each), sum(pss for _, pss in each)


def measure(command: list[str], cwd: Path) -> Sample:
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = peak_pss = 0
    done = threading.Event()

    def poll() -> None:
        nonlocal peak, peak_pss
        while not done.is_set():
            rss, pss = _tree_memory_kb(process.pid)
            peak, peak_pss = max(peak, rss), max(peak_pss, pss)
            time.sleep(0.02)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    poller.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{process.stderr.read().decode()[-2000:]}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, peak / 1024, peak_pss / 1024)


def edit_one(site: Path, run: int) -> None:
    """Change one article's body, differently every run, as a writer's save would."""
    articles = sorted((site / "content").rglob("*.md"))
    path = articles[len(articles) // 2]
    text = path.read_text(encoding="utf-8").rstrip("\n").rsplit("\n\nEdited in run", 1)[0]
    path.write_text(text + f"\n\nEdited in run {run}.\n", encoding="utf-8")


def corpus(size: int) -> Path:
    """The seeded corpus of `size` articles, generated on first use."""
    folder = HERE / ".corpus" / str(size)
    if not (folder / "site.yaml").is_file():
        print(f"generating {size} articles in {folder} …", flush=True)
        generate(size, folder)
    return folder


def hugo_corpus(size: int) -> Path:
    """The corpus as a Hugo site, converted on first use."""
    folder = HERE / ".corpus" / f"{size}-hugo"
    if not (folder / "hugo.yaml").is_file():
        hugo_site.convert(corpus(size), folder)
    return folder


def hugo_version(hugo: str) -> str:
    words = subprocess.run([hugo, "version"], capture_output=True, text=True, check=True).stdout.split()
    return f"Hugo {words[1].lstrip('v').split('+')[0]}" if len(words) > 1 else "Hugo"


@dataclass
class Tool:
    name: str
    folder: Path
    command: list[str]
    clean: list[str]  # what a cold build removes first: output and caches
    scenarios: tuple[str, ...] = SCENARIOS

    def cold(self) -> Sample:
        for rel in self.clean:
            shutil.rmtree(self.folder / rel, ignore_errors=True)
        return measure(self.command, self.folder)

    def again(self) -> Sample:
        return measure(self.command, self.folder)

    def run(self, run: int) -> dict[str, Sample]:
        samples = {"cold": self.cold()}
        if "unchanged" in self.scenarios:
            samples["unchanged"] = self.again()
        if "one edit" in self.scenarios:
            edit_one(self.folder, run)
            samples["one edit"] = self.again()
        return samples


def compiled() -> None:
    """digest's modules compiled to bytecode first, as a wheel installs them: an editable install under
    PYTHONDONTWRITEBYTECODE (set on this project's machines) compiles every module again in every
    process, about 0.3 s of each build and preview start that no installed copy pays."""
    compileall.compile_dir(REPO / "digest", quiet=1)


def median(samples: list[Sample]) -> Sample:
    return Sample(*(statistics.median(getattr(s, f) for s in samples) for f in ("wall", "cpu", "peak_mb", "peak_pss_mb")))


def tools_for(size: int, args: argparse.Namespace) -> list[Tool]:
    site = corpus(size)
    digest = [sys.executable, str(REPO / "build.py"), "build"] + (["--jobs", str(args.jobs)] if args.jobs else [])
    digest_clean = ["public", ".digest-cache"]
    tools = [Tool("digest", site, digest + ["--no-search"], digest_clean)]
    if args.search:
        tools.append(Tool("digest + search", site, digest, digest_clean, scenarios=("cold",)))
    if args.hugo:
        folder = hugo_corpus(size)
        tools.append(Tool(hugo_version(args.hugo), folder,
                          [args.hugo, "--quiet", "--cacheDir", str(folder / ".hugo_cache")],
                          ["public", "resources", ".hugo_cache"]))
    if args.pelican:
        folder = HERE / ".corpus" / f"{size}-pelican"
        if not (folder / "pelicanconf.py").is_file():
            pelican_site.convert(site, folder)
        tools.append(Tool("Pelican", folder, [args.pelican, "-m", "pelican", "content", "-o", "output",
                                             "-s", "pelicanconf.py", "-q"], ["output", "cache"]))
    return tools


def ratio(value: float, other: float | None) -> str:
    return f"{value / other:.2f}" if other else ""


def print_table(runs: int, rows: list[tuple[int, str, str, Sample]]) -> None:
    print(f"\nMedian of {runs} runs, {os.cpu_count()} CPUs; peak memory of the whole process tree, "
          "as summed RSS and as summed PSS (shared pages counted once). digest builds with --no-search "
          "except \"digest + search\", whose ratios are against digest --no-search. On a loaded machine "
          "the CPU ratio is the steadier one.\n")
    print("| articles | tool | build | wall (s) | CPU (s) | peak RSS (MB) | peak PSS (MB) "
          "| digest ÷ Hugo (wall) | digest ÷ Hugo (CPU) | digest ÷ Pelican (wall) |")
    print("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    medians = {(size, name, scenario): m for size, name, scenario, m in rows}
    for size, name, scenario, m in rows:
        others = {n: s for (sz, n, sc), s in medians.items() if sz == size and sc == scenario}
        hugo = next((s for n, s in others.items() if n.startswith("Hugo")), None)
        pelican, plain = others.get("Pelican"), others.get("digest")
        if name == "digest":
            ratios = (f"{ratio(m.wall, hugo and hugo.wall)} | {ratio(m.cpu, hugo and hugo.cpu)} | "
                      f"{ratio(m.wall, pelican and pelican.wall)}")
        elif name == "digest + search":
            ratios = f"÷ --no-search: {ratio(m.wall, plain.wall)} | {ratio(m.cpu, plain.cpu)} | "
        else:
            ratios = " | | "
        print(f"| {size:,} | {name} | {scenario} | {m.wall:.2f} | {m.cpu:.2f} | {m.peak_mb:.0f} | "
              f"{m.peak_pss_mb:.0f} | {ratios} |")


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark digest builds beside Hugo's (and Pelican's).")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=None, help="digest --jobs (default: all CPUs)")
    parser.add_argument("--search", action=argparse.BooleanOptionalAction, default=True,
                        help="also time one cold default digest build, with the Pagefind index")
    parser.add_argument("--hugo", default=shutil.which("hugo"), help="the hugo program (default: hugo on PATH)")
    parser.add_argument("--no-hugo", dest="hugo", action="store_const", const=None, help="leave Hugo out")
    parser.add_argument("--pelican", metavar="PYTHON", help="a Python with Pelican installed, to compare")
    args = parser.parse_args()
    compiled()

    rows = []
    for size in args.sizes:
        tools = tools_for(size, args)
        results = {(t.name, s): [] for t in tools for s in t.scenarios}
        for run in range(args.runs):
            for tool in tools:  # alternate the tools within each run
                samples = tool.run(run)
                for scenario, sample in samples.items():
                    results[(tool.name, scenario)].append(sample)
                print(f"  {size} articles, run {run + 1}/{args.runs}, {tool.name}: " + ", ".join(
                    f"{scenario} {s.wall:.1f} s (CPU {s.cpu:.1f} s, {s.peak_mb:.0f}/{s.peak_pss_mb:.0f} MB)"
                    for scenario, s in samples.items()), flush=True)
        for (name, scenario), samples in results.items():
            rows.append((size, name, scenario, median(samples)))
    print_table(args.runs, rows)


if __name__ == "__main__":
    main()

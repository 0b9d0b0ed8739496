"""The benchmark: cold, unchanged and one-edit builds of generated sites, median wall time, CPU time and
peak memory, digest beside Pelican when a Python with Pelican is given.

    python bench/run.py                                  # 1,000 and 10,000 articles, 5 runs each
    python bench/run.py --sizes 1000 --runs 3
    python bench/run.py --pelican /tmp/pelican-venv/bin/python

Corpora are generated once (seeded) under bench/.corpus/. Runs of the two tools alternate, so that the
machine's drift affects both alike. Memory is the peak of the build's process tree, as summed RSS and
as summed PSS (which counts pages shared by forked workers once).
"""

from __future__ import annotations

import argparse
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
from generate import generate  # noqa: E402
from pelican_site import convert  # noqa: E402


@dataclass
class Sample:
    wall: float
    cpu: float
    peak_mb: float  # summed RSS
    peak_pss_mb: float  # summed PSS


def _tree_memory_kb(pid: int) -> tuple[int, int]:
    """Summed RSS and summed PSS of a process and all its descendants, read from /proc.

    RSS counts the pages forked workers share with the main process once per process; PSS divides each
    shared page among its sharers, so the PSS sum is what the tree really occupies."""
    rss = pss = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack += [int(c) for c in children.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return rss, pss


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
    path = sorted((site / "content").rglob("*.md"))[len(list((site / "content").rglob("*.md"))) // 2]
    text = path.read_text(encoding="utf-8").rstrip("\n").rsplit("\n\nEdited in run", 1)[0]
    path.write_text(text + f"\n\nEdited in run {run}.\n", encoding="utf-8")


class Tool:
    def __init__(self, name: str, folder: Path, command: list[str], clean: list[str]):
        self.name, self.folder, self.command, self.clean = name, folder, command, clean

    def cold(self) -> Sample:
        for rel in self.clean:
            shutil.rmtree(self.folder / rel, ignore_errors=True)
        return measure(self.command, self.folder)

    def again(self) -> Sample:
        return measure(self.command, self.folder)


def median(samples: list[Sample]) -> Sample:
    return Sample(*(statistics.median(getattr(s, f) for s in samples) for f in ("wall", "cpu", "peak_mb", "peak_pss_mb")))


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark digest builds (and Pelican's, side by side).")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=None, help="digest --jobs (default: all CPUs)")
    parser.add_argument("--search", action="store_true", help="include the Pagefind index in digest's builds")
    parser.add_argument("--pelican", metavar="PYTHON", help="a Python with Pelican installed, to compare")
    args = parser.parse_args()

    rows = []
    for size in args.sizes:
        corpus = HERE / ".corpus" / str(size)
        if not (corpus / "site.yaml").is_file():
            print(f"generating {size} articles in {corpus} …", flush=True)
            generate(size, corpus)
        command = [sys.executable, str(REPO / "build.py"), "build"] + ([] if args.search else ["--no-search"])
        if args.jobs:
            command += ["--jobs", str(args.jobs)]
        tools = [Tool("digest", corpus, command, ["public", ".digest-cache"])]
        if args.pelican:
            pelican_site = HERE / ".corpus" / f"{size}-pelican"
            if not (pelican_site / "pelicanconf.py").is_file():
                convert(corpus, pelican_site)
            tools.append(Tool("pelican", pelican_site, [args.pelican, "-m", "pelican", "content", "-o", "output",
                                                        "-s", "pelicanconf.py", "-q"], ["output", "cache"]))
        results = {(t.name, s): [] for t in tools for s in ("cold", "unchanged", "one edit")}
        for run in range(args.runs):
            for tool in tools:  # alternate the tools within each run
                results[(tool.name, "cold")].append(tool.cold())
                results[(tool.name, "unchanged")].append(tool.again())
                edit_one(tool.folder, run)
                results[(tool.name, "one edit")].append(tool.again())
                print(f"  {size} articles, run {run + 1}/{args.runs}, {tool.name}: "
                      f"cold {results[(tool.name, 'cold')][-1].wall:.1f} s", flush=True)
        for (name, scenario), samples in results.items():
            rows.append((size, name, scenario, median(samples)))

    print(f"\nMedian of {args.runs} runs, {os.cpu_count()} CPUs; peak memory of the whole process tree, "
          "as summed RSS and as summed PSS (shared pages counted once).\n")
    print("| articles | tool | build | wall (s) | CPU (s) | peak RSS (MB) | peak PSS (MB) | digest ÷ pelican (wall) |")
    print("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |")
    medians = {(size, name, scenario): m for size, name, scenario, m in rows}
    for size, name, scenario, m in rows:
        other = medians.get((size, "pelican", scenario))
        ratio = f"{m.wall / other.wall:.2f}" if name == "digest" and other else ""
        print(f"| {size:,} | {name} | {scenario} | {m.wall:.2f} | {m.cpu:.2f} | {m.peak_mb:.0f} | "
              f"{m.peak_pss_mb:.0f} | {ratio} |")


if __name__ == "__main__":
    main()

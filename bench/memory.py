"""Memory over the course of one command: the PSS of the main process and of its descendants (forked
workers), sampled at an interval, with the command's own output (digest's --verbose stage times) kept
in a log beside, so a peak can be put against the stage it happened in.

    cd bench/.corpus/10000 && rm -rf public .digest-cache
    python ../../memory.py --log /tmp/build.log -- python ../../../build.py build --no-search --verbose

Prints one line per sample (seconds since the start, main process, the others, total, in MB) and the peak.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import memory_kb, tree_pids  # noqa: E402


def pss_mb(pid: int) -> float:
    return memory_kb(pid)[1] / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=float, default=0.5, help="seconds between samples")
    parser.add_argument("--log", type=Path, default=Path("memory.log"), help="where the command's output goes")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command, after --")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    started, peak = time.monotonic(), 0.0
    with args.log.open("w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        while process.poll() is None:
            others = [pid for pid in tree_pids(process.pid) if pid != process.pid]
            main_mb, others_mb = pss_mb(process.pid), sum(pss_mb(pid) for pid in others)
            peak = max(peak, main_mb + others_mb)
            print(f"{time.monotonic() - started:7.1f} s  main {main_mb:6.0f} MB  "
                  f"others ({len(others)}) {others_mb:6.0f} MB  total {main_mb + others_mb:6.0f} MB", flush=True)
            time.sleep(args.every)
    print(f"peak {peak:.0f} MB PSS; exit status {process.returncode}; output in {args.log}")


if __name__ == "__main__":
    main()

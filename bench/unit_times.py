"""CPU time per kind of output in one cold build (--jobs 1, no profiler, so the figures are not inflated
by tracing): the page templates, feed files, social cards and other site files, and the build's stages.

    python bench/unit_times.py bench/.corpus/1000/site.yaml

Builds into a temporary folder with --no-cache --no-search. Per unit kind it prints the units, files,
CPU seconds and milliseconds a file; feeds' milliseconds include their items (content and XML), made once
per article and shared by every feed that carries the article (their own row, and a total without it).
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from digest import cli, feeds, render, units  # noqa: E402

spent: dict[str, list[float]] = collections.defaultdict(lambda: [0, 0, 0.0])  # kind → units, files, s


def timed(cls, kind_of):
    original = cls.render

    def render_timed(self, ctx):
        start = time.process_time()
        rendered = original(self, ctx)
        row = spent[kind_of(self)]
        row[0] += 1
        row[1] += len(rendered.files)
        row[2] += time.process_time() - start
        return rendered

    cls.render = render_timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", type=Path)
    args = parser.parse_args()
    timed(render.PageUnit, lambda u: f"page {u.template}")
    timed(feeds.FeedUnit, lambda u: f"feed {type(u).__name__}")
    timed(units.SiteFileUnit, lambda u: f"file {u.id.split(':')[0]}")
    item = feeds._item

    def item_timed(article, ctx, json_feed):
        start = time.process_time()
        made = item(article, ctx, json_feed)
        row = spent["(feed items, once per article)"]
        row[0] += 1
        row[1] += 1  # "files" here: items, so that the last column reads as milliseconds an item
        row[2] += time.process_time() - start
        return made

    feeds._item = item_timed
    with tempfile.TemporaryDirectory() as out:
        start = time.process_time()
        cli.main(["build", "--config", str(args.config), "--output", out, "--no-cache", "--no-search",
                  "--jobs", "1", "--verbose"])
        total = time.process_time() - start
    print(f"\n{'kind':<32} {'units':>6} {'files':>6} {'CPU s':>8} {'ms/file':>8}")
    for kind, (count, files, seconds) in sorted(spent.items(), key=lambda kv: -kv[1][2]):
        print(f"{kind:<32} {count:>6} {files:>6} {seconds:>8.2f} {1000 * seconds / max(files, 1):>8.2f}")
    pages = [row for kind, row in spent.items() if kind.startswith("page ")]
    feed = [row for kind, row in spent.items() if kind.startswith("feed ")]
    items = spent["(feed items, once per article)"][2]
    for label, rows, less in (("all pages", pages, 0), ("all feeds", feed, 0), ("all feeds, less items", feed, items)):
        files, seconds = sum(r[1] for r in rows), sum(r[2] for r in rows) - less
        print(f"{label:<32} {'':>6} {files:>6} {seconds:>8.2f} {1000 * seconds / max(files, 1):>8.2f}")
    print(f"whole build, CPU: {total:.2f} s")


if __name__ == "__main__":
    main()

"""A seeded generator of realistic digest sites: N articles with rich front matter and ~800-word bodies.

    python bench/generate.py 1000 /tmp/site-1k [--seed 1]

The same seed and N always give the same files, so benchmark runs compare like with like.
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

KINDS = ("layoff", "contractor-cut", "closure", "hiring-freeze", "reorganization",
         "leadership-change", "investment", "acquisition")
SECTORS = ("Software", "Banking", "Retail", "AI models", "Logistics", "Media", "Telecoms", "Automotive")
CITIES = ("Dallas", "Paris", "Berlin", "Bangalore", "Manila", "Austin", "Toronto", "Kraków", "São Paulo")
TOPICS = ("layoffs", "contractors", "closures", "data labeling", "investment", "leadership", "offshoring",
          "automation", "severance", "unions", "hiring", "earnings", "restructuring", "AI", "remote work",
          "real estate", "regulation", "mergers", "startups", "banking")
WORDS = ("company", "staff", "team", "cuts", "contract", "market", "quarter", "investors", "growth", "costs",
         "workers", "office", "plan", "strategy", "revenue", "hiring", "managers", "union", "severance",
         "customers", "product", "division", "analysts", "budget", "shift", "demand", "platform", "data")


def _sentence(rng: random.Random, n: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng, rng.randint(10, 18)) for _ in range(rng.randint(3, 5)))


def _body(rng: random.Random, slugs: list[str]) -> str:
    parts = [_paragraph(rng), _paragraph(rng), "## What changes", _paragraph(rng)]
    parts.append("\n".join(f"- {_sentence(rng, 8)}" for _ in range(4)))
    if slugs:
        parts.append(f"See also [an earlier story](/{rng.choice(slugs)}/) and "
                     f"[the filing](https://example.com/filing/{rng.randint(1, 999)}).")
    parts.append("## The figures")
    parts.append("| Unit | Jobs | Share |\n| --- | ---: | ---: |\n" + "\n".join(
        f"| {rng.choice(WORDS).title()} | {rng.randint(5, 900)} | {rng.randint(1, 30)}% |" for _ in range(4)))
    parts += [_paragraph(rng) for _ in range(4)]
    parts.append(f"Analysts were cautious.[^1]\n\n[^1]: {_sentence(rng)}")
    return "\n\n".join(parts) + "\n"


def generate(n: int, out: Path, seed: int = 1) -> None:
    rng = random.Random(seed)
    companies = [f"Company {i:04d} {rng.choice(('Inc', 'AG', 'SA', 'Ltd'))}" for i in range(max(5, n // 20))]
    (out / "content" / "articles").mkdir(parents=True, exist_ok=True)
    (out / "content" / "companies").mkdir(parents=True, exist_ok=True)
    (out / "site.yaml").write_text(
        "title: Generated Digest\nbase_url: https://bench.example.org/\n"
        "description: A generated site for benchmarks and tests.\ntimezone: Europe/Berlin\n",
        encoding="utf-8")
    for i, name in enumerate(companies):
        slug = name.lower().replace(" ", "-")
        (out / "content" / "companies" / f"{slug}.yaml").write_text(
            f"name: {name}\nsector: {rng.choice(SECTORS)}\nheadquarters: {rng.choice(CITIES)}\nfounded: {1950 + i % 70}\n",
            encoding="utf-8")
    start = date(2019, 1, 1)
    paths: list[str] = []
    for i in range(n):
        day = start + timedelta(days=i * 2500 // max(n, 1))
        slug = f"story-{i:05d}-{rng.choice(WORDS)}-{rng.choice(WORDS)}"
        picked = rng.sample(companies, rng.randint(1, 3))
        tags = rng.sample(TOPICS, rng.randint(2, 6))
        events = "".join(
            f"\n  - company: \"{c}\"\n    date: {day.isoformat()}\n    kind: {rng.choice(KINDS)}"
            f"\n    affected: {rng.randint(5, 5000)}\n    percent: {rng.randint(1, 40)}"
            f"\n    location: {rng.choice(CITIES)}"
            for c in picked[: rng.randint(0, 2)])
        title = f"{picked[0]} {rng.choice(('cuts', 'closes', 'reorganizes', 'freezes hiring at'))} " \
                f"{rng.choice(WORDS)} & {rng.choice(WORDS)} \"{i}\""
        front = (
            f"---\ntitle: '{title}'\ndate: {day.isoformat()}T{rng.randint(6, 20):02d}:00:00+01:00\n"
            f"companies: [{', '.join(repr(c) for c in picked)}]\n"
            f"tags: [{', '.join(tags)}]\n"
            "takeaways:\n" + "".join(f"  - {_sentence(rng, 9)}\n" for _ in range(3)) +
            f"sources:\n  - title: Report {i}\n    url: https://example.com/report/{i}\n    publisher: Wire\n"
            + (f"events:{events}\n" if events else "")
            + "---\n\n"
        )
        folder = out / "content" / "articles" / f"{day:%Y}" / f"{day:%m}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{slug}.md").write_text(front + _body(rng, paths[-50:]), encoding="utf-8")
        paths.append(f"{day:%Y}/{day:%m}/{slug}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.count, args.folder, args.seed)


if __name__ == "__main__":
    main()

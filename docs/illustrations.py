"""Draws the sample articles' lead images: abstract bar charts in the default theme's colours.

The sample site needs pictures it owns, so it draws them: one 1600×900 JPEG beside each published sample
article, named after it, made from a seed of its file name (the same picture on every run). The bars are
decoration, not data: the alt text in each article says so. Run from the repository's root:

    python docs/illustrations.py            # writes content/articles/**/<article>.jpg
"""

from __future__ import annotations

import hashlib
import random
import sys
from pathlib import Path

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1600, 900
# themes/default/static/css/digest.css: --bg, --fg, --muted, --line, --accent; and the dark theme's accent.
PAPER, INK, MUTED, LINE, ACCENT, ACCENT_LIGHT = "#fdfcfa", "#1d1f21", "#5b6168", "#dcd8d0", "#a3261b", "#ef7d6f"


def draw(seed: str) -> Image.Image:
    """A bar chart that falls to the right, on a ruled background, with one accent bar."""
    rng = random.Random(hashlib.sha256(seed.encode()).digest())
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    pen = ImageDraw.Draw(image)
    base, top = HEIGHT - 130, 120
    for y in range(top, base + 1, (base - top) // 5):
        pen.line((110, y, WIDTH - 110, y), fill=LINE, width=3)
    bars = rng.randint(9, 14)
    step = (WIDTH - 260) / bars
    height = rng.uniform(0.75, 0.95)
    marked = rng.randrange(bars // 2, bars)
    marker = (0.0, 0.0)
    for i in range(bars):
        height = max(0.12, min(0.9, height + rng.uniform(-0.15, 0.05)))
        x, y = 140 + i * step, base - height * (base - top)
        colour = ACCENT if i == marked else (MUTED if i % 2 else INK)
        pen.rectangle((round(x), round(y), round(x + step * 0.62), base), fill=colour)
        if i == marked:
            marker = (x + step * 0.31, y - 60)
    pen.line((110, base, WIDTH - 110, base), fill=INK, width=6)
    cx, cy = marker
    pen.ellipse((cx - 26, cy - 26, cx + 26, cy + 26), outline=ACCENT_LIGHT, width=10)
    return image


def main(root: Path) -> None:
    for source in sorted((root / "content" / "articles").rglob("*.md")):
        if "\ndraft: true" in source.read_text(encoding="utf-8"):
            continue
        out = source.with_suffix(".jpg")
        # Flat colours: a JPEG this size is a few tens of KB; optimize and a fixed quality keep it byte-stable.
        draw(source.stem).save(out, "JPEG", quality=80, optimize=True, progressive=True)
        print(f"{out.relative_to(root)}: {out.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd())

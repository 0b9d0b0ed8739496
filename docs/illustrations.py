"""Draws the sample articles' lead images: honest figures where the article reports one, abstract patterns elsewhere.

The sample site needs pictures it owns, so it draws them with Pillow, in the default theme's colours
(themes/default/static/css/digest.css) and fonts (themes/default/fonts/): one 1600×900 PNG beside each published
sample article, named after it. What a picture shows comes from the article's first event, read from its front
matter; nothing is made up:

- a `percent:` → a share figure: 100 person marks, the affected share in the accent colour (14% → 14 of 100),
  with the percentage written large and the people behind it ("about 200 full-time staff") beside it;
- else a headcount (`employees:`, `contractors:` or `affected:`) → one person mark per person reported
  (at most 100; a larger count is drawn one mark per 10, 100, … people and says so), the figure written large;
- else (investments, analysis, no figure reported) → an abstract pattern of circles, arcs and triangles on square
  tiles, seeded from the file name: no axes, no bars, nothing to read as data.

The article's `image: alt` describes the picture and its `caption` says what it shows and where the figure comes
from; they are written by hand in each article, so read them again after changing a figure. The same article
gives the same bytes on every run. Run from the repository's root (PyYAML and Pillow are dependencies of digest):

    python docs/illustrations.py            # writes content/articles/**/<article>.png
"""

from __future__ import annotations

import hashlib
import math
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1600, 900
ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "themes" / "default" / "fonts"
# themes/default/static/css/digest.css: --bg, --fg, --muted, --line, --accent, --box, --box-line, --link.
PAPER, INK, MUTED, LINE, ACCENT = "#fdfcfa", "#1d1f21", "#5b6168", "#dcd8d0", "#a3261b"
BOX, BOX_LINE, LINK = "#f3efe6", "#c9b98f", "#14539a"
MAX_MARKS = 100
WHO = {"employees": "full-time staff", "contractors": "contractors", "affected": "people"}


@dataclass(frozen=True)
class Reported:
    """The figure an article's first event reports: a share of staff, or a headcount, with who it counts."""

    company: str
    percent: float | None  # share of staff, 14 for 14%
    count: int | None
    qualifier: str  # "exactly", "about", "at-least" or "up-to", as in the event's figure
    who: str  # "full-time staff", "contractors", "people"
    unit: str | None  # the team, where the event names one
    location: str | None
    source: str  # where the figure comes from: the event's source, by its site's name


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1]) or {}


def reported(meta: dict) -> Reported | None:
    """The first event's share or headcount, or None when it reports neither (or there is no event)."""
    events = meta.get("events") or []
    if not events:
        return None
    event = events[0]
    source = event.get("source") or {}
    site = (source.get("url") or "").split("//")[-1].split("/")[0].removeprefix("www.")
    for key in ("employees", "contractors", "affected"):
        figure = event.get(key)
        if figure is not None:
            value, qualifier = (figure["value"], figure.get("qualifier", "exactly")) if isinstance(figure, dict) \
                else (figure, "exactly")
            break
    else:
        value, qualifier, key = None, "exactly", "affected"
    if event.get("percent") is None and value is None:
        return None
    return Reported(event["company"], event.get("percent"), value, qualifier, WHO[key], event.get("unit"),
                    event.get("location"), site)


def marks_per_person(count: int) -> int:
    """How many people one mark stands for: 1 up to 100 people, then 10, 100, …, so at most 100 marks are drawn."""
    per = 1
    while math.ceil(count / per) > MAX_MARKS:
        per *= 10
    return per


def share_marks(percent: float) -> list[bool]:
    """100 marks, the first round(percent) of them coloured: 14% → 14 of 100."""
    coloured = round(percent)
    return [i < coloured for i in range(100)]


def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / name), size)


def _person(pen: ImageDraw.ImageDraw, cx: float, cy: float, size: float, fill: str) -> None:
    """A person mark centred on (cx, cy), `size` tall: a round head over a half-disc of shoulders."""
    head = size * 0.2
    pen.ellipse((cx - head, cy - size / 2, cx + head, cy - size / 2 + 2 * head), fill=fill)
    body_top, half = cy - size / 2 + 2 * head + size * 0.06, size * 0.36
    pen.pieslice((cx - half, body_top, cx + half, body_top + 2 * (cy + size / 2 - body_top)), 180, 360, fill=fill)


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _count_words(figure: Reported) -> str:
    number = f"{figure.count:,}"
    return {"exactly": number, "about": f"about {number}", "at-least": f"at least {number}",
            "up-to": f"up to {number}"}[figure.qualifier]


def _big(figure: Reported) -> str:
    """The figure written large: "14%", "12+", "~200", "≤50", "12"."""
    if figure.percent is not None:
        return f"{_number(figure.percent)}%"
    number = f"{figure.count:,}"
    return {"exactly": number, "about": f"~{number}", "at-least": f"{number}+", "up-to": f"≤{number}"}[figure.qualifier]


def _lines(figure: Reported) -> list[str]:
    """What the big figure counts, in a few short lines under it."""
    if figure.percent is not None:
        lines = [f"of {figure.company}'s", f"{figure.who}"]
        if figure.count is not None:
            lines.append(f"{_count_words(figure)} people")
        return lines
    lines = [f"{figure.who} in {figure.company}'s" if figure.unit else f"{figure.who} at {figure.company}"]
    lines += [part for part in (figure.unit, figure.location and f"in {figure.location}") if part]
    return lines


def _text_column(pen: ImageDraw.ImageDraw, figure: Reported, legend: str, width: float) -> None:
    pen.text((110, 150), _big(figure), font=_font("DejaVuSerif-Bold.ttf", 230), fill=ACCENT)
    lines, size = _lines(figure), 46
    while size > 24 and max(pen.textlength(line, font=_font("DejaVuSans-Bold.ttf", size)) for line in lines) > width:
        size -= 2  # a long team or company name gets smaller letters rather than running into the marks
    y = 450
    for line in lines:
        pen.text((116, y), line, font=_font("DejaVuSans-Bold.ttf", size), fill=INK)
        y += round(size * 1.35)
    small = _font("DejaVuSans-Bold.ttf", 36)  # still legible in a 390 px wide phone's column
    pen.text((116, HEIGHT - 190), legend, font=small, fill=MUTED)
    if figure.source:
        pen.text((116, HEIGHT - 135), f"Source: {figure.source}", font=small, fill=MUTED)


def draw_figure(figure: Reported) -> Image.Image:
    """The share as 100 person marks (10 × 10), or the headcount as one mark per person (or per 10, 100, …)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    pen = ImageDraw.Draw(image)
    if figure.percent is not None:
        marks = share_marks(figure.percent)
        columns, legend = 10, "Each mark: 1 in 100"
    else:
        per = marks_per_person(figure.count)
        marks = [True] * math.ceil(figure.count / per)
        columns = min(len(marks), 10 if len(marks) > 16 else 4)
        legend = "Each mark: 1 person" if per == 1 else f"Each mark: {per:,} people"
    rows = math.ceil(len(marks) / columns)
    # The marks fill a square-ish block on the right, centred on the page's height.
    cell = min(680 / columns, 680 / rows, 170)
    left, top = WIDTH - 110 - cell * columns, (HEIGHT - cell * rows) / 2
    for i, on in enumerate(marks):
        row, column = divmod(i, columns)
        _person(pen, left + (column + 0.5) * cell, top + (row + 0.5) * cell, cell * 0.8, ACCENT if on else LINE)
    _text_column(pen, figure, legend, left - 150)
    return image


def draw_pattern(seed: str) -> Image.Image:
    """Square tiles, each with a circle, a half-disc, a quarter-disc or a triangle, turned at random: decoration."""
    rng = random.Random(hashlib.sha256(seed.encode()).digest())
    tile = 200
    columns, rows = WIDTH // tile, math.ceil(HEIGHT / tile)
    grounds, shapes = [PAPER, BOX, LINE], [BOX_LINE, ACCENT, LINK, MUTED, BOX]
    kinds = ["circle", "half", "quarter", "triangle"] * (columns * rows // 4 + 1)
    rng.shuffle(kinds)
    image = Image.new("RGB", (columns * tile, rows * tile), PAPER)
    for n in range(columns * rows):
        ground = rng.choice(grounds)
        colour = rng.choice([c for c in shapes if c != ground])
        square = Image.new("RGB", (tile, tile), ground)  # drawn apart, so a quarter-disc stays inside its tile
        pen = ImageDraw.Draw(square)
        kind, turn = kinds[n], rng.randrange(4)
        if kind == "circle":
            inset = rng.choice((20, 40, 60))
            pen.ellipse((inset, inset, tile - inset, tile - inset), fill=colour)
        elif kind == "half":
            pen.pieslice((0, 0, tile, tile), 90 * turn, 90 * turn + 180, fill=colour)
        elif kind == "quarter":
            cx, cy = tile * (turn % 2), tile * (turn // 2)
            pen.ellipse((cx - tile, cy - tile, cx + tile, cy + tile), fill=colour)
        else:
            corners = [(0, 0), (tile, 0), (tile, tile), (0, tile)]
            pen.polygon(corners[:turn] + corners[turn + 1:], fill=colour)
        image.paste(square, ((n % columns) * tile, (n // columns) * tile))
    return image.crop((0, 0, WIDTH, HEIGHT))


def illustration(source: Path) -> Image.Image:
    figure = reported(front_matter(source))
    return draw_figure(figure) if figure else draw_pattern(source.stem)


def main(root: Path) -> None:
    for source in sorted((root / "content" / "articles").rglob("*.md")):
        if "\ndraft: true" in source.read_text(encoding="utf-8"):
            continue
        out = source.with_suffix(".png")
        # Flat colours and edges: 32 palette colours keep the anti-aliasing and make a crisp PNG of about 15 KB
        # (a JPEG of it is 60-80 KB and rings around the letters).
        illustration(source).quantize(32).save(out, "PNG", optimize=True)
        print(f"{out.relative_to(root)}: {out.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd())

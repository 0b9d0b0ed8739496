"""Social cards: the 1200×630 PNG a social network shows when an article's link is shared.

One `SiteFileUnit` per article, planned here and drawn with Pillow from what the card shows (headline,
site name, date, the key figure of the article's first event), in the fonts shipped with the theme
(`themes/<theme>/fonts/`) so a card looks the same on every machine. The PNG carries no metadata and no
timestamp: the same article gives the same bytes on every build.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path

from . import i18n, urls
from .charts import kind_label
from .content import Article
from .figures import add
from .files import RenderedFile
from .i18n import _
from .units import RenderContext, SiteFileUnit

CARD_NAME = "card.png"  # beside the article's index.html
WIDTH, HEIGHT = 1200, 630
MARGIN = 80
HEADLINE_FONT = "DejaVuSerif-Bold.ttf"
LABEL_FONT = "DejaVuSans-Bold.ttf"
# The default theme's light colours (themes/default/static/css/digest.css: --bg, --fg, --muted, --accent).
BACKGROUND, TEXT, MUTED, ACCENT = "#fdfcfa", "#1d1f21", "#5b6168", "#a3261b"
HEADLINE_SIZES = (68, 60, 52, 46)  # the largest that fits in HEADLINE_LINES lines wins
HEADLINE_LINES = 4


@dataclass(frozen=True, slots=True)
class CardText:
    """Everything a card draws: its identity for the incremental build."""

    site_name: str
    headline: str
    dateline: str
    figure: str  # "1,000 people · Layoff", or "" when the article reports no event


def card_path(page_path: str) -> str:
    """The card of the page at `page_path` ('2025/10/slug/' → '2025/10/slug/card.png')."""
    return page_path + CARD_NAME


def card_url(base_url: str, page_path: str) -> str:
    return urls.absolute_url(base_url, card_path(page_path))


def key_figure(article: Article) -> str:
    """The people affected by the article's first event, with its kind, as a card's headline figure."""
    if not article.events:
        return ""
    event = article.events[0]
    count = event.affected or add([f for f in (event.employees, event.contractors) if f is not None])
    if count is not None:
        one = count.value == 1 and count.qualifier == "exactly"
        people = (_("%(n)s person") if one else _("%(n)s people")) % {"n": count.words}
        return f"{people} · {kind_label(event.kind)}"
    if event.percent is not None:
        share = _("%(share)s of staff") % {"share": i18n.active().percent(event.percent)}
        return f"{share} · {kind_label(event.kind)}"
    return kind_label(event.kind)


def plan_cards(site, site_name: str) -> list[SiteFileUnit]:
    """A card unit per article; what it shows (path and text) is its identity, so an unchanged article's
    card is not drawn again."""
    units = []
    for article in site.articles:
        text = CardText(site_name, article.title, i18n.active().date(article.date),
                        key_figure(article))
        path = card_path(article.path)
        units.append(SiteFileUnit(f"card:{path}", (path,), f"the social card of {article.source}",
                                  (path, text), _card))
    return units


def _card(shows: tuple[str, CardText], ctx: RenderContext, reads) -> list[RenderedFile]:
    path, text = shows
    return [RenderedFile(path, draw_card(text, font_dir(ctx.template_dirs)))]


def font_dir(template_dirs: tuple[Path, ...]) -> Path:
    """The fonts folder of the theme: beside the first templates folder that has one."""
    for folder in template_dirs:
        if (folder.parent / "fonts" / HEADLINE_FONT).is_file():
            return folder.parent / "fonts"
    return Path(__file__).resolve().parent.parent / "themes" / "default" / "fonts"


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


@functools.lru_cache(maxsize=32)
def _font(path: Path, size: int):
    """A font loaded once per process and size: loading one costs more than drawing a card's text."""
    from PIL import ImageFont

    return ImageFont.truetype(str(path), size)


def _headline(draw, text: str, fonts: Path, width: int):
    """The headline in the largest size that fits; at the smallest size, cut with an ellipsis."""
    for size in HEADLINE_SIZES:
        font = _font(fonts / HEADLINE_FONT, size)
        lines = _wrap(draw, text, font, width)
        if len(lines) <= HEADLINE_LINES:
            return font, size, lines
    kept = lines[:HEADLINE_LINES]
    while kept[-1] and draw.textlength(kept[-1] + " …", font=font) > width:
        kept[-1] = kept[-1].rsplit(" ", 1)[0] if " " in kept[-1] else kept[-1][:-1]
    kept[-1] += " …"
    return font, size, kept


def draw_card(text: CardText, fonts: Path) -> bytes:
    """The card as PNG bytes: accent bar, site name, headline, key figure, date."""
    from PIL import Image, ImageDraw  # only builds that draw cards pay for the import

    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    width = WIDTH - 2 * MARGIN
    draw.rectangle((0, 0, WIDTH, 14), fill=ACCENT)
    label = _font(fonts / LABEL_FONT, 30)
    draw.text((MARGIN, 64), text.site_name.upper(), font=label, fill=ACCENT)
    font, size, lines = _headline(draw, text.headline, fonts, width)
    y = 130
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=TEXT)
        y += round(size * 1.22)
    if text.figure:
        figure = _font(fonts / LABEL_FONT, 40)
        draw.rectangle((MARGIN, 478, MARGIN + 8, 528), fill=ACCENT)
        draw.text((MARGIN + 28, 480), text.figure, font=figure, fill=ACCENT)
    draw.line((MARGIN, 556, WIDTH - MARGIN, 556), fill="#dcd8d0", width=2)
    draw.text((MARGIN, 570), text.dateline, font=label, fill=MUTED)
    out = io.BytesIO()
    # No text chunks, no time: byte-stable. Level 6 is zlib's default: a few per cent larger than 9 in
    # about half the time, which a build drawing thousands of cards notices.
    image.save(out, "PNG", optimize=False, compress_level=6)
    return out.getvalue()

"""Social cards: the 1200×630 PNG a social network shows when a page's link is shared.

One `SiteFileUnit` per article, company, topic, weekly issue, the tracker and the home page, planned here
and drawn with Pillow from what the card shows (headline, site name, a date line, a key figure: the people
affected by an article's first event, a company's events), in the fonts shipped with the theme
(`themes/<theme>/fonts/`) so a card looks the same on every machine. An article with a lead image has it
behind its text, darkened so the headline stays readable. The PNG carries no metadata and no timestamp:
the same page gives the same bytes on every build.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path

from . import i18n, urls
from .charts import kind_label
from .content import Article
from .figures import add, total
from .images import SourceImage, oriented
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
    kicker: str = ""  # what kind of page, after the site name: "Company", "Topic"


@dataclass(frozen=True, slots=True)
class Background:
    """A lead image behind a card: its file, and its hash so a new picture draws the card again."""

    file: str
    sha256: str

    @classmethod
    def of(cls, image: SourceImage | None) -> "Background | None":
        return cls(image.file, image.sha256) if image else None


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


def _day(moment) -> str:
    return i18n.active().date(moment)


def _people(figure) -> str:
    one = figure.value == 1 and figure.qualifier == "exactly"
    return (_("%(n)s person") if one else _("%(n)s people")) % {"n": figure.words}


def _events_figure(events) -> str:
    """"3 events · at least 1,200 people": what a company, the tracker or a week counts."""
    people = total(events).figure
    return i18n.events(len(events)) + (f" · {_people(people)}" if people else "")


def _latest(articles) -> str:
    return _("Latest: %(date)s") % {"date": _day(articles[0].date)} if articles else ""


def page_cards(site, config) -> list[tuple[str, CardText, Background | None]]:
    """(page path, what its card shows, its background) for every page that has a card."""
    name = config.title
    cards = [(a.path, CardText(name, a.title, _day(a.date), key_figure(a)), Background.of(a.image and a.image.image))
             for a in site.articles]
    companies = i18n.ngettext("%(n)s company", "%(n)s companies", len(site.companies))
    cards.append(("", CardText(name, config.description or name, _latest(site.articles),
                               i18n.stories(len(site.articles)) + " · "
                               + companies % {"n": i18n.active().number(len(site.companies))}), None))
    for company in site.companies:
        figure = _events_figure(company.events) if company.events else i18n.stories(len(company.articles))
        cards.append((company.ref.path,
                      CardText(name, company.ref.name, _latest(company.articles), figure, _("Company")), None))
    for tag in site.tags:
        cards.append((tag.ref.path, CardText(name, tag.ref.name, _latest(tag.articles), i18n.stories(len(tag.articles)),
                                             _("Topic")), None))
    newest_event = _("Latest event: %(date)s") % {"date": _day(site.events[0].date)} if site.events else ""
    cards.append(("tracker/", CardText(name, _("Restructuring tracker"), newest_event, _events_figure(site.events),
                                       _("Tracker")), None))
    for week in site.weeks:
        cards.append((week.path, CardText(name, week.title, i18n.stories(len(week.articles)),
                                          _events_figure(week.events) if week.events else "", _("Weekly")), None))
    return cards


def plan_cards(site, config) -> list[SiteFileUnit]:
    """A card unit per page that has one; what it shows (path, text, background) is its identity, so an
    unchanged page's card is not drawn again."""
    units = []
    for page_path, text, background in page_cards(site, config):
        path = card_path(page_path)
        units.append(SiteFileUnit(f"card:{path}", (path,), f"the social card of /{page_path}",
                                  (path, text, background), _card))
    return units


def _card(shows: tuple[str, CardText, Background | None], ctx: RenderContext, reads) -> list[RenderedFile]:
    path, text, background = shows
    return [RenderedFile(path, draw_card(text, font_dir(ctx.template_dirs), background))]


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


def _backdrop(background: Background):
    """The lead image cropped to the card, blurred and darkened so white text on it stays readable (contrast
    above 7:1 on a white picture). The blur keeps words and figures drawn in the picture from showing through
    the card's own text."""
    from PIL import Image, ImageFilter, ImageOps

    image = ImageOps.fit(oriented(background.file).convert("RGB"), (WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    # Blurred at a quarter of the size and scaled back up: about 25 ms a card, against about 70 ms for a
    # Gaussian blur as wide at full size.
    small = image.resize((WIDTH // 4, HEIGHT // 4), Image.Resampling.BOX).filter(ImageFilter.GaussianBlur(4))
    image = small.resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC)
    return Image.blend(image, Image.new("RGB", (WIDTH, HEIGHT), "#000000"), 0.68)


# What each part of a card is drawn in: on the theme's background, and over a darkened lead image.
_PLAIN = {"bar": ACCENT, "accent": ACCENT, "text": TEXT, "muted": MUTED, "rule": "#dcd8d0"}
_OVER_IMAGE = {"bar": ACCENT, "accent": "#ffb3a8", "text": "#ffffff", "muted": "#e4e1dc", "rule": "#8a867f"}


def _draw_parts(draw, text: CardText, fonts: Path, fill, mark) -> None:
    """Every part of the card, drawn on `draw` in fill(role); mark(box, role) is told where each went."""
    def rect(box, role):
        draw.rectangle(box, fill=fill(role))
        mark((box[0], box[1], box[2] + 1, box[3] + 1), role)

    def write(xy, words, font, role):
        draw.text(xy, words, font=font, fill=fill(role))
        mark(draw.textbbox(xy, words, font=font), role)

    width = WIDTH - 2 * MARGIN
    rect((0, 0, WIDTH, 14), "bar")
    label = _font(fonts / LABEL_FONT, 30)
    write((MARGIN, 64), " · ".join(filter(None, (text.site_name, text.kicker))).upper(), label, "accent")
    font, size, lines = _headline(draw, text.headline, fonts, width)
    y = 130
    for line in lines:
        write((MARGIN, y), line, font, "text")
        y += round(size * 1.22)
    if text.figure:
        rect((MARGIN, 478, MARGIN + 8, 528), "accent")
        write((MARGIN + 28, 480), text.figure, _font(fonts / LABEL_FONT, 40), "accent")
    draw.line((MARGIN, 556, WIDTH - MARGIN, 556), fill=fill("rule"), width=2)
    mark((MARGIN, 554, WIDTH - MARGIN + 1, 559), "rule")
    write((MARGIN, 570), text.dateline, label, "muted")


def draw_card(text: CardText, fonts: Path, background: Background | None = None) -> bytes:
    """The card as PNG bytes: accent bar, site name, headline, key figure, date; over the lead image
    when there is one."""
    from PIL import Image, ImageDraw  # only builds that draw cards pay for the import

    out = io.BytesIO()
    if background:
        image = _backdrop(background)
        _draw_parts(ImageDraw.Draw(image), text, fonts, _OVER_IMAGE.__getitem__, lambda box, role: None)
        # A photograph does not fit a palette; zlib's default level keeps these few cards small.
        image.save(out, "PNG", optimize=False, compress_level=6)
        return out.getvalue()
    # Drawn as ink coverage on a greyscale layer, then saved as a palette image whose colours are the
    # background blended with each ink in _SHADES steps: a third of the RGB image's bytes to filter and
    # compress, which made encoding the PNG most of a cold build's time (22 of 27 ms a card).
    coverage = Image.new("L", (WIDTH, HEIGHT), 0)
    regions: list[tuple[tuple[int, int, int, int], int]] = []  # (box, ink) in drawing order
    _draw_parts(ImageDraw.Draw(coverage), text, fonts, lambda role: 255,
                lambda box, role: regions.append((tuple(int(v) for v in box), _INKS.index(_PLAIN[role]))))
    image = Image.new("P", (WIDTH, HEIGHT), 0)
    image.putpalette(_palette())
    for box, index in regions:
        box = (max(box[0], 0), max(box[1], 0), min(box[2], WIDTH), min(box[3], HEIGHT))
        image.paste(coverage.crop(box).point(_shade_table(index)), box[:2])
    # No text chunks, no time: byte-stable. Level 1: about 32 KB a card against 24 KB at zlib's default
    # level 6 (and 52 KB for the RGB drawing), in a third of the time, which a build drawing thousands of
    # cards notices.
    image.save(out, "PNG", optimize=False, compress_level=1)
    return out.getvalue()


_INKS = (ACCENT, TEXT, MUTED, _PLAIN["rule"])
_SHADES = 64  # anti-aliasing steps per ink: 4 × 64 palette entries


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


@functools.cache
def _palette() -> list[int]:
    """Entry ink × _SHADES + step: the background blended with the ink at step / (_SHADES − 1)."""
    back = _rgb(BACKGROUND)
    entries = []
    for colour in _INKS:
        fore = _rgb(colour)
        for step in range(_SHADES):
            entries += [round(b + (f - b) * step / (_SHADES - 1)) for b, f in zip(back, fore)]
    return entries


@functools.cache
def _shade_table(ink: int) -> list[int]:
    """Coverage 0–255 → the palette entry of that ink's nearest step."""
    return [ink * _SHADES + round(v * (_SHADES - 1) / 255) for v in range(256)]

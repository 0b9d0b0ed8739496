"""Social cards: a 1200×630 PNG per article, byte-stable, and every og:image pointing at a file."""

import io

import lxml.html
from PIL import Image

from digest.cards import CardText, draw_card, font_dir, key_figure
from sitetools import article, build_site_at, site_model

BASE = "https://fixture.example.org/news/"


def article_folders(output):
    return sorted(p.parent for p in output.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"))


def test_every_article_gets_a_1200_by_630_png_card(fixture_site):
    build_site_at(fixture_site)
    folders = article_folders(fixture_site / "public")
    assert folders
    for folder in folders:
        with Image.open(folder / "card.png") as card:
            assert (card.format, card.size) == ("PNG", (1200, 630))


def test_cards_are_byte_identical_across_cold_builds(fixture_site):
    build_site_at(fixture_site, output_dir=fixture_site / "one", cache=False)
    build_site_at(fixture_site, output_dir=fixture_site / "two", cache=False)
    one = {p.relative_to(fixture_site / "one"): p.read_bytes() for p in (fixture_site / "one").rglob("card.png")}
    two = {p.relative_to(fixture_site / "two"): p.read_bytes() for p in (fixture_site / "two").rglob("card.png")}
    assert one and one == two


def test_card_png_carries_no_metadata_chunks(tmp_path):
    data = draw_card(CardText("Site", "A headline", "March 1, 2025", ""), font_dir(()))
    with Image.open(io.BytesIO(data)) as card:
        assert card.info == {}  # no tEXt, tIME or dpi: nothing that differs between machines or runs


def test_every_og_image_and_twitter_image_resolves_to_a_file_in_the_output(fixture_site):
    build_site_at(fixture_site)
    output = fixture_site / "public"
    checked = 0
    for page in output.rglob("*.html"):
        doc = lxml.html.fromstring(page.read_bytes())
        for image in doc.xpath('//meta[@property="og:image" or @name="twitter:image"]/@content'):
            assert image.startswith(BASE), image
            assert (output / image[len(BASE):]).is_file(), f"{page}: {image}"
            checked += 1
    assert checked >= 2 * len(article_folders(output))


def test_key_figure_is_the_people_affected_by_the_first_event(tmp_path):
    events = "\n  - {company: Acme, date: 2025-03-01, kind: layoff, affected: 120}" \
             "\n  - {company: Acme, date: 2025-02-01, kind: closure, affected: 9}"
    site, problems = site_model(tmp_path, {"content/articles/a.md": article(events=events)})
    assert key_figure(site.articles[0]) == "120 people · Layoff"


def test_key_figure_is_empty_without_events(tmp_path):
    site, problems = site_model(tmp_path, {"content/articles/a.md": article()})
    assert key_figure(site.articles[0]) == ""


def test_card_is_drawn_in_the_themes_colours_with_antialiased_edges(tmp_path):
    data = draw_card(CardText("Site", "A headline", "March 1, 2025", "12 people · Layoff"), font_dir(()))
    with Image.open(io.BytesIO(data)) as card:
        rgb = card.convert("RGB")
    assert rgb.getpixel((5, 5)) == (0xa3, 0x26, 0x1b)  # the accent bar
    assert rgb.getpixel((5, 300)) == (0xfd, 0xfc, 0xfa)  # the background
    headline = {rgb.getpixel((x, y)) for x in range(80, 400) for y in range(130, 200)}
    assert (0x1d, 0x1f, 0x21) in headline and len(headline) > 10  # full ink and steps between


def test_home_company_tag_tracker_and_weekly_pages_get_cards_named_in_their_meta_tags(fixture_site):
    build_site_at(fixture_site)
    output = fixture_site / "public"
    pages = [output / "index.html", output / "tracker/index.html",
             next(output.glob("companies/*/index.html")), next(output.glob("tags/*/index.html")),
             next(output.glob("weekly/*/index.html"))]
    for page in pages:
        doc = lxml.html.fromstring(page.read_bytes())
        assert doc.xpath('//meta[@name="twitter:card"]/@content') == ["summary_large_image"], page
        (image,) = doc.xpath('//meta[@property="og:image"]/@content')
        folder = page.parent.relative_to(output).as_posix()
        assert image == BASE + ("" if folder == "." else folder + "/") + "card.png", page
        with Image.open(page.parent / "card.png") as card:
            assert (card.format, card.size) == ("PNG", (1200, 630))


def test_a_company_card_counts_its_events_and_people(tmp_path):
    from digest.cards import page_cards
    from digest.config import load_config

    events = "\n  - {company: Acme, date: 2025-03-01, kind: layoff, affected: 120}" \
             "\n  - {company: Acme, date: 2025-02-01, kind: closure, affected: 9}"
    site, problems = site_model(tmp_path, {"content/articles/a.md": article(companies="[Acme]", events=events)})
    (tmp_path / "site.yaml").write_text("title: T\nbase_url: https://t.example.org/\n")
    cards = {path: text for path, text, _ in page_cards(site, load_config(tmp_path / "site.yaml"))}
    assert (cards["companies/acme/"].headline, cards["companies/acme/"].figure) == ("Acme", "2 events · 129 people")
    assert cards["tracker/"].figure == "2 events · 129 people"


def test_a_card_blurs_its_lead_image_so_words_in_the_picture_do_not_show_through(tmp_path):
    from digest.cards import Background

    picture = Image.new("RGB", (1200, 630), "white")
    picture.paste((0, 0, 0), (900, 0, 1200, 630))  # a sharp edge where the card draws nothing over it
    picture.save(tmp_path / "lead.png")
    data = draw_card(CardText("Site", "A headline", "March 1, 2025", ""), font_dir(()),
                     Background(str(tmp_path / "lead.png"), "x"))
    with Image.open(io.BytesIO(data)) as card:
        rgb = card.convert("RGB")
    left, right = rgb.getpixel((896, 620))[1], rgb.getpixel((904, 620))[1]
    assert 0 < left - right < 40  # darkened, not blurred, the step would be 0.32 × 255 ≈ 82

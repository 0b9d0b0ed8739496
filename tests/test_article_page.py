"""What readers get on an article page without a browser: related stories, reading time, breadcrumbs,
page weight, nothing loaded from another site, a search box on every page."""

import re

import lxml.html

from sitetools import article, build_site_at


def page(root, path):
    return lxml.html.fromstring((root / "public" / path).read_bytes())


def test_related_stories_prefer_shared_companies_then_tags_then_newest(site):
    root = site({
        "content/articles/main.md": article("Main", "2025-03-10", companies="[Acme, Globex]", tags="[cuts, ai]"),
        "content/articles/both.md": article("Both companies", "2025-01-01", companies="[Acme, Globex]"),
        "content/articles/one.md": article("One company, two tags", "2025-02-01", companies="[Acme]", tags="[cuts, ai]"),
        "content/articles/one-newer.md": article("One company, newer", "2025-02-02", companies="[Acme]"),
        "content/articles/tags.md": article("Tags only", "2025-03-09", tags="[cuts, ai]"),
        "content/articles/none.md": article("Unrelated", "2025-03-11"),
    })
    report = build_site_at(root)
    (main,) = [a for a in report.site.articles if a.slug == "main"]
    assert [a.title for a in report.site.related_to(main)] == [
        "Both companies", "One company, two tags", "One company, newer"]
    titles = [a.text_content() for a in page(root, "2025/03/main/index.html").xpath(
        '//aside[@class="related"]//h2[@class="card-title"]/a')]
    assert titles == ["Both companies", "One company, two tags", "One company, newer"]

def test_article_shows_reading_time_and_breadcrumbs(fixture_site):
    build_site_at(fixture_site)
    doc = page(fixture_site, "2025/01/socgen-cuts/index.html")
    assert "1 min read" in doc.xpath('string(//p[@class="meta"])')
    assert [a.text for a in doc.xpath('//nav[@class="breadcrumbs"]/a')] == ["Latest", "2025", "January"]

def test_article_page_weighs_less_than_60_kb_with_its_css_and_js(fixture_site):
    build_site_at(fixture_site)
    public = fixture_site / "public"
    html = (public / "2025/01/socgen-cuts/index.html").read_bytes()
    doc = lxml.html.fromstring(html)
    assets = doc.xpath('//link[@rel="stylesheet"]/@href') + doc.xpath("//script/@src")
    total = len(html) + sum((public / a.removeprefix("/news/")).stat().st_size for a in assets)
    assert total < 60_000, total

def test_no_page_loads_anything_from_another_site(fixture_site):
    build_site_at(fixture_site)
    for path in (fixture_site / "public").rglob("*.html"):
        doc = lxml.html.fromstring(path.read_bytes())
        for url in doc.xpath("//script/@src | //link[@rel='stylesheet']/@href | //img/@src | //iframe/@src"):
            assert not re.match(r"(https?:)?//", url), (path, url)

def test_every_page_has_a_search_box(fixture_site):
    build_site_at(fixture_site)
    for path in ("index.html", "2025/01/socgen-cuts/index.html", "companies/acme/index.html", "404.html"):
        form = page(fixture_site, path).xpath('//form[@role="search"]')[0]
        assert form.get("action") == "/news/search/" and form.xpath(".//input[@name='q']")


def test_standfirst_is_the_summary_under_the_headline(site):
    root = site({"content/articles/a.md": article(summary="What happened, in a line.")})
    build_site_at(root)
    doc = page(root, "2025/03/a/index.html")
    (standfirst,) = doc.xpath('//h1/following-sibling::p[@class="standfirst"]')
    assert standfirst.text == "What happened, in a line."


def test_dateline_shows_the_time_in_the_sites_zone(site):
    root = site({"content/articles/a.md": article(date="2025-07-16T22:00:00Z")},
                config="title: T\nbase_url: https://t.example/\ntimezone: America/Chicago\n")
    build_site_at(root)
    assert "5:00 PM CDT" in page(root, "2025/07/a/index.html").xpath('string(//p[@class="meta"])')


def test_a_date_written_in_another_zone_falls_in_the_sites_day_month_and_archive(site):
    root = site({"content/articles/a.md": article(date="2025-11-01T03:00:00+02:00")},  # Oct 31, 8 PM in Chicago
                config="title: T\nbase_url: https://t.example/\ntimezone: America/Chicago\n")
    build_site_at(root)
    doc = page(root, "2025/10/a/index.html")
    assert "October 31, 2025" in doc.xpath('string(//p[@class="meta"])')
    assert doc.xpath('//nav[@class="breadcrumbs"]/a/@href')[-1].endswith("/2025/10/")
    assert page(root, "2025/10/index.html").xpath('//a[contains(@href, "/2025/10/a/")]')


def test_updated_line_names_a_newer_correction_and_links_to_the_box_above_the_body(site):
    root = site({"content/articles/a.md": article(
        date="2025-07-16", updated="2025-07-17",
        corrections='\n  - {date: 2025-07-18, note: "The figure was 200."}')})
    build_site_at(root)
    doc = page(root, "2025/07/a/index.html")
    assert doc.xpath('string(//p[@class="updated"])') == "Updated July 18, 2025: corrected"
    assert doc.xpath('//p[@class="updated"]/a/@href') == ["#corrections-title"]
    assert doc.xpath('//section[@class="corrections"]/following-sibling::div[@class="body"]')


def test_updated_line_gives_the_updated_date_without_corrections(site):
    root = site({"content/articles/a.md": article(date="2025-07-16", updated="2025-07-19")})
    build_site_at(root)
    assert page(root, "2025/07/a/index.html").xpath('string(//p[@class="updated"])') == "Updated July 19, 2025"

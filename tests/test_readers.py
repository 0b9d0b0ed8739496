"""What readers and search engines get without a browser: metadata, sitemaps, related stories, link check,
page weight and the search index."""

import json
import re
from xml.etree import ElementTree

import lxml.html
import pytest

from digest import search
from sitetools import article, build_errors, build_site_at

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def page(root, path):
    return lxml.html.fromstring((root / "public" / path).read_bytes())


def test_article_has_title_description_canonical_and_social_tags(fixture_site):
    build_site_at(fixture_site)
    doc = page(fixture_site, "2025/01/socgen-cuts/index.html")
    meta = {m.get("property") or m.get("name"): m.get("content") for m in doc.xpath("//meta[@content]")}
    assert doc.findtext(".//title") == "SocGen cuts 900 jobs & closes branches · Fixture Digest"
    assert meta["description"].startswith("Société Générale announced 900 job cuts.")
    assert meta["og:type"] == "article" and meta["og:title"].startswith("SocGen cuts 900 jobs & closes")
    assert meta["og:url"] == "https://fixture.example.org/news/2025/01/socgen-cuts/"
    assert meta["article:published_time"] == "2025-01-10T00:00:00+01:00"
    assert meta["twitter:card"] == "summary"


def test_article_has_news_article_json_ld(fixture_site):
    build_site_at(fixture_site)
    doc = page(fixture_site, "2025/01/socgen-cuts/index.html")
    (script,) = doc.xpath('//script[@type="application/ld+json"]/text()')
    data = json.loads(script)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "SocGen cuts 900 jobs & closes branches"
    assert data["datePublished"] == data["dateModified"] == "2025-01-10T00:00:00+01:00"
    assert data["author"] == [{"@type": "Person", "name": "Ana Ruiz", "url": "https://fixture.example.org/ana"}]
    assert data["publisher"]["name"] == "Fixture Digest"
    assert [a["name"] for a in data["about"]] == ["Société Générale"]


def test_json_ld_cannot_be_broken_out_of_by_a_title(site):
    root = site({"content/articles/a.md": article("'</script><script>alert(1)</script>'")})
    build_site_at(root)
    raw = (root / "public/2025/03/a/index.html").read_text()
    assert raw.count("<script>alert") == 0


def test_sitemap_lists_every_public_page_with_lastmod(fixture_site):
    build_site_at(fixture_site)
    tree = ElementTree.parse(fixture_site / "public/sitemap.xml")
    entries = {u.findtext(SM + "loc"): u.findtext(SM + "lastmod") for u in tree.getroot()}
    html_pages = {p.relative_to(fixture_site / "public").as_posix().removesuffix("index.html")
                  for p in (fixture_site / "public").rglob("index.html") if "search" not in p.parts}
    assert set(entries) == {"https://fixture.example.org/news/" + p for p in html_pages}
    assert entries["https://fixture.example.org/news/2025/02/acme-closure/"] == "2025-02-03"
    assert entries["https://fixture.example.org/news/companies/acme/"] == "2025-02-03"


def test_robots_points_to_both_sitemaps(fixture_site):
    build_site_at(fixture_site)
    text = (fixture_site / "public/robots.txt").read_text()
    assert "Sitemap: https://fixture.example.org/news/sitemap.xml" in text
    assert "Sitemap: https://fixture.example.org/news/news-sitemap.xml" in text


def test_news_sitemap_has_the_last_two_days_by_the_newest_article(site):
    root = site({f"content/articles/a{d}.md": article(f"A{d}", f"2025-03-{d:02d}T12:00:00+00:00")
                 for d in (1, 5, 6, 7)})
    build_site_at(root)
    tree = ElementTree.parse(root / "public/news-sitemap.xml")
    titles = [u.findtext(f"{NEWS}news/{NEWS}title") for u in tree.getroot()]
    assert titles == ["A7", "A6", "A5"]
    first = tree.getroot()[0]
    assert first.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}name") == "Test Digest"


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
    assert [a.title for a in report.site.related["main"]] == [
        "Both companies", "One company, two tags", "One company, newer"]
    titles = [a.text_content() for a in page(root, "2025/03/main/index.html").xpath(
        '//aside[@class="related"]//h2[@class="card-title"]/a')]
    assert titles == ["Both companies", "One company, two tags", "One company, newer"]


def test_article_shows_reading_time_and_breadcrumbs(fixture_site):
    build_site_at(fixture_site)
    doc = page(fixture_site, "2025/01/socgen-cuts/index.html")
    assert "1 min read" in doc.xpath('string(//p[@class="meta"])')
    assert [a.text for a in doc.xpath('//nav[@class="breadcrumbs"]/a')] == ["Latest", "Companies", "Société Générale"]


def test_broken_internal_link_is_an_error_naming_page_and_link(site):
    root = site({"content/articles/a.md": article(body="See [the tracker](/trackr/) and ![x](/media/none.png).")})
    assert build_errors(root) == [
        "content/articles/a.md: link '/media/none.png' leads nowhere (on 2025/03/a/index.html)",
        "content/articles/a.md: link '/trackr/' leads nowhere (on 2025/03/a/index.html)",
    ]


def test_links_above_the_site_folder_are_broken(site):
    config = "title: T\nbase_url: https://t.example/news/\n"
    root = site({"content/articles/a.md": article(body="[up](/elsewhere/)")}, config=config)
    assert build_errors(root) == ["content/articles/a.md: link '/elsewhere/' leads nowhere (on 2025/03/a/index.html)"]


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


@pytest.mark.skipif(search.pagefind_command() is None, reason="pagefind is not installed")
def test_search_index_is_built_and_identical_across_builds(fixture_site, tmp_path):
    build_site_at(fixture_site, output_dir=tmp_path / "a", search=True)
    build_site_at(fixture_site, output_dir=tmp_path / "b", search=True)
    index_a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a/pagefind").rglob("*") if p.is_file()}
    index_b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b/pagefind").rglob("*") if p.is_file()}
    assert index_a and index_a == index_b
    assert (tmp_path / "a/pagefind/pagefind.js").is_file()


def test_without_pagefind_the_build_says_how_to_get_it(fixture_site, monkeypatch):
    monkeypatch.setattr(search, "pagefind_command", lambda: None)
    report = build_site_at(fixture_site, search=True)
    assert report.notes == ("search index not built: pagefind is not installed (pip install 'pagefind[bin]')",)
    assert not (fixture_site / "public/pagefind").exists()

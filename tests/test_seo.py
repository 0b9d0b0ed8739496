"""What search engines read: metadata and social tags, JSON-LD, the sitemaps and robots.txt."""

import json
from xml.etree import ElementTree

import lxml.html

from sitetools import article, build_site_at

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

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
    assert meta["og:type"] == "article" and meta["og:title"] == "SocGen cuts 900 jobs & closes branches"
    assert meta["og:url"] == "https://fixture.example.org/news/2025/01/socgen-cuts/"
    assert meta["article:published_time"] == "2025-01-10T00:00:00+01:00"
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["og:image"] == meta["twitter:image"] == "https://fixture.example.org/news/2025/01/socgen-cuts/card.png"
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["og:image:alt"] == "SocGen cuts 900 jobs & closes branches"
    assert meta["og:site_name"] == "Fixture Digest" and meta["og:locale"] == "en"
    assert meta["robots"] == "max-image-preview:large" and "theme-color" in meta


def test_article_tags_name_its_authors_companies_and_topics(fixture_site):
    build_site_at(fixture_site)
    doc = page(fixture_site, "2025/01/socgen-cuts/index.html")
    assert doc.xpath('//meta[@property="article:author"]/@content') == ["https://fixture.example.org/ana"]
    tags = doc.xpath('//meta[@property="article:tag"]/@content')
    assert "Société Générale" in tags and len(tags) == len(set(tags)) > 1
    assert doc.xpath('//meta[@property="article:section"]/@content') == [tags[1]]


def test_modified_time_is_the_newest_of_updated_and_corrections(site):
    root = site({"content/articles/a.md": article(
        date="2025-07-16T17:00:00Z", updated="2025-07-17T09:00:00Z",
        corrections="\n  - {date: 2025-07-18, note: \"The figure was 200, not 300.\"}")})
    build_site_at(root)
    doc = page(root, "2025/07/a/index.html")
    assert doc.xpath('//meta[@property="article:modified_time"]/@content') == ["2025-07-18T00:00:00+00:00"]
    data = json.loads(doc.xpath('//script[@type="application/ld+json"]/text()')[0])
    assert data["dateModified"] == "2025-07-18T00:00:00+00:00"
    assert data["image"] == ["https://test.example.org/2025/07/a/card.png"]


def test_unmodified_article_has_no_modified_time(site):
    root = site({"content/articles/a.md": article(date="2025-07-16")})
    build_site_at(root)
    assert page(root, "2025/07/a/index.html").xpath('//meta[@property="article:modified_time"]') == []


def test_organization_authors_are_organizations_in_json_ld(site):
    root = site({"content/articles/a.md": article(authors="[desk]")},
                config="title: T\nbase_url: https://t.example/\nauthors:\n  desk:\n    name: Desk\n"
                       "    kind: organization\n    bio: The newsroom.\n")
    build_site_at(root)
    data = json.loads(page(root, "2025/03/a/index.html").xpath('//script[@type="application/ld+json"]/text()')[0])
    assert data["author"] == [{"@type": "Organization", "name": "Desk"}]

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

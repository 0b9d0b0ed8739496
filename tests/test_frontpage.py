"""The front page's lead and rail, `kind:` and `featured:`, /corrections/ and its feeds, share links and the
feeds' stylesheet for browsers, read from built sites (parsed, not string-matched)."""

import json
import re
from datetime import date, datetime, timezone

import feedparser
import lxml.etree
import lxml.html

from digest.frontpage import Quarter, front_page, next_quarter
from sitetools import article, build_errors, build_site_at, site_model


def page(root, path):
    return lxml.html.fromstring((root / "public" / path).read_bytes())


def text(doc, xpath):
    return [" ".join(e.text_content().split()) for e in doc.xpath(xpath)]


def event(company, day, kind="layoff"):
    return f"\n  - company: {company}\n    date: {day}\n    kind: {kind}"


def test_newest_article_leads_the_home_page_and_the_others_follow_once(site):
    root = site({f"content/articles/{n}.md": article(f"Story {n}", f"2025-03-0{n}", takeaways="[First point]")
                 for n in (1, 2, 3)})
    build_site_at(root)
    home = page(root, "index.html")
    assert text(home, '//article[@class="lead-story"]/h2/a') == ["Story 3"]
    assert text(home, '//ul[@class="lead-takeaways"]/li') == ["First point"]
    assert text(home, '//section[@class="more-stories"]//h2[@class="card-title"]/a') == ["Story 2", "Story 1"]


def test_the_newest_featured_article_leads_instead_of_the_newest(site):
    root = site({
        "content/articles/old.md": article("Old featured", "2025-01-01", featured="true"),
        "content/articles/mid.md": article("Mid featured", "2025-02-01", featured="true"),
        "content/articles/new.md": article("Newest", "2025-03-01"),
    })
    build_site_at(root)
    home = page(root, "index.html")
    assert text(home, '//article[@class="lead-story"]/h2/a') == ["Mid featured"]
    assert text(home, '//section[@class="more-stories"]//h2[@class="card-title"]/a') == ["Newest", "Old featured"]


def test_rail_counts_the_build_dates_quarter_and_lists_the_latest_events(tmp_path):
    site, _ = site_model(tmp_path, {
        "content/articles/a.md": article("A", "2025-05-01", events=event("Acme", "2025-04-02")
                                         + event("Acme", "2025-05-01") + event("Globex", "2025-05-02")
                                         + event("Initech", "2025-03-30")),
    })
    front = front_page(site.articles, site.articles, site.events, date(2025, 6, 30))
    assert front.quarter == Quarter(2025, 2) and front.current_quarter
    assert [(c.company.name, c.events) for c in front.busiest] == [("Acme", 2), ("Globex", 1)]
    assert [e.date for e in front.latest_events] == [date(2025, 5, 2), date(2025, 5, 1), date(2025, 4, 2),
                                                     date(2025, 3, 30)]


def test_rail_names_the_latest_quarter_with_events_when_this_one_has_none(tmp_path):
    site, _ = site_model(tmp_path, {
        "content/articles/a.md": article("A", "2025-05-01", events=event("Acme", "2025-05-01"))})
    front = front_page(site.articles, site.articles, site.events, date(2026, 11, 25))
    assert front.quarter == Quarter(2025, 2) and not front.current_quarter
    assert [c.company.name for c in front.busiest] == ["Acme"]


def test_next_quarter_starts_on_the_first_day_of_its_first_month():
    zone = timezone.utc
    assert next_quarter(datetime(2025, 11, 25, tzinfo=zone), zone) == datetime(2026, 1, 1, tzinfo=zone)
    assert next_quarter(datetime(2025, 4, 1, tzinfo=zone), zone) == datetime(2025, 7, 1, tzinfo=zone)
    assert next_quarter(datetime(2025, 3, 31, tzinfo=zone), zone) == datetime(2025, 4, 1, tzinfo=zone)


def test_home_rail_quarter_follows_the_build_time(site):
    root = site({"content/articles/a.md": article("A", "2025-05-01", events=event("Acme", "2025-05-01"))})
    build_site_at(root, now=datetime(2025, 6, 1, tzinfo=timezone.utc))
    assert text(page(root, "index.html"), '//h2[@id="rail-busiest-title"]') == ["Most events this quarter"]
    build_site_at(root, now=datetime(2025, 8, 1, tzinfo=timezone.utc))
    assert text(page(root, "index.html"), '//h2[@id="rail-busiest-title"]') == ["Most events in Q2 2025"]


def test_kind_is_a_kicker_on_cards_and_pages_a_feed_category_and_a_json_ld_type(site):
    root = site({
        "content/articles/a.md": article("An opinion", "2025-03-02", kind="opinion"),
        "content/articles/b.md": article("An analysis", "2025-03-01", kind="analysis"),
        "content/articles/c.md": article("Plain news", "2025-02-01"),
    })
    build_site_at(root)
    home = page(root, "index.html")
    assert text(home, '//p[contains(@class, "kicker")]') == ["Opinion", "Analysis"]  # news is not labelled
    opinion = page(root, "2025/03/a/index.html")
    assert text(opinion, '//article[@class="article"]/header/p[contains(@class, "kicker")]') == ["Opinion"]
    json_ld = json.loads(opinion.xpath('//script[@type="application/ld+json"]')[0].text)
    assert json_ld["@type"] == "OpinionNewsArticle"
    news = json.loads(page(root, "2025/02/c/index.html").xpath('//script[@type="application/ld+json"]')[0].text)
    assert news["@type"] == "NewsArticle"
    entries = feedparser.parse((root / "public/feed.xml").read_bytes()).entries
    assert [[t.term for t in e.get("tags", [])] for e in entries] == [["Opinion"], ["Analysis"], []]


def test_unknown_kind_is_a_located_error(site):
    root = site({"content/articles/a.md": article("A", "2025-03-01", kind="editorial")})
    assert build_errors(root) == [
        "content/articles/a.md:4:7: kind: 'editorial' is not a kind of article; use one of news, analysis, "
        "opinion, explainer"]


def corrected(title, day, *fixes):
    lines = "".join(f"\n  - date: {d}\n    note: {note}" for d, note in fixes)
    return article(title, day, corrections=lines)


def test_corrections_page_lists_every_correction_newest_first(site):
    root = site({
        "content/articles/a.md": corrected("Story A", "2025-01-01", ("2025-01-05", "Fix one"),
                                           ("2025-02-01", "Fix three")),
        "content/articles/b.md": corrected("Story B", "2025-01-02", ("2025-01-10", "Fix two")),
        "content/articles/c.md": article("Never wrong", "2025-01-03"),
    })
    build_site_at(root)
    doc = page(root, "corrections/index.html")
    rows = [(li.xpath('string(.//time/@datetime)'), li.xpath('string(.//h2/a)'), li.xpath('string(.//h2/a/@href)'),
             li.xpath('string(p[last()])')) for li in doc.xpath('//ol[@class="corrections-list"]/li')]
    assert rows == [("2025-02-01", "Story A", "/2025/01/a/#corrections-title", "Fix three"),
                    ("2025-01-10", "Story B", "/2025/01/b/#corrections-title", "Fix two"),
                    ("2025-01-05", "Story A", "/2025/01/a/#corrections-title", "Fix one")]
    assert "/corrections/" in page(root, "index.html").xpath('//footer//a/@href')
    assert "/corrections/" in page(root, "2025/01/a/index.html").xpath('//section[@class="corrections"]//a/@href')
    assert {"/corrections/feed.xml", "/corrections/atom.xml", "/corrections/feed.json"} <= set(
        page(root, "feeds/index.html").xpath("//a/@href"))


def test_corrections_feeds_carry_each_correction_with_an_id_that_survives_edits(site):
    files = {"content/articles/a.md": corrected("Story A", "2025-01-01", ("2025-01-05", "Fix one"),
                                                ("2025-01-05", "Fix two"))}
    root = site(files)
    build_site_at(root)
    public = root / "public"
    for name in ("feed.xml", "atom.xml"):
        parsed = feedparser.parse((public / "corrections" / name).read_bytes())
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert [e.summary for e in parsed.entries] == ["Fix one", "Fix two"]
    data = json.loads((public / "corrections/feed.json").read_text())
    ids = [item["id"] for item in data["items"]]
    assert len(set(ids)) == 2 and data["items"][0]["url"].endswith("/2025/01/a/#corrections-title")
    (root / "content/articles/a.md").write_text(
        corrected("Story A, retitled", "2025-01-01", ("2025-01-05", "Fix one, reworded"), ("2025-01-05", "Fix two")))
    build_site_at(root)
    assert [i["id"] for i in json.loads((public / "corrections/feed.json").read_text())["items"]] == ids


def test_article_has_plain_share_links_to_its_canonical_address(site):
    root = site({"content/articles/a.md": article("Cuts & more", "2025-03-01")})
    build_site_at(root)
    doc = page(root, "2025/03/a/index.html")
    links = doc.xpath('//ul[@class="share-links"]//a/@href')
    canonical = doc.xpath('string(//link[@rel="canonical"]/@href)')
    assert links == [
        canonical,
        "mailto:?subject=Cuts%20%26%20more&body=https%3A//test.example.org/2025/03/a/",
        "https://www.linkedin.com/sharing/share-offsite/?url=https%3A//test.example.org/2025/03/a/",
        "https://x.com/intent/tweet?text=Cuts%20%26%20more&url=https%3A//test.example.org/2025/03/a/",
    ]
    assert not doc.xpath('//ul[@class="share-links"]//img') and not doc.xpath('//script[starts-with(@src, "http")]')


def test_every_rss_and_atom_feed_names_the_stylesheet_that_is_published(fixture_site):
    build_site_at(fixture_site)
    public = fixture_site / "public"
    feeds = [p for p in public.rglob("*.xml") if p.name in ("feed.xml", "atom.xml")]
    assert len(feeds) > 4
    for feed in feeds:
        pis = [n for n in lxml.etree.parse(str(feed)).xpath("/processing-instruction('xml-stylesheet')")]
        assert [(pi.get("type"), pi.get("href")) for pi in pis] == [("text/xsl", "/news/feed.xsl")], feed
        assert not feedparser.parse(feed.read_bytes()).bozo
    stylesheet = lxml.etree.parse(str(public / "feed.xsl"))
    assert stylesheet.getroot().tag == "{http://www.w3.org/1999/XSL/Transform}stylesheet"
    html = lxml.etree.XSLT(stylesheet)(lxml.etree.parse(str(public / "feed.xml")))
    assert "feed reader" in str(html) and "/news/css/digest.css" in str(html)


def test_the_feed_page_writes_rss_dates_as_iso_dates_like_atoms(fixture_site):
    build_site_at(fixture_site)
    public = fixture_site / "public"
    stylesheet = lxml.etree.XSLT(lxml.etree.parse(str(public / "feed.xsl")))
    for name in ("feed.xml", "atom.xml"):
        page = lxml.html.fromstring(str(stylesheet(lxml.etree.parse(str(public / name)))))
        dates = [" ".join(p.text_content().split()) for p in page.xpath('//article//p[@class="meta"]')]
        assert dates and all(re.fullmatch(r"\d{4}-\d\d-\d\d", d) for d in dates), (name, dates)

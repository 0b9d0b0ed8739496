"""Feeds as subscribers' readers see them: parsed by independent readers, checked against their specs."""

import json
import re
import shutil
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import jsonschema
import lxml.etree
import lxml.html
import pytest

from sitetools import FIXTURES, article, build_site_at

REPO = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((Path(__file__).parent / "schemas/jsonfeed-1.1.schema.json").read_text())
ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def all_feeds(public: Path) -> list[Path]:
    return sorted(p for p in public.rglob("*") if p.name in ("feed.xml", "atom.xml", "feed.json"))


def check_rss(path: Path) -> None:
    channel = lxml.etree.parse(str(path)).getroot().find("channel")
    for required in ("title", "link", "description"):
        assert channel.findtext(required), f"{path}: channel {required}"
    parsedate_to_datetime(channel.findtext("lastBuildDate"))
    for item in channel.findall("item"):
        assert item.findtext("title") and item.findtext("link") and item.findtext("guid")
        assert item.find("guid").get("isPermaLink") == "false"
        assert parsedate_to_datetime(item.findtext("pubDate")).tzinfo is not None


def check_atom(path: Path) -> None:
    feed = lxml.etree.parse(str(path)).getroot()
    for required in ("id", "title", "updated"):
        assert feed.findtext(ATOM + required), f"{path}: feed {required}"
    assert RFC3339.fullmatch(feed.findtext(ATOM + "updated"))
    assert [l.get("href") for l in feed.findall(ATOM + "link") if l.get("rel") == "self"] == \
        [feed.findtext(ATOM + "link[@rel='self']") or feed.find(ATOM + "link[@rel='self']").get("href")]
    assert feed.find(ATOM + "author/" + ATOM + "name") is not None  # so every entry has an author
    for entry in feed.findall(ATOM + "entry"):
        for required in ("id", "title", "updated"):
            assert entry.findtext(ATOM + required), f"{path}: entry {required}"
        assert RFC3339.fullmatch(entry.findtext(ATOM + "updated"))
        assert RFC3339.fullmatch(entry.findtext(ATOM + "published"))
        assert entry.find(ATOM + "link").get("href").startswith("http")


def check_json(path: Path) -> None:
    document = json.loads(path.read_text())
    jsonschema.validate(document, SCHEMA, format_checker=jsonschema.FormatChecker())
    for item in document["items"]:
        assert RFC3339.fullmatch(item["date_published"]) and RFC3339.fullmatch(item["date_modified"])
        for url in lxml.html.fromstring(item["content_html"]).xpath("//@href | //@src"):
            assert re.match(r"https?://", url), f"{path}: relative URL {url!r} in {item['title']!r}"


def titles(path: Path) -> list[str]:
    if path.suffix == ".json":  # feedparser reads RSS and Atom only
        return [i["title"] for i in json.loads(path.read_text())["items"]]
    return [e.title for e in feedparser.parse(path.read_bytes()).entries]


def check_feed(path: Path) -> feedparser.FeedParserDict | None:
    if path.suffix == ".json":
        check_json(path)
        return None
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
    {"feed.xml": check_rss, "atom.xml": check_atom}[path.name](path)
    for entry in parsed.entries:
        html = lxml.html.fromstring(entry.content[0].value)
        for url in html.xpath("//@href | //@src"):
            assert re.match(r"https?://", url), f"{path}: relative URL {url!r} in {entry.title!r}"
    return parsed


@pytest.fixture(scope="module")
def sample_public(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sample")
    for name in ("site.yaml", "content"):
        (shutil.copytree if name == "content" else shutil.copy)(REPO / name, root / name)
    build_site_at(root)
    return root / "public"


def test_every_feed_of_the_sample_site_is_valid(sample_public):
    feeds = all_feeds(sample_public)
    assert {"feed.xml", "atom.xml", "feed.json"} <= {p.relative_to(sample_public).as_posix() for p in feeds}
    assert (sample_public / "companies/scale-ai/feed.xml").is_file()
    assert (sample_public / "tags/layoffs/atom.xml").is_file()
    for path in feeds:
        check_feed(path)


def test_every_feed_of_a_generated_1000_article_site_is_valid(tmp_path_factory):
    import sys
    sys.path.insert(0, str(REPO / "bench"))
    from generate import generate

    root = tmp_path_factory.mktemp("generated")
    generate(1000, root, seed=7)
    build_site_at(root, jobs=2)
    feeds = all_feeds(root / "public")
    assert len(feeds) > 100
    for path in feeds:  # every file is well-formed; a parse by a feed reader is the slow part
        lxml.etree.parse(str(path)) if path.suffix == ".xml" else json.loads(path.read_text(encoding="utf-8"))
    # Every feed of the site, and a fixed sample of the company and tag feeds, as a feed reader reads them.
    site_feeds = [p for p in feeds if p.parent == root / "public"]
    topic_feeds = sorted(set(feeds) - set(site_feeds))
    for path in site_feeds + topic_feeds[:: max(1, len(topic_feeds) // 24)]:
        check_feed(path)


def test_the_three_site_formats_carry_the_same_items(fixture_site):
    build_site_at(fixture_site)
    public = fixture_site / "public"
    ids = [[e.id for e in feedparser.parse((public / name).read_bytes()).entries]
           for name in ("feed.xml", "atom.xml")]
    ids.append([i["id"] for i in json.loads((public / "feed.json").read_text())["items"]])
    assert ids[0] == ids[1] == ids[2] and len(ids[0]) == 3  # feed_items: 3, newest first


def test_company_feed_carries_exactly_its_articles(fixture_site):
    build_site_at(fixture_site)
    feed = check_feed(fixture_site / "public/companies/acme/feed.xml")
    assert [e.title for e in feed.entries] == ["Acme closes its Lyon plant", "Acme freezes hiring"]
    assert feed.feed.link == "https://fixture.example.org/news/companies/acme/"


def test_tag_feed_carries_exactly_its_articles(fixture_site):
    build_site_at(fixture_site)
    feed = check_feed(fixture_site / "public/tags/layoffs/atom.xml")
    assert [e.title for e in feed.entries] == ["Acme freezes hiring", "SocGen cuts 900 jobs & closes branches"]


def test_company_page_links_its_own_feeds_and_the_site_feeds(fixture_site):
    build_site_at(fixture_site)
    page = lxml.html.fromstring((fixture_site / "public/companies/acme/index.html").read_bytes())
    assert page.xpath('//link[@rel="alternate"]/@href') == [
        "/news/feed.xml", "/news/atom.xml", "/news/feed.json",
        "/news/companies/acme/feed.xml", "/news/companies/acme/atom.xml"]
    assert page.xpath('//p[@class="follow"]/a[1]/text()') == ["Follow Acme Corp"]


def test_every_page_links_the_three_site_feeds(fixture_site):
    build_site_at(fixture_site)
    for path in ("index.html", "2025/01/socgen-cuts/index.html", "tags/index.html", "about/index.html"):
        page = lxml.html.fromstring((fixture_site / "public" / path).read_bytes())
        types = page.xpath('//link[@rel="alternate"]/@type')
        assert types[:3] == ["application/rss+xml", "application/atom+xml", "application/feed+json"], path


def test_feeds_page_lists_every_company_and_tag_feed(fixture_site):
    report = build_site_at(fixture_site)
    page = lxml.html.fromstring((fixture_site / "public/feeds/index.html").read_bytes())
    links = set(page.xpath("//a/@href"))
    for ref in [c.ref for c in report.site.companies] + [t.ref for t in report.site.tags]:
        assert f"/news/{ref.path}feed.xml" in links and f"/news/{ref.path}atom.xml" in links


def test_titles_with_markup_characters_are_escaped_once(site):
    title = 'Q&A: "Why" <Acme> cut 5% & more'
    root = site({"content/articles/a.md": article(f"'{title}'")})
    build_site_at(root)
    for name in ("feed.xml", "atom.xml", "feed.json"):
        assert titles(root / "public" / name) == [title], name


def test_text_that_looks_like_feed_tags_stays_inside_its_item(site):
    # Items are serialised once and spliced into each feed: text naming the container tags must not cut them.
    body = "Code: `</item></channel></entry></feed>` in a story about feeds."
    root = site({"content/articles/a.md": article("'</item> & <entry>'", "2025-03-01", body=body, tags="t"),
                 "content/articles/b.md": article("Second", "2025-03-02", tags="t")})
    build_site_at(root)
    for name in ("feed.xml", "atom.xml", "tags/t/feed.xml", "tags/t/atom.xml"):
        parsed = check_feed(root / "public" / name)
        assert [e.title for e in parsed.entries] == ["Second", "</item> & <entry>"], name
        assert "&lt;/item&gt;&lt;/channel&gt;&lt;/entry&gt;&lt;/feed&gt;" in parsed.entries[1].content[0].value, name


def test_item_id_survives_edits_rebuilds_and_a_new_base_url(site):
    root = site({"content/articles/a.md": article("Old title", tags="x", body="Old")})
    build_site_at(root)
    first = json.loads((root / "public/feed.json").read_text())["items"][0]["id"]
    build_site_at(root)
    (root / "content/articles/a.md").write_text(article("New title", tags="[y, z]", body="New body"))
    build_site_at(root, base_url="https://moved.example.net/")
    for name in ("feed.xml", "atom.xml"):
        assert feedparser.parse((root / "public" / name).read_bytes()).entries[0].id == first
    assert json.loads((root / "public/feed.json").read_text())["items"][0]["id"] == first


def test_renamed_slug_keeps_its_id_when_pinned(site):
    root = site({"content/articles/old-name.md": article()})
    build_site_at(root)
    old_id = feedparser.parse((root / "public/feed.xml").read_bytes()).entries[0].id
    (root / "content/articles/old-name.md").unlink()
    (root / "content/articles/new-name.md").write_text(article(id=old_id))
    build_site_at(root)
    entry = feedparser.parse((root / "public/feed.xml").read_bytes()).entries[0]
    assert entry.id == old_id and entry.link.endswith("/new-name/")


def test_renamed_slug_without_a_pin_gets_a_new_id(site):
    root = site({"content/articles/old-name.md": article()})
    build_site_at(root)
    old_id = feedparser.parse((root / "public/feed.xml").read_bytes()).entries[0].id
    (root / "content/articles/old-name.md").rename(root / "content/articles/new-name.md")
    build_site_at(root)
    assert feedparser.parse((root / "public/feed.xml").read_bytes()).entries[0].id != old_id


def test_updated_and_corrections_become_the_item_updated_time(site):
    corrections = "\n  - date: 2025-03-09\n    note: Fixed the headcount."
    root = site({"content/articles/a.md": article(date="2025-03-01", updated="2025-03-05", corrections=corrections)})
    build_site_at(root)
    atom = feedparser.parse((root / "public/atom.xml").read_bytes()).entries[0]
    assert atom.updated.startswith("2025-03-09") and atom.published.startswith("2025-03-01")
    item = json.loads((root / "public/feed.json").read_text())["items"][0]
    assert item["date_modified"].startswith("2025-03-09")


def test_feed_content_includes_takeaways_events_and_sources(fixture_site):
    build_site_at(fixture_site)
    entry = feedparser.parse((fixture_site / "public/tags/banking/feed.xml").read_bytes()).entries[0]
    html = lxml.html.fromstring(entry.content[0].value)
    assert html.xpath('//aside[@class="takeaways"]//li')
    assert html.xpath('//table[@class="events"]//td')


def test_feed_item_carries_author_and_categories(fixture_site):
    build_site_at(fixture_site)
    entry = feedparser.parse((fixture_site / "public/atom.xml").read_bytes()).entries[-1]
    assert entry.title == "Acme freezes hiring"
    assert [t.term for t in entry.tags] == ["Acme Corp", "layoffs"]
    socgen = feedparser.parse((fixture_site / "public/companies/societe-generale/atom.xml").read_bytes()).entries[0]
    assert socgen.author == "Ana Ruiz"


def test_unchanged_site_gives_byte_identical_feeds(fixture_site, tmp_path):
    build_site_at(fixture_site, output_dir=tmp_path / "a")
    build_site_at(fixture_site, output_dir=tmp_path / "b")
    for path in all_feeds(tmp_path / "a"):
        assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes()


def test_feed_items_limit_applies_to_every_feed(site):
    files = {f"content/articles/a{i}.md": article(f"A{i}", f"2025-03-{i + 1:02d}", tags="t") for i in range(5)}
    root = site(files, config="title: T\nbase_url: https://t.example/\nfeed_items: 2\n")
    build_site_at(root)
    for name in ("feed.xml", "atom.xml", "feed.json", "tags/t/feed.xml"):
        assert titles(root / "public" / name) == ["A4", "A3"], name


def test_a_feed_item_is_let_go_after_the_last_feed_that_carries_it(fixture_site):
    from digest.config import load_config
    from digest.feeds import FeedUnit, count_carriers
    from digest.pipeline import BuildOptions
    from digest.pipeline import build as run_build
    from digest.theme import make_env
    from digest.units import RenderContext

    planned = []
    run_build(load_config(fixture_site / "site.yaml"), BuildOptions(search=False, cache=False, planned=planned.append))
    site = planned[0]
    feeds = [unit for unit in site.units if isinstance(unit, FeedUnit)]
    assert sum(len(feed.articles) for feed in feeds) > len(site.site.articles)  # articles in several feeds

    def render_all(counting: bool):
        ctx = RenderContext(make_env(site.config, site.theme), site.site, site.config, site.theme.templates)
        if counting:
            count_carriers(site.units, ctx)
        return ctx, [feed.render(ctx) for feed in feeds]

    kept, as_made = render_all(counting=False)
    counted, let_go = render_all(counting=True)
    assert let_go == as_made
    assert any(key[0] == "feed item" for key in kept.memo if isinstance(key, tuple))
    assert not [key for key in counted.memo if isinstance(key, tuple) and key[0] == "feed item"]

"""End to end: the fixture site built in-process, its pages and feed parsed before they are checked."""

import feedparser
import lxml.html
import pytest

from sitetools import article, build_errors, build_site_at


def page(root, path: str):
    return lxml.html.fromstring((root / "public" / path).read_bytes())


def card_titles(doc) -> list[str]:
    """The stories a listing shows, in order: the home page's lead story first, then its cards."""
    return [a.text_content() for a in doc.xpath('//*[@class="card-title" or @class="lead-title"]/a')]


def test_every_page_the_contract_lists_is_written(fixture_site):
    build_site_at(fixture_site)
    public = fixture_site / "public"
    for path in ["index.html", "page/2/index.html", "2025/01/socgen-cuts/index.html", "about/index.html",
                 "companies/index.html", "companies/societe-generale/index.html", "companies/acme/index.html",
                 "tags/index.html", "tags/layoffs/index.html", "tags/data-labeling/index.html",
                 "404.html", "feed.xml", "sitemap.xml", "robots.txt", "css/digest.css"]:
        assert (public / path).is_file(), path


def test_every_company_page_lists_exactly_its_articles(fixture_site):
    report = build_site_at(fixture_site)
    for company in report.site.companies:
        listed = []
        for n in range(1, 10):
            path = company.ref.path + ("" if n == 1 else f"page/{n}/") + "index.html"
            if not (fixture_site / "public" / path).exists():
                break
            listed += card_titles(page(fixture_site, path))
        assert sorted(listed) == sorted(a.title for a in company.articles), company.ref.slug
    acme = page(fixture_site, "companies/acme/index.html")
    assert card_titles(acme) == ["Acme closes its Lyon plant", "Acme freezes hiring"]


def test_every_tag_page_lists_exactly_its_articles(fixture_site):
    build_site_at(fixture_site)
    assert card_titles(page(fixture_site, "tags/layoffs/index.html")) == [
        "Acme freezes hiring", "SocGen cuts 900 jobs & closes branches"]
    assert card_titles(page(fixture_site, "tags/closures/index.html")) == ["Acme closes its Lyon plant"]


def test_drafts_leave_no_page_company_or_tag(fixture_site):
    build_site_at(fixture_site)
    assert not (fixture_site / "public/2025/02/unfinished").exists()
    assert not (fixture_site / "public/companies/draftco").exists()
    assert "Unfinished draft" not in (fixture_site / "public/feed.xml").read_text()


def test_drafts_flag_publishes_them(fixture_site):
    build_site_at(fixture_site, drafts=True)
    assert (fixture_site / "public/2025/02/unfinished/index.html").is_file()


def test_home_is_paginated_newest_first(fixture_site):
    build_site_at(fixture_site)
    first, second = page(fixture_site, "index.html"), page(fixture_site, "page/2/index.html")
    assert card_titles(first) == ["Data labeling roundup", "Acme closes its Lyon plant"]
    assert card_titles(second) == ["Acme freezes hiring", "SocGen cuts 900 jobs & closes branches"]
    assert first.xpath('//a[@rel="next"]/@href') == ["/news/page/2/"]


def test_links_carry_the_base_url_path(fixture_site):
    build_site_at(fixture_site)
    doc = page(fixture_site, "2025/01/socgen-cuts/index.html")
    assert doc.xpath('//article/header/ul[@aria-label="Companies"]//a/@href') == ["/news/companies/societe-generale/"]
    assert doc.xpath('//link[@rel="canonical"]/@href') == ["https://fixture.example.org/news/2025/01/socgen-cuts/"]


def test_titles_are_escaped_once(fixture_site):
    build_site_at(fixture_site)
    raw = (fixture_site / "public/2025/01/socgen-cuts/index.html").read_text()
    assert ">SocGen cuts 900 jobs &amp; closes branches</h1>" in raw and "&amp;amp;" not in raw


def test_article_page_shows_both_kinds_of_takeaway_box_alike(fixture_site):
    build_site_at(fixture_site)
    front = page(fixture_site, "2025/01/socgen-cuts/index.html").xpath('//aside[@class="takeaways"]')
    body = page(fixture_site, "2025/02/acme-closure/index.html").xpath('//aside[@class="takeaways"]')
    assert [e.tag for e in front[0].iter()] == ["aside", "h2", "ul", "li", "strong"]
    assert [e.tag for e in body[0].iter()] == ["aside", "h2", "ul", "li", "em", "li"]
    assert front[0].xpath("h2/text()") == body[0].xpath("h2/text()") == ["Key takeaways"]


def test_article_page_shows_events_and_company_profile_binds(fixture_site):
    build_site_at(fixture_site)
    doc = page(fixture_site, "2025/01/socgen-cuts/index.html")
    (row,) = doc.xpath('//table[@class="events"]/tbody/tr')
    cells = [c.text_content().strip() for c in row.xpath("td")]
    assert cells[1:] == ["Société Générale", "Layoff", "900", "1.5%", "Paris", "–"]  # no primary source given
    company = page(fixture_site, "companies/societe-generale/index.html")
    assert company.xpath("//h1/text()") == ["Société Générale"]
    assert "Banking" in company.xpath('string(//dl[@class="profile"])')


def test_index_pages_count_articles(fixture_site):
    build_site_at(fixture_site)
    rows = page(fixture_site, "companies/index.html").xpath("//tbody/tr")
    counts = {r.xpath("string(td[1])"): r.xpath("string(td[3])") for r in rows}
    assert counts == {"Acme Corp": "2", "Société Générale": "1"}
    tags = page(fixture_site, "tags/index.html").xpath('//ul[@class="tag-cloud"]/li')
    assert {t.xpath("string(a)"): t.xpath('string(span)') for t in tags}["layoffs"] == "2"


def test_site_template_overrides_the_theme(fixture_site):
    build_site_at(fixture_site)
    assert page(fixture_site, "404.html").xpath("//h1/text()") == ["Lost? (site override)"]


def test_feed_parses_without_a_warning_and_carries_full_content(fixture_site):
    build_site_at(fixture_site)
    feed = feedparser.parse((fixture_site / "public/feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert [e.title for e in feed.entries] == [
        "Data labeling roundup", "Acme closes its Lyon plant", "Acme freezes hiring"]  # feed_items: 3
    closure = feed.entries[1]
    assert closure.link == "https://fixture.example.org/news/2025/02/acme-closure/"
    assert {t.term for t in closure.tags} == {"Acme Corp", "Closures"}
    assert 'class="takeaways"' in closure.content[0].value
    assert closure.published_parsed is not None


def test_feed_content_has_no_relative_links(fixture_site):
    build_site_at(fixture_site, drafts=False)
    feed = feedparser.parse((fixture_site / "public/feed.xml").read_bytes())
    for entry in feed.entries:
        doc = lxml.html.fromstring(entry.content[0].value)
        for url in doc.xpath("//@href | //@src"):
            assert url.startswith("https://fixture.example.org/"), url


def test_home_page_links_the_feed_for_autodiscovery(fixture_site):
    build_site_at(fixture_site)
    assert page(fixture_site, "index.html").xpath('//link[@rel="alternate"][@type="application/rss+xml"]/@href') \
        == ["/news/feed.xml"]


def test_feed_guid_survives_edits_of_title_tags_and_body(site):
    root = site({"content/articles/a.md": article("Old title", tags="x", body="Old")})
    build_site_at(root)
    before = feedparser.parse((root / "public/feed.xml").read_bytes()).entries[0].id
    (root / "content/articles/a.md").write_text(article("New title", tags="y", body="New"))
    build_site_at(root, base_url="https://moved.example.net/")
    after = feedparser.parse((root / "public/feed.xml").read_bytes()).entries[0].id
    assert before == after and before.startswith("urn:uuid:")


def test_pinned_id_is_used_verbatim(site):
    root = site({"content/articles/a.md": article(id="urn:uuid:0e6c5c4f-6f86-4a1d-9a49-3c0d2c1a3b11")})
    build_site_at(root)
    entry = feedparser.parse((root / "public/feed.xml").read_bytes()).entries[0]
    assert entry.id == "urn:uuid:0e6c5c4f-6f86-4a1d-9a49-3c0d2c1a3b11"


def test_two_builds_give_identical_bytes(fixture_site, tmp_path):
    build_site_at(fixture_site, output_dir=tmp_path / "one")
    build_site_at(fixture_site, output_dir=tmp_path / "two")
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert one == two


def test_failed_build_leaves_previous_output_untouched(fixture_site):
    build_site_at(fixture_site)
    public = fixture_site / "public"
    before = {p: p.read_bytes() for p in public.rglob("*") if p.is_file()}
    (fixture_site / "content/articles/2025/01/acme-hiring-freeze.md").write_text("---\ntitle: [broken\n---\n")
    build_errors(fixture_site)
    assert {p: p.read_bytes() for p in public.rglob("*") if p.is_file()} == before
    assert [p.name for p in fixture_site.iterdir() if p.name.startswith(".public")] == []


def test_template_error_names_template_line_and_page(fixture_site):
    (fixture_site / "templates/tag.html").write_text('{% extends "base.html" %}\n{% block main %}\n{{ tag.nmae }}\n{% endblock %}\n')
    (problem,) = build_errors(fixture_site)
    assert problem.startswith("templates/tag.html:3: ")
    assert "nmae" in problem and "(rendering tags/" in problem


def test_output_that_was_not_written_by_digest_is_never_replaced(fixture_site):
    keep = fixture_site / "mine" / "notes.txt"
    keep.parent.mkdir()
    keep.write_text("precious")
    (problem,) = build_errors(fixture_site, output_dir=fixture_site / "mine")
    assert "was not written by digest" in problem
    assert keep.read_text() == "precious"


@pytest.mark.parametrize("output", ["content", "content/articles", "."])
def test_output_overlapping_the_sources_is_refused(fixture_site, output):
    (problem,) = build_errors(fixture_site, output_dir=fixture_site / output)
    assert "overlaps the site's sources" in problem
    assert (fixture_site / "content/articles/2025/01/socgen-cuts.md").is_file()


def test_page_slug_that_collides_with_a_generated_page_is_an_error_in_the_page(site):
    root = site({"content/pages/companies.md": "---\ntitle: Companies we cover\n---\nText\n"})
    assert build_errors(root) == [
        "content/pages/companies.md: writes companies/index.html, which the companies index writes too; "
        "give it a 'slug:' of its own, or rename the file"]


def test_a_written_slug_that_collides_with_a_generated_page_is_an_error_at_its_line(site):
    root = site({"content/pages/about.md": "---\ntitle: Our tracker\nslug: tracker\n---\nText\n"})
    assert build_errors(root) == [
        "content/pages/about.md:3:7: writes tracker/index.html, which the tracker writes too; give this one "
        "another slug"]

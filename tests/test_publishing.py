"""Publishing rules and links between documents, as a writer relies on them."""

from datetime import datetime, timezone

import lxml.html

from sitetools import article, build_errors, build_site_at, image_bytes

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)


def test_future_article_is_not_published_before_its_date(site):
    root = site({"content/articles/now.md": article("Now", "2025-05-30"),
                 "content/articles/later.md": article("Later", "2025-12-01", tags="x", companies="Acme")})
    report = build_site_at(root, now=NOW)
    assert [a.title for a in report.site.articles] == ["Now"]
    assert [a.title for a in report.scheduled] == ["Later"]
    public = root / "public"
    assert not (public / "2025/12").exists() and not (public / "tags/x").exists()
    assert "Later" not in (public / "feed.xml").read_text() and "2025/12" not in (public / "sitemap.xml").read_text()


def test_future_article_is_published_once_its_time_has_come(site):
    root = site({"content/articles/later.md": article("Later", "2025-06-01T12:00:00+00:00")})
    assert [a.title for a in build_site_at(root, now=NOW).site.articles] == ["Later"]


def test_future_flag_previews_scheduled_articles(site):
    root = site({"content/articles/later.md": article("Later", "2025-12-01")})
    assert [a.title for a in build_site_at(root, now=NOW, future=True).site.articles] == ["Later"]


def test_drafts_never_reach_feeds_or_sitemap(site):
    root = site({"content/articles/d.md": article("Secret draft", draft="true", companies="Acme", tags="t")})
    build_site_at(root)
    public = root / "public"
    for name in ("feed.xml", "atom.xml", "feed.json", "sitemap.xml", "data/events.csv", "data/companies.json"):
        assert "Secret" not in (public / name).read_text() and "acme" not in (public / name).read_text(), name


def test_link_to_a_source_file_becomes_the_article_url(site):
    root = site({
        "content/articles/2025/07/cuts.md": article("Cuts", "2025-07-16"),
        "content/articles/2025/10/closure.md": article("Closure", "2025-10-10",
                                                      body="See [the cuts](../07/cuts.md#figures)."),
    })
    build_site_at(root)
    page = lxml.html.fromstring((root / "public/2025/10/closure/index.html").read_bytes())
    assert page.xpath('//div[@class="body"]//a/@href') == ["/2025/07/cuts/#figures"]


def test_link_to_a_missing_source_file_is_an_error_with_its_line(site):
    root = site({"content/articles/a.md": article(body="Intro.\n\nSee [this](../nope.md).")})
    assert build_errors(root) == ["content/articles/a.md:8: link to '../nope.md': no such file"]


def test_link_to_a_draft_is_an_error_at_the_line_of_the_link(site):
    root = site({"content/articles/d.md": article("D", draft="true"),
                 "content/articles/a.md": article("A", body="Intro.\n\nSee [d](d.md), and [d again](d.md).")})
    assert build_errors(root) == [
        "content/articles/a.md:8: links to articles/d.md, which is a draft (or scheduled) and will not be published"]
    assert build_site_at(root, drafts=True)


def test_a_page_linking_to_a_scheduled_article_is_told_the_line(site):
    root = site({"content/articles/later.md": article("Later", date="2999-01-01"),
                 "content/pages/about.md": "---\ntitle: About\n---\n\nWho we are.\n\nComing: [later](../articles/later.md).\n"})
    assert build_errors(root) == ["content/pages/about.md:7: links to articles/later.md, which is a draft (or "
                                  "scheduled) and will not be published"]


def test_image_beside_an_article_is_published_resized_beside_its_page(site):
    root = site({"content/articles/2025/a.md": article(body="![Chart](img/chart.png)")})
    (root / "content/articles/2025/img").mkdir()
    (root / "content/articles/2025/img/chart.png").write_bytes(image_bytes(600, 300))
    build_site_at(root)
    page = lxml.html.fromstring((root / "public/2025/03/a/index.html").read_bytes())
    assert page.xpath("//img/@src") == ["/2025/03/a/img/chart-600.jpg"]
    assert (root / "public/2025/03/a/img/chart-600.jpg").is_file()
    assert not (root / "public/2025/03/a/img/chart.png").exists()  # the original is not published as it is


def test_media_folder_is_published_and_linked(site):
    root = site({"content/articles/2025/a.md": article(body="![Logo](../../media/logo.svg)")})
    (root / "content/media").mkdir()
    (root / "content/media/logo.svg").write_text("<svg/>")
    build_site_at(root)
    page = lxml.html.fromstring((root / "public/2025/03/a/index.html").read_bytes())
    assert page.xpath("//img/@src") == ["/media/logo.svg"]
    assert (root / "public/media/logo.svg").is_file()


def test_tag_spelled_two_ways_gets_a_warning(site):
    root = site({"content/articles/a.md": article("A", "2025-01-01", tags="[Data labeling]"),
                 "content/articles/b.md": article("B", "2025-02-01", tags="[data labeling]")})
    assert [str(w) for w in build_site_at(root).warnings] == [
        "content/articles/a.md:4: warning: tags: 'Data labeling' is spelled 'data labeling' in newer articles; "
        "use one spelling"]


def test_event_company_missing_from_companies_gets_a_warning(site):
    events = "\n  - company: Acme\n    date: 2025-03-01\n    kind: layoff"
    root = site({"content/companies/acme.yaml": "name: Acme\n",
                 "content/articles/a.md": article(events=events)})
    assert [str(w) for w in build_site_at(root).warnings] == [
        "content/articles/a.md:5: warning: events[0].company: 'Acme' is not in this article's companies; "
        "add it there so the article is listed with the company"]

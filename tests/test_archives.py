"""Date archives: /<yyyy>/ and /<yyyy>/<mm>/ list exactly the articles of that period, with neighbours."""

import lxml.html

from sitetools import article, build_site_at

CONFIG = "title: T\nbase_url: https://t.example/\nper_page: 2\n"


def page(root, path):
    return lxml.html.fromstring((root / "public" / path / "index.html").read_bytes())


def card_titles(doc):
    return [a.text_content() for a in doc.xpath('//article[@class="card"]//h2/a')]


def neighbours(doc):
    return [(a.get("rel"), a.get("href")) for a in doc.xpath('//nav[@class="periods"]/a')]


def archive(site):
    return site({
        "content/articles/a.md": article("Mar one", "2024-03-01"),
        "content/articles/b.md": article("Mar two", "2024-03-20"),
        "content/articles/c.md": article("Mar three", "2024-03-25"),
        "content/articles/d.md": article("May", "2024-05-02"),
        "content/articles/e.md": article("Next year", "2025-01-09"),
        "content/articles/f.md": article("Draft", "2024-03-21", draft="true"),
    }, config=CONFIG)


def test_month_archive_lists_exactly_its_articles_newest_first_paginated(site):
    root = archive(site)
    build_site_at(root)
    assert card_titles(page(root, "2024/03")) == ["Mar three", "Mar two"]
    assert card_titles(page(root, "2024/03/page/2")) == ["Mar one"]
    assert card_titles(page(root, "2024/05")) == ["May"]


def test_year_archive_lists_exactly_its_articles(site):
    root = archive(site)
    build_site_at(root)
    assert card_titles(page(root, "2024")) + card_titles(page(root, "2024/page/2")) == [
        "May", "Mar three", "Mar two", "Mar one"]
    assert card_titles(page(root, "2025")) == ["Next year"]


def test_months_without_articles_have_no_archive(site):
    root = archive(site)
    build_site_at(root)
    assert not (root / "public/2024/04").exists()


def test_archives_link_the_neighbouring_periods_that_have_articles(site):
    root = archive(site)
    build_site_at(root)
    assert neighbours(page(root, "2024/05")) == [("prev", "/2024/03/"), ("next", "/2025/01/")]
    assert neighbours(page(root, "2024/03")) == [("next", "/2024/05/")]
    assert neighbours(page(root, "2024")) == [("next", "/2025/")]


def test_article_dateline_and_breadcrumbs_link_to_its_archives(site):
    root = archive(site)
    build_site_at(root)
    doc = page(root, "2024/05/d")
    assert doc.xpath('//a[@class="dateline"]/@href') == ["/2024/05/"]
    assert doc.xpath('//nav[@class="breadcrumbs"]/a/@href') == ["/", "/2024/", "/2024/05/"]

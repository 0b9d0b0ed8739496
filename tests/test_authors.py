"""Author pages: /authors/<id>/ lists exactly that author's articles, paginated, with feeds; bylines link."""

import feedparser
import lxml.html

from sitetools import article, build_errors, build_site_at

CONFIG = ("title: T\nbase_url: https://t.example/\nper_page: 2\nauthors:\n"
          "  ana:\n    name: Ana Ruiz\n    bio: Covers banks.\n  desk:\n    name: Desk\n    kind: organization\n")


def page(root, path):
    return lxml.html.fromstring((root / "public" / path / "index.html").read_bytes())


def card_titles(doc):
    return [a.text_content() for a in doc.xpath('//article[@class="card"]//h2/a')]


def newsroom(site):
    return site({
        "content/articles/a1.md": article("Ana one", "2025-03-01", authors="[ana]"),
        "content/articles/a2.md": article("Ana two", "2025-03-02", authors="[ana, desk]"),
        "content/articles/a3.md": article("Ana three", "2025-04-03", authors="[ana]"),
        "content/articles/d1.md": article("Desk only", "2025-03-04", authors="[desk]"),
        "content/articles/n1.md": article("Nobody", "2025-03-05"),
        "content/articles/g1.md": article("Guest", "2025-03-06", authors="[Guest Writer]"),
    }, config=CONFIG)


def test_author_page_lists_exactly_their_articles_newest_first_paginated(site):
    root = newsroom(site)
    build_site_at(root)
    assert card_titles(page(root, "authors/ana")) == ["Ana three", "Ana two"]
    assert card_titles(page(root, "authors/ana/page/2")) == ["Ana one"]
    assert card_titles(page(root, "authors/desk")) == ["Desk only", "Ana two"]


def test_author_page_shows_the_bio(site):
    root = newsroom(site)
    build_site_at(root)
    assert page(root, "authors/ana").xpath('//p[@class="standfirst"]/text()') == ["Covers banks."]


def test_authors_index_links_every_configured_author_and_no_free_name(site):
    root = newsroom(site)
    build_site_at(root)
    links = page(root, "authors").xpath('//ul[@class="author-list"]//h2/a')
    assert [(a.text_content(), a.get("href")) for a in links] == [("Ana Ruiz", "/authors/ana/"), ("Desk", "/authors/desk/")]
    assert not (root / "public/authors/guest-writer").exists()


def test_author_feeds_carry_exactly_their_articles(site):
    root = newsroom(site)
    build_site_at(root)
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse((root / "public/authors/desk" / name).read_bytes())
        assert [e.title for e in feed.entries] == ["Desk only", "Ana two"]


def test_byline_links_configured_authors_to_their_page_and_leaves_free_names_plain(site):
    root = newsroom(site)
    build_site_at(root)
    byline = page(root, "2025/03/a2").xpath('//p[@class="meta"]//a[@rel="author"]')
    assert [(a.text_content(), a.get("href")) for a in byline] == [("Ana Ruiz", "/authors/ana/"),
                                                                    ("Desk", "/authors/desk/")]
    guest = page(root, "2025/03/g1")
    assert guest.xpath('//a[@rel="author"]') == [] and "By Guest Writer" in guest.xpath('string(//p[@class="meta"])')


def test_a_misspelled_author_id_is_a_warning_naming_the_id_meant(site):
    root = site({"content/articles/a.md": article("Story", "2025-03-01", authors="[anna]")}, config=CONFIG)
    assert [str(w) for w in build_site_at(root).warnings] == [
        "content/articles/a.md:4:10: warning: authors: 'anna' is not an author in site.yaml (did you mean 'ana'?); "
        "a byline that is no id is printed as written, with no author page"]


def test_an_authors_name_where_the_id_belongs_is_a_warning_naming_the_id(site):
    root = site({"content/articles/a.md": article("Story", "2025-03-01", authors="[Ana Ruiz]")}, config=CONFIG)
    assert [str(w) for w in build_site_at(root).warnings] == [
        "content/articles/a.md:4:10: warning: authors: 'Ana Ruiz' is the name of the author 'ana' in site.yaml; "
        "write the id, 'ana', to link the story to their page"]


def test_a_guest_byline_is_no_warning(site):
    root = site({"content/articles/a.md": article("Story", "2025-03-01", authors="[Guest Writer]")}, config=CONFIG)
    assert build_site_at(root).warnings == ()


def test_two_author_ids_with_one_page_are_one_error_at_the_second(site):
    config = ("title: T\nbase_url: https://t.example/\nauthors:\n  jane-doe:\n    name: Jane Doe\n"
              "  Jane_Doe:\n    name: Jane D.\n")
    root = site({"content/articles/a.md": article(authors="[jane-doe]")}, config=config)
    assert build_errors(root) == ["site.yaml:6: authors: 'Jane_Doe' would have the page authors/jane-doe/, which "
                                  "'jane-doe' has; give one of them another id"]

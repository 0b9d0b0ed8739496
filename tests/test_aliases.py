"""`aliases:` in front matter: a redirect page at each old address, checked like any output path and kept
out of sitemaps, feeds and the search index; and `digest check` noticing a renamed slug."""

import json

import lxml.html

from sitetools import article, build_errors, build_site_at

ALIASED = article(title="Cuts", slug="new-slug", aliases="[/2024/05/old-slug/, /old.html]")


def redirect(root, path):
    return lxml.html.fromstring((root / "public" / path).read_bytes())


def test_an_alias_gets_a_redirect_page_to_the_article(site):
    root = site({"content/articles/a.md": ALIASED})
    build_site_at(root)
    page = redirect(root, "2024/05/old-slug/index.html")
    target = "https://test.example.org/2025/03/new-slug/"
    assert page.xpath("//meta[@http-equiv='refresh']/@content") == ["0; url=/2025/03/new-slug/"]
    assert page.xpath("//link[@rel='canonical']/@href") == [target]
    assert page.xpath("//meta[@name='robots']/@content") == ["noindex"]
    assert page.xpath("//a/@href") == ["/2025/03/new-slug/"] and page.xpath("string(//a)") == "Cuts"


def test_an_alias_ending_in_html_is_written_as_that_file(site):
    root = site({"content/articles/a.md": ALIASED})
    build_site_at(root)
    assert redirect(root, "old.html").xpath("//link[@rel='canonical']/@href") == \
        ["https://test.example.org/2025/03/new-slug/"]


def test_a_page_may_have_aliases_too(site):
    root = site({"content/pages/about.md": "---\ntitle: About\naliases: [/about-us/]\n---\nText.\n"})
    build_site_at(root)
    assert redirect(root, "about-us/index.html").xpath("//a/@href") == ["/about/"]


def test_redirects_stay_out_of_sitemaps_feeds_and_the_search_index(site):
    root = site({"content/articles/a.md": ALIASED})
    build_site_at(root)
    public = root / "public"
    for name in ("sitemap.xml", "news-sitemap.xml", "feed.xml", "atom.xml", "feed.json"):
        assert "old-slug" not in (public / name).read_text(), name
    assert b"data-pagefind-body" not in (public / "2024/05/old-slug/index.html").read_bytes()


def test_company_profile_aliases_still_mean_other_names(site):
    root = site({"content/companies/acme.yaml": "name: Acme\naliases: [Acme Corp]\n",
                 "content/articles/a.md": article(companies="[Acme]")})
    build_site_at(root)
    companies = json.loads((root / "public/data/companies.json").read_text())["companies"]
    assert companies[0]["aliases"] == ["Acme Corp"]


def test_an_alias_must_be_a_site_path(site):
    root = site({"content/articles/a.md": article(
        aliases="[old-slug/, 'https://elsewhere.example/x/', '//elsewhere.example/x/', /a/../b/, '/x/?p=1']")})
    assert build_errors(root) == [
        "content/articles/a.md:4:11: aliases[0]: 'old-slug/' must be a site path starting with /, e.g. /2024/05/old-slug/",
        "content/articles/a.md:4:22: aliases[1]: 'https://elsewhere.example/x/' must be a path on this site "
        "without scheme or host, e.g. /2024/05/old-slug/",
        "content/articles/a.md:4:54: aliases[2]: '//elsewhere.example/x/' must be a path on this site "
        "without scheme or host, e.g. /2024/05/old-slug/",
        "content/articles/a.md:4:80: aliases[3]: '/a/../b/' must name a page below the site's root, "
        "e.g. /2024/05/old-slug/",
        "content/articles/a.md:4:90: aliases[4]: '/x/?p=1' must be a plain path, without spaces, quotes, "
        "a query (?) or a fragment (#)",
    ]


def test_an_alias_at_a_real_page_is_a_located_error(site):
    root = site({"content/articles/a.md": article(aliases="[/tags/]")})
    assert build_errors(root) == ["content/articles/a.md:4:10: aliases: '/tags/' is already the address of the tags "
                                  "index; remove it or rename the other"]


def test_an_alias_at_the_address_of_a_feed_is_a_located_error_and_the_feed_stays(site):
    root = site({"content/articles/a.md": article()})
    build_site_at(root)
    (root / "content/articles/a.md").write_text(article(aliases="[/feed.xml]"))
    for write in (False, True):  # `digest check` says so too
        [problem] = build_errors(root, write=write)
        assert problem.startswith("content/articles/a.md:4:10: aliases: '/feed.xml")
        assert "is already the address of the feeds of https://test.example.org/" in problem
    assert (root / "public/feed.xml").is_file()


def test_two_documents_with_one_alias_is_a_located_error(site):
    root = site({"content/articles/a.md": article(aliases="[/old/]"),
                 "content/articles/b.md": article(title="Other", aliases="[/old]")})
    assert build_errors(root) == ["content/articles/b.md:4:10: aliases: '/old/' is already the address of the alias "
                                  "/old/ of content/articles/a.md; remove it or rename the other"]


def test_editing_an_alias_rewrites_only_redirects(site):
    root = site({"content/articles/a.md": ALIASED})
    build_site_at(root)
    (root / "content/articles/a.md").write_text(ALIASED.replace("/old.html", "/older.html"))
    build_site_at(root)
    assert (root / "public/older.html").is_file() and not (root / "public/old.html").exists()


def check_warnings(root) -> list[str]:
    return [str(w) for w in build_site_at(root, write=False).warnings]


def test_check_notices_a_renamed_slug_and_suggests_the_alias(site):
    root = site({"content/articles/a.md": article(slug="first-slug")})
    build_site_at(root)
    (root / "content/articles/a.md").write_text(article(slug="second-slug"))
    moved, new_id = sorted(check_warnings(root), key=lambda w: "feed id" in w)
    assert moved == ("content/articles/a.md:4:7: warning: this article was published at /2025/03/first-slug/, which "
                     "will lead nowhere; to redirect it here, add: aliases: [/2025/03/first-slug/]")
    assert new_id.startswith("content/articles/a.md:4:7: warning: a new slug gives this article a new feed id")


def test_adding_the_suggested_alias_silences_the_warning(site):
    root = site({"content/articles/a.md": article(slug="first-slug")})
    build_site_at(root)
    (root / "content/articles/a.md").write_text(article(slug="second-slug", aliases="[/2025/03/first-slug/]"))
    assert [w for w in check_warnings(root) if "/2025/03/first-slug/" in w] == []


def test_a_renamed_file_with_a_pinned_id_is_recognised_by_its_id(site):
    pinned = "urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    root = site({"content/articles/a.md": article(id=pinned)})
    build_site_at(root)
    (root / "content/articles/a.md").unlink()
    (root / "content/articles/b.md").write_text(article(id=pinned, aliases="[/x/]"))
    assert check_warnings(root) == [
        "content/articles/b.md:2:8: warning: this article was published at /2025/03/a/, which will lead "
        "nowhere; to redirect it here, add: aliases: [/x/, /2025/03/a/]"]


def test_the_build_records_every_articles_id_and_address(site):
    root = site({"content/articles/a.md": ALIASED})
    build_site_at(root)
    [record] = json.loads((root / "public/data/articles.json").read_text())["articles"]
    assert record["source"] == "articles/a.md" and record["path"] == "/2025/03/new-slug/"
    assert record["id"].startswith("urn:uuid:") and record["aliases"] == ["/2024/05/old-slug/", "/old.html"]


def test_check_notices_a_corrected_date_would_change_the_feed_id_and_suggests_keeping_it(site):
    root = site({"content/articles/a.md": article(date="2025-03-01")})
    build_site_at(root)
    (old_id,) = [r["id"] for r in json.loads((root / "public/data/articles.json").read_text())["articles"]]
    (root / "content/articles/a.md").write_text(article(date="2025-03-02"))
    assert check_warnings(root) == [
        "content/articles/a.md:3:7: warning: a new date gives this article a new feed id: feed readers would show "
        f"it again as a new story; to keep its id, add: id: {old_id}"]
    (root / "content/articles/a.md").write_text(article(date="2025-03-02", id=old_id))
    assert check_warnings(root) == []
    build_site_at(root)
    assert f"<guid isPermaLink=\"false\">{old_id}</guid>" in (root / "public/feed.xml").read_text()


def test_check_reads_past_an_addresses_file_that_is_not_ours(site):
    root = site({"content/articles/a.md": article()})
    build_site_at(root)
    (root / "public/data/articles.json").write_text('{"articles": 5}')
    assert check_warnings(root) == []

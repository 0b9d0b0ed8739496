"""Links read as a browser reads them (any quoting, srcset candidates, poster): the build's link check, and
the absolute links of feeds, rewritten in place so that the HTML around them keeps its bytes."""

import json
from collections import Counter
from html import unescape

import lxml.etree
import lxml.html

from digest import urls
from digest.htmlurls import URL_ATTRIBUTES, page_urls, srcset_candidates, url_attributes
from sitetools import article, build_errors, build_site_at

PAGE = "https://d.example/2025/10/a/"
MEDIA = {"content/media/chart.png": "png", "content/media/chart-2x.png": "png", "content/media/clip.mp4": "mp4"}


def test_single_quoted_links_are_made_absolute():
    assert urls.absolutize_links("<a href='../x/'>x</a>", PAGE) == "<a href='https://d.example/2025/10/x/'>x</a>"


def test_unquoted_links_are_made_absolute_and_quoted():
    assert urls.absolutize_links("<img src=chart.png alt=x>", PAGE) == \
        '<img src="https://d.example/2025/10/a/chart.png" alt=x>'


def test_every_srcset_candidate_and_the_poster_are_made_absolute():
    html = '<img srcset="a.png 1x, /b.png 2x,c.png" src="a.png"><video poster=\'p.jpg\' src="v.mp4"></video>'
    assert urls.absolutize_links(html, PAGE) == (
        '<img srcset="https://d.example/2025/10/a/a.png 1x, https://d.example/b.png 2x,https://d.example/2025/10/a/c.png"'
        ' src="https://d.example/2025/10/a/a.png"><video poster=\'https://d.example/2025/10/a/p.jpg\''
        ' src="https://d.example/2025/10/a/v.mp4"></video>')


def test_fragments_queries_and_encoded_characters_survive():
    html = '<a href="#fn:1">1</a><a href="caf%C3%A9/?a=1&amp;b=2#top">c</a><a href=\'it&#39;s/\'>i</a>'
    assert urls.absolutize_links(html, PAGE) == (
        '<a href="https://d.example/2025/10/a/#fn:1">1</a>'
        '<a href="https://d.example/2025/10/a/caf%C3%A9/?a=1&amp;b=2#top">c</a>'
        "<a href='https://d.example/2025/10/a/it&#39;s/'>i</a>")


def test_only_link_values_change_every_other_byte_stays():
    html = ('<p>Cuts &amp; closures&#8617; &quot;quoted&quot;<br />\n<a class="x" title=\'a > b\' href="../x/">x</a>'
            '<!-- <a href="in-a-comment"> --><script>var a = "<img src=\'in-a-script\'>";</script>'
            '<a href="https://o.example/?q=1&b=2">o</a></p>')
    assert urls.absolutize_links(html, PAGE) == html.replace('href="../x/"', 'href="https://d.example/2025/10/x/"')


def test_html_without_relative_links_is_returned_as_it_is():
    html = '<p>No links &#8217;here&#8217;. <a href="https://o.example/">o</a> <a href="mailto:x@o.example">m</a></p>'
    assert urls.absolutize_links(html, PAGE) is html


def test_srcset_candidates_split_as_the_standard_says():
    # A URL runs to the next space less its trailing commas; descriptors run to the next comma.
    value = "a.png 1x, b(1).png 2x,c.png, data:image/png;base64,AA== 3x,d.png,e.png"
    assert [value[s:e] for s, e in srcset_candidates(value)] == [
        "a.png", "b(1).png", "c.png", "data:image/png;base64,AA==", "d.png,e.png"]


def test_the_tokenizer_finds_what_lxml_finds_on_every_page_of_the_fixture_site(fixture_site):
    build_site_at(fixture_site)
    for path in (fixture_site / "public").rglob("*.html"):
        text = path.read_text()
        found = Counter((a.name, unescape(text[a.start:a.end])) for a in url_attributes(text))
        doc = lxml.etree.fromstring(path.read_bytes(), lxml.etree.HTMLParser())
        parsed = Counter((v.attrname, str(v)) for v in doc.xpath("|".join(f"//@{a}" for a in URL_ATTRIBUTES)))
        assert found == parsed, path


def test_page_urls_reads_every_kind_of_link_through_a_parser():
    page = (b"<!doctype html><p><a href='/single/'>s</a><img src=/unquoted.png srcset=\"/1x.png 1x, /2x.png 2x\">"
            b"<video poster='/poster.jpg'></video><a href=\"/q?a=1&amp;b=2\">q</a><!-- <a href='/comment/'> --></p>")
    assert page_urls(page) == {"/single/", "/unquoted.png", "/1x.png", "/2x.png", "/poster.jpg", "/q?a=1&b=2"}


def test_a_page_too_large_for_a_tree_gives_the_same_urls_read_as_it_streams(fixture_site, monkeypatch):
    from digest import htmlurls

    build_site_at(fixture_site)
    pages = [path.read_bytes() for path in (fixture_site / "public").rglob("*.html")]
    pages.append(b"<!doctype html><p><a href='/single/'>s</a><img src=/unquoted.png srcset=\"/1x.png 1x, /2x.png 2x\">"
                 b"<video poster='/poster.jpg'></video><a href=\"/q?a=1&amp;b=2\">q</a><!-- <a href='/c/'> --></p>")
    by_tree = [page_urls(page) for page in pages]
    monkeypatch.setattr(htmlurls, "STREAMED_ABOVE", 0)
    assert [page_urls(page) for page in pages] == by_tree
    assert by_tree[-1] == {"/single/", "/unquoted.png", "/1x.png", "/2x.png", "/poster.jpg", "/q?a=1&b=2"}


def test_broken_single_quoted_srcset_and_poster_links_are_errors(site):
    body = ("<a href='/nowhere/'>x</a>\n\n<img src=\"../../../media/chart.png\" "
            "srcset=\"../../../media/chart.png 1x, ../../../media/missing-2x.png 2x\">\n\n"
            "<video poster='/media/no-poster.jpg' src='/media/clip.mp4'></video>")
    root = site({"content/articles/a.md": article(body=body), **MEDIA})
    assert build_errors(root) == [  # on the line of the source where each is written
        "content/articles/a.md:6: link '/nowhere/' leads nowhere (on 2025/03/a/index.html)",
        "content/articles/a.md:8: link '../../../media/missing-2x.png' leads nowhere (on 2025/03/a/index.html)",
        "content/articles/a.md:10: link '/media/no-poster.jpg' leads nowhere (on 2025/03/a/index.html)",
    ]


def test_links_that_resolve_pass_whatever_their_quoting_or_encoding(site):
    body = ("<a href='#top'>top</a> <a href='/tags/'>tags</a> <a href=\"../../../media/chart.png?v=1&amp;w=2\">c</a>\n\n"
            "<img srcset='../../../media/chart.png 1x, /media/chart-2x.png 2x' src=/media/chart.png>")
    root = site({"content/articles/a.md": article(body=body), **MEDIA})
    assert build_site_at(root).warnings == ()


def test_feeds_carry_absolute_srcset_poster_and_single_quoted_links(site):
    body = ("<a href='../../../tags/'>tags</a>\n\n"
            "<img src='../../../media/chart.png' srcset='../../../media/chart.png 1x, ../../../media/chart-2x.png 2x'>"
            "\n\n<video poster=../../../media/chart.png src=\"../../../media/clip.mp4\"></video>")
    root = site({"content/articles/a.md": article(body=body), **MEDIA})
    build_site_at(root)
    # Read as stored: feedparser's sanitiser would drop srcset and poster before the test saw them.
    rss = lxml.etree.parse(str(root / "public/feed.xml")).findtext(
        "channel/item/{http://purl.org/rss/1.0/modules/content/}encoded")
    feed_json = json.loads((root / "public/feed.json").read_text())["items"][0]["content_html"]
    for html in (rss, feed_json):
        doc = lxml.html.fromstring(html)
        links = doc.xpath("//@href | //@src | //@poster") + [
            c.split()[0] for s in doc.xpath("//@srcset") for c in s.split(",")]
        assert "https://test.example.org/media/chart-2x.png" in links
        assert "https://test.example.org/tags/" in links
        assert all(link.startswith("https://") for link in links), links

def test_broken_internal_link_is_an_error_naming_page_and_link(site):
    root = site({"content/articles/a.md": article(body="See [the tracker](/trackr/) and ![x](/media/none.png).")})
    assert build_errors(root) == [
        "content/articles/a.md:6: link '/media/none.png' leads nowhere (on 2025/03/a/index.html)",
        "content/articles/a.md:6: link '/trackr/' leads nowhere (on 2025/03/a/index.html)",
    ]


def test_links_above_the_site_folder_are_broken(site):
    config = "title: T\nbase_url: https://t.example/news/\n"
    root = site({"content/articles/a.md": article(body="[up](/elsewhere/)")}, config=config)
    assert build_errors(root) == ["content/articles/a.md:6: link '/elsewhere/' leads nowhere (on 2025/03/a/index.html); "
                                  "this site's addresses start with /news/: link to the source file instead "
                                  "(e.g. ../07/story.md), which follows the site wherever it is published"]


def test_a_link_to_a_story_with_errors_is_not_reported_again(site):
    root = site({
        "content/articles/broken.md": "---\ntitle: Broken\ndate: 2025-13-01\n---\nBody.\n",
        "content/articles/linking.md": "---\ntitle: Linking\ndate: 2025-03-01\n---\nSee [the other](broken.md).\n",
    })
    problems = build_errors(root)
    assert len(problems) == 1 and "broken.md:3" in problems[0]

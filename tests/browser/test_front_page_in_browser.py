"""The front page, the phone header, /corrections/, share links, feeds in a browser and search ranking."""

import functools
import threading
from http.server import ThreadingHTTPServer

import pytest

from browsertools import AXE, SCREENSHOTS, need
from conftest import QuietHandler

ARTICLE = "2025/10/scale-ai-closes-dallas-contractor-team/"


def serve(folder):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


@pytest.mark.parametrize("path", ["", ARTICLE, "search/?q=Dallas", "corrections/", "tracker/"])
def test_phone_header_is_one_line_of_at_most_64_px(open_page, path):
    page = open_page(path, width=390)
    box = page.eval_on_selector(".site-header", "h => h.getBoundingClientRect().toJSON()")
    assert box["height"] <= 64
    assert page.eval_on_selector("main", "m => m.getBoundingClientRect().top") <= 64  # the content follows at once
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390


def test_wide_header_is_one_row_with_its_search_box(open_page):
    page = open_page("", width=1280)
    middles = page.eval_on_selector_all(".site-title, .sections-wide li, #site-search", "els => els.map(e => {"
                                        " const r = e.getBoundingClientRect(); return (r.top + r.bottom) / 2 })")
    assert max(middles) - min(middles) < 12
    assert page.eval_on_selector(".site-header", "h => h.getBoundingClientRect().height") < 64
    assert not page.is_visible(".menu summary")


def test_phone_menu_opens_from_the_keyboard_and_lists_the_sections(open_page):
    page = open_page("", width=390)
    assert not page.is_visible(".sections-wide") and not page.is_visible("#site-search")
    assert page.is_visible(".search-icon")
    page.focus(".menu summary")
    page.keyboard.press("Enter")
    links = page.eval_on_selector_all(".menu nav a", "as => as.filter(a => a.offsetParent).map(a => a.textContent)")
    assert links[:3] == ["Latest", "Weekly", "Tracker"] and "Feeds" in links
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('.menu nav') !== null")


def test_search_page_has_one_search_box(open_page):
    page = open_page("search/?q=Dallas", width=1280)
    assert page.eval_on_selector_all("input[type=search]", "els => els.filter(e => e.offsetParent).length") == 1


@pytest.mark.parametrize("width", [390, 1280])
def test_home_leads_with_one_story_and_puts_the_rail_beside_or_below(open_page, width):
    page = open_page("", width=width)
    lead = page.eval_on_selector(".lead-story", "e => e.getBoundingClientRect().toJSON()")
    rail = page.eval_on_selector(".rail", "e => e.getBoundingClientRect().toJSON()")
    if width == 1280:
        assert rail["left"] >= lead["right"] and rail["top"] < lead["bottom"]
    else:
        assert rail["top"] >= lead["bottom"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["corrections/", "", ARTICLE])
def test_new_parts_have_no_serious_accessibility_violation(open_page, path, scheme):
    need(AXE.is_file(), "axe-core (npm install in tests/browser)")
    page = open_page(path, width=390, scheme=scheme)
    page.click(".menu summary")  # the open menu too
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
            if v["impact"] in ("serious", "critical")] == []


def open_feed(browser, server, path, width=390):
    """A feed in a tab; only until `load`: Chromium's XSLT notice keeps the network from going idle."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.goto(server + path, wait_until="load")
    return page


@pytest.mark.parametrize("path", ["companies/scale-ai/feed.xml", "atom.xml", "corrections/feed.xml"])
def test_a_feed_opens_as_a_styled_page_that_explains_feeds(browser, server, path):
    page = open_feed(browser, server, path)
    assert "feed reader" in page.inner_text("main")
    titles = page.eval_on_selector_all(".card-title a", "as => as.map(a => a.textContent)")
    assert titles and all(titles)
    assert all(a.startswith("http") for a in page.eval_on_selector_all(".card-title a", "as => as.map(a => a.href)"))
    font = page.eval_on_selector("h1", "h => getComputedStyle(h).fontFamily")
    assert "Georgia" in font  # the site's stylesheet applied
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert page.console_errors == []
    page.close()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name, path", [("home", ""), ("article-top", ARTICLE), ("corrections", "corrections/"),
                                        ("feed", "feed.xml")])
def test_screenshots_of_the_new_pages(open_page, browser, server, name, path, width):
    page = open_feed(browser, server, path, width) if name == "feed" else open_page(path, width=width)
    SCREENSHOTS.mkdir(exist_ok=True)
    shot = SCREENSHOTS / f"frontpage-{name}-{width}.png"
    page.screenshot(path=str(shot), full_page=name != "article-top")
    assert shot.stat().st_size > 5_000


def test_search_ranks_the_exact_word_above_its_stem(browser, tmp_path):
    from digest import search
    from sitetools import article, build_site_at, write

    need(search.pagefind_command() is not None, "pagefind")
    filler = "Several teams met; several plans changed, and several offices moved. " * 3
    write(tmp_path, {
        "site.yaml": "title: T\nbase_url: http://127.0.0.1/\n",
        "content/articles/a.md": article("Office plans", "2025-01-02", filler),
        "content/articles/b.md": article("Team news", "2025-01-03", filler + " Several more."),
        "content/articles/c.md": article("Pay at the plant", "2025-01-01",
                                         "Workers get pay and severance after the closure. " + "Other words. " * 20),
    })
    build_site_at(tmp_path, search=True)
    httpd, root = serve(tmp_path / "public")
    try:
        page = browser.new_page()
        page.goto(root + "search/?q=severance", wait_until="networkidle")
        page.wait_for_selector(".search-results li")
        titles = page.eval_on_selector_all(".search-results h2", "hs => hs.map(h => h.textContent)")
        assert titles[0] == "Pay at the plant"
        assert page.eval_on_selector(".search-results mark", "m => m.textContent").lower() == "severance"
        page.close()
    finally:
        httpd.shutdown()

"""The weekly newsletter email in Chromium, as a mail client shows it: phone and desktop widths, with and
without its <style> block (many clients drop it; every rule must also be inlined)."""

import pytest

from browsertools import SCREENSHOTS

EMAIL = "weekly/2025-w41/email.html"  # the sample site's week with an editor's note
WIDTHS = [375, 600]

# Text a reader reads (paragraphs, list items, headings) and small print (datelines, labels, the footer).
TEXT_SIZES = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el.getClientRects().length || el.closest('.preheader')) continue;
    const small = el.closest('.meta, .footer, .view, .figure-label, .events, .week-dates, .note-title');
    out.push({text: node.textContent.trim().slice(0, 40), size: parseFloat(getComputedStyle(el).fontSize),
              reading: !small && !!el.closest('p, li, h1, h2, h3')});
  }
  return out;
}"""


def open_email(open_page, width: int, styles: str):
    """The email at `width`; with "style block dropped", as a client that removes <style> shows it."""
    page = open_page(EMAIL, width=width)
    if styles != "inlined":
        page.evaluate("() => document.querySelectorAll('style').forEach(s => s.remove())")
    return page


@pytest.mark.parametrize("styles", ["inlined", "style block dropped"])
@pytest.mark.parametrize("width", WIDTHS)
def test_email_fits_the_width_without_sideways_scrolling(open_page, width, styles):
    page = open_email(open_page, width, styles)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    inner = page.evaluate("() => document.querySelector('table.inner').getBoundingClientRect().width")
    assert inner <= min(width, 600)


@pytest.mark.parametrize("styles", ["inlined", "style block dropped"])
@pytest.mark.parametrize("width", WIDTHS)
def test_email_reading_text_is_at_least_14px_and_small_print_12px(open_page, width, styles):
    page = open_email(open_page, width, styles)
    texts = page.evaluate(TEXT_SIZES)
    assert any(t["reading"] for t in texts) and any(not t["reading"] for t in texts)
    assert [t for t in texts if t["reading"] and t["size"] < 14] == []
    assert [t for t in texts if t["size"] < 12] == []


def test_email_shows_the_editors_note_first(open_page):
    page = open_page(EMAIL, width=375)
    cells = page.eval_on_selector_all("table.inner > tbody > tr > td", "tds => tds.map(td => td.className)")
    assert cells[1].split() == ["cell", "note"]
    assert page.inner_text("td.note").startswith("FROM THE EDITOR")


def test_email_links_and_images_are_absolute(open_page):
    page = open_page(EMAIL, width=375)
    urls = page.eval_on_selector_all("[href], [src]", "els => els.map(e => e.getAttribute('href') || e.getAttribute('src'))")
    assert len(urls) > 5
    assert [u for u in urls if not u.startswith(("http://", "https://"))] == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_email_screenshots_for_a_person_to_look_at(open_page, width, scheme):
    page = open_page(EMAIL, width=width, scheme=scheme)
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"email-{width}-{scheme}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
